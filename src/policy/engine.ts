/**
 * Policy stage: run every rule on the model at the severity the Cluster configures
 * (`spec.rules`), then the organisation's Policy documents, then apply waivers.
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic, Severity } from "../diagnostics/types.js";
import type { Model, RuleSetting } from "../model/types.js";
import { didYouMean } from "../util/text.js";
import { runPolicies } from "./policies.js";
import {
  fillMessage,
  isLiveRule,
  isModelRule,
  isPlanRule,
  isWaivable,
  runsOnPartialModel,
  type AnyRule,
  type PartialKind,
  type Report,
  type Rule,
} from "./rule.js";
import { rules as builtinRules } from "./rules/index.js";
import { applyWaivers } from "./waivers.js";

export interface RunOptions {
  /** Kinds some documents of which are missing from the model (they failed their schema). */
  readonly incomplete?: ReadonlySet<PartialKind>;
}

export function runRules(
  model: Model,
  rules: readonly AnyRule[] = builtinRules,
  options: RunOptions = {},
): Diagnostic[] {
  const incomplete = options.incomplete ?? new Set<PartialKind>();
  const out: Diagnostic[] = [];
  const settings: Readonly<Record<string, RuleSetting>> = model.cluster.rules;
  // Disruptions are accepted by acknowledging the change, never by spec.rules or a waiver.
  const configurable = rules.filter((r) => !isPlanRule(r) || !r.meta.acknowledgeable);
  const builtinIds = new Set(configurable.map((r) => r.id));
  const known = [...builtinIds, ...model.policies.map((p) => p.name)];
  const byId = new Map(configurable.map((r) => [r.id, r]));
  for (const id of Object.keys(settings).sort()) {
    if (!known.includes(id)) {
      out.push(
        diagnostic("NC3003", model.cluster.source.keyAt(["spec", "rules", id]), {
          rule: id,
          hint: didYouMean(id, known),
        }),
      );
      continue;
    }
    const rule = byId.get(id);
    const setting = settings[id];
    if (rule && !isWaivable(rule) && setting !== undefined && setting !== "error") {
      out.push(
        diagnostic("NC3046", model.cluster.source.at(["spec", "rules", id]), { rule: id, setting }),
      );
    }
  }
  for (const rule of rules) {
    if (!isModelRule(rule) || !runsOnPartialModel(rule, incomplete)) continue;
    // Calico's own verdicts stay errors, whatever spec.rules says (NC3046 above).
    const setting = isWaivable(rule) ? settings[rule.id] : "error";
    if (setting === "off") continue;
    out.push(...runRule(rule, model, setting ?? rule.meta.defaultSeverity));
  }
  // On a partial model a Policy checks IPPools only: the views of other kinds are aggregates.
  out.push(...runPolicies(model, builtinIds, incomplete.size ? ["IPPool"] : undefined));
  return applyWaivers(model, out, [
    ...configurable.map((r) => ({
      id: r.id,
      elsewhere: isPlanRule(r) || isLiveRule(r),
      waivable: isWaivable(r),
    })),
    ...model.policies.map((p) => ({ id: p.name, elsewhere: false, waivable: true })),
  ]);
}

/** One rule's findings as diagnostics at `severity`. */
export function runRule(rule: Rule, model: Model, severity: Severity): Diagnostic[] {
  return collectReports(rule, model).map((report) => toDiagnostic(rule, report, severity));
}

/** What a rule reports, before messages are filled in (the rule tester asserts these). */
export function collectReports(rule: Rule, model: Model): Report[] {
  const reports: Report[] = [];
  rule.check(model, {
    report(report) {
      if (rule.meta.messages[report.messageId] === undefined) {
        throw new Error(`rule ${rule.id} has no message "${report.messageId}"`);
      }
      reports.push(report);
    },
  });
  return reports;
}

export function toDiagnostic(
  rule: {
    readonly id: string;
    readonly meta: { readonly messages: Readonly<Record<string, string>> };
  },
  report: Report,
  severity: Severity,
): Diagnostic {
  const template = rule.meta.messages[report.messageId];
  if (template === undefined)
    throw new Error(`rule ${rule.id} has no message "${report.messageId}"`);
  return {
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
  };
}
