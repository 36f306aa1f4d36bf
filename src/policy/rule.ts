/**
 * A rule is one module: `meta` declares what it checks, its default severity and its
 * messages (by id); `check` reads the model and reports through `ctx.report` only.
 * This is a model rule (`validate`); a plan rule compares two versions (plan-rule.ts).
 */
import type { RelatedLocation, Severity, Span } from "../diagnostics/types.js";
import type { Model } from "../model/types.js";
import type { LiveRule } from "./live-rule.js";
import type { PlanRule } from "./plan-rule.js";

export interface RuleMeta {
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** Message templates by id; `{name}` placeholders are filled from `data`. */
  readonly messages: Readonly<Record<string, string>>;
  /** JSON Schema for the rule's options (none when absent). */
  readonly options?: object;
  /**
   * A model rule (the default); plan rules (`scope: "plan"`) are PlanRule, in plan-rule.ts, and
   * live rules (`scope: "live"`) LiveRule, in live-rule.ts.
   */
  readonly scope?: "model";
  /**
   * Where the rule comes from: Calico's own IPPool validation (`calico`, matching Calico
   * v3.31's verdicts), or what only the topology shows (`topology`). Groups the catalog.
   */
  readonly category?: "calico" | "topology";
}

export interface Report {
  readonly messageId: string;
  readonly data?: Readonly<Record<string, string | number>>;
  readonly span: Span;
  /** "Kind/name" of the resource the finding is about. */
  readonly resource?: string;
  readonly related?: readonly RelatedLocation[];
}

export interface RuleContext {
  report(report: Report): void;
}

export interface Rule {
  readonly id: string;
  readonly meta: RuleMeta;
  check(model: Model, ctx: RuleContext): void;
}

/** Any rule of the registry: a model rule (validate), a plan rule (plan) or a live rule (verify). */
export type AnyRule = Rule | PlanRule | LiveRule;

export function isPlanRule(rule: AnyRule): rule is PlanRule {
  return rule.meta.scope === "plan";
}

export function isLiveRule(rule: AnyRule): rule is LiveRule {
  return rule.meta.scope === "live";
}

export function isModelRule(rule: AnyRule): rule is Rule {
  return !isPlanRule(rule) && !isLiveRule(rule);
}

/** The `{name}` placeholders of a message template, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))];
}

/** Fills `{name}` placeholders; a missing one is a bug in the rule and throws. */
export function fillMessage(
  template: string,
  data: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`message needs "${key}"`);
    return String(value);
  });
}
