/** Policy stage: run every rule on the model, at the severity the Cluster configures. */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { Model } from "../model/types.js";
import { didYouMean } from "../schema/validate.js";
import { fillMessage, type Rule } from "./rule.js";
import { rules as builtinRules } from "./rules/index.js";

export function runRules(model: Model, rules: readonly Rule[] = builtinRules): Diagnostic[] {
  const out: Diagnostic[] = [];
  const settings = model.cluster.rules;
  const known = new Set(rules.map((r) => r.id));
  for (const id of Object.keys(settings).sort()) {
    if (!known.has(id)) {
      out.push(
        diagnostic("NC3003", model.cluster.source.keyAt(["spec", "rules", id]), {
          detail: `unknown rule "${id}"${didYouMean(id, [...known])}`,
        }),
      );
    }
  }
  for (const rule of rules) {
    if (rule.meta.scope === "plan") continue;
    const setting = settings[rule.id];
    if (setting === "off") continue;
    const severity = setting ?? rule.meta.defaultSeverity;
    rule.check(model, {
      report(report) {
        const template = rule.meta.messages[report.messageId];
        if (template === undefined)
          throw new Error(`rule ${rule.id} has no message "${report.messageId}"`);
        out.push({
          code: rule.id,
          severity,
          message: fillMessage(template, report.data),
          file: report.span.file,
          line: report.span.line,
          column: report.span.column,
          endLine: report.span.endLine,
          endColumn: report.span.endColumn,
          ...(report.resource === undefined ? {} : { resource: report.resource }),
          related: report.related ?? [],
        });
      },
    });
  }
  return out;
}
