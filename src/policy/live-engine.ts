/**
 * Runs the live rules (scope "live") on the repository's model and a snapshot of the running
 * cluster, at the severity the Cluster's `spec.rules` gives each, then applies the repository's
 * waivers to their findings. `validate` has reported malformed waivers and unknown rule ids
 * already; here only a waiver of a live rule that matches nothing is reported.
 */
import type { Diagnostic } from "../diagnostics/types.js";
import type { LiveSnapshot } from "../live/snapshot.js";
import type { Model } from "../model/types.js";
import { plural } from "../util/text.js";
import { toDiagnostic } from "./engine.js";
import type { LiveRule } from "./live-rule.js";
import { isLiveRule, isWaivable, type Report } from "./rule.js";
import { rules } from "./rules/index.js";
import { applyWaivers } from "./waivers.js";

/** The registry's live rules, in id order. */
export const liveRules: readonly LiveRule[] = rules.filter(isLiveRule);

export function runLiveRules(
  model: Model,
  live: LiveSnapshot,
  toRun: readonly LiveRule[] = liveRules,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of toRun) {
    const setting = model.cluster.rules[rule.id];
    if (setting === "off") continue;
    const severity = setting ?? rule.meta.defaultSeverity;
    for (const report of collectLiveReports(rule, model, live)) {
      out.push(toDiagnostic(rule, report, severity));
    }
  }
  const liveIds = new Set(liveRules.map((r) => r.id));
  const waived = applyWaivers(
    model,
    out,
    [
      ...rules.map((r) => ({ id: r.id, elsewhere: !liveIds.has(r.id), waivable: isWaivable(r) })),
      ...model.policies.map((p) => ({ id: p.name, elsewhere: true, waivable: true })),
    ],
    { reportMalformed: false },
  );
  // applyWaivers returns the findings first, then its own diagnostics.
  const unusedLiveWaivers = waived
    .slice(out.length)
    .filter((d) => d.code === "NC3005" && liveIds.has(String(d.data?.rule)));
  return [...waived.slice(0, out.length), ...unusedLiveWaivers];
}

/** What a live rule reports, before messages are filled in (the live rule tester asserts these). */
export function collectLiveReports(rule: LiveRule, model: Model, live: LiveSnapshot): Report[] {
  const reports: Report[] = [];
  rule.check(model, {
    live,
    countText: plural,
    report(report) {
      if (rule.meta.messages[report.messageId] === undefined) {
        throw new Error(`rule ${rule.id} has no message "${report.messageId}"`);
      }
      reports.push(report);
    },
  });
  return reports;
}
