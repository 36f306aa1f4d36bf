/**
 * A live rule is a rule module with `meta.scope: "live"`: it compares the repository with a
 * snapshot of the running cluster (`netcompile verify`, and the Action's `live` input) and
 * reports a disagreement on the repository's line, with the live object in `related`. Like a
 * model rule it declares its messages by id with `{name}` placeholders, reports through
 * `ctx.report` only, and takes its severity from the Cluster's `spec.rules`; waivers apply.
 * The model engine and the plan skip live rules; src/policy/live-engine.ts runs them.
 */
import type { LiveSnapshot } from "../live/snapshot.js";
import type { Model } from "../model/types.js";
import type { Messages, Report, ReportOf, RuleMeta } from "./rule.js";

export interface LiveRuleMeta extends Omit<RuleMeta, "scope" | "category"> {
  readonly scope: "live";
  readonly category: "live";
}

export interface LiveRuleContext {
  /** The snapshot: nodes, pools, blocks and calico-config as Calico reads them. */
  readonly live: LiveSnapshot;
  /** "1 node pair", "1,200 node pairs". */
  countText(n: number, noun: string): string;
  report(report: Report): void;
}

export interface LiveRule {
  readonly id: string;
  readonly meta: LiveRuleMeta;
  check(model: Model, ctx: LiveRuleContext): void;
}

export interface TypedLiveRuleContext<M extends Messages> extends Omit<LiveRuleContext, "report"> {
  report(report: ReportOf<M>): void;
}

export interface LiveRuleDefinition<M extends Messages> {
  readonly id: string;
  readonly meta: Omit<LiveRuleMeta, "messages"> & { readonly messages: M };
  check(model: Model, ctx: TypedLiveRuleContext<M>): void;
}

/**
 * A live rule whose reports tsc checks against its own `meta.messages`: a messageId not
 * declared there, or data with a missing or an extra placeholder, does not compile.
 */
export function defineLiveRule<const M extends Messages>(rule: LiveRuleDefinition<M>): LiveRule {
  return {
    id: rule.id,
    meta: rule.meta,
    // The engine's context, seen through the typed one: every ReportOf<M> is a Report.
    check: (model, ctx) => rule.check(model, { ...ctx, report: (report) => ctx.report(report) }),
  };
}
