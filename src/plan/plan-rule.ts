/**
 * Plan rules: rules with `meta.scope: "plan"` compare the base with the repository. They are
 * ordinary rule modules whose context also carries the base's facts (PlanRuleContext). The
 * model engine skips them; `runPlanRules` runs them, at the severity the Cluster configures.
 */
import type { Severity } from "../diagnostics/types.js";
import type { Model } from "../model/types.js";
import type { NetworkFacts } from "../model/facts.js";
import { fillMessage, type PlanRuleContext, type Report, type Rule } from "../policy/rule.js";
import { rules } from "../policy/rules/index.js";

/** The registry's plan-scope rules. */
export const planRules: readonly Rule[] = rules.filter((r) => r.meta.scope === "plan");

export interface PlanFinding {
  readonly rule: Rule;
  readonly severity: Severity;
  readonly message: string;
  readonly report: Report;
}

export function runPlanRules(
  base: NetworkFacts,
  current: Model,
  rules: readonly Rule[] = planRules,
): PlanFinding[] {
  const out: PlanFinding[] = [];
  for (const rule of rules) {
    if (rule.meta.scope !== "plan") continue;
    const setting = current.cluster.rules[rule.id];
    if (setting === "off") continue;
    const severity = setting ?? rule.meta.defaultSeverity;
    const ctx: PlanRuleContext = {
      base,
      report(report) {
        const template = rule.meta.messages[report.messageId];
        if (template === undefined)
          throw new Error(`rule ${rule.id} has no message "${report.messageId}"`);
        for (const key of ["field", "before", "after"])
          if (report.data?.[key] === undefined)
            throw new Error(`plan rule ${rule.id} must report data.${key}`);
        if (report.resource === undefined)
          throw new Error(`plan rule ${rule.id} must report a resource`);
        out.push({ rule, severity, message: fillMessage(template, report.data), report });
      },
    };
    rule.check(current, ctx);
  }
  return out;
}
