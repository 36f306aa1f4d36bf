/**
 * The context a plan rule (`meta.scope: "plan"`) gets: the model engine's context plus the
 * base's facts. A plan rule reports `data.field`, `data.before`, `data.after` and a `resource`,
 * so every finding names the exact change.
 */
import type { RuleContext } from "../policy/rule.js";
import type { NetworkFacts } from "./facts.js";

export interface PlanRuleContext extends RuleContext {
  /** The base's facts: from its model, or reconstructed from its rendered manifests. */
  readonly base: NetworkFacts;
}

export function isPlanContext(ctx: RuleContext): ctx is PlanRuleContext {
  return "base" in ctx && (ctx as PlanRuleContext).base !== undefined;
}
