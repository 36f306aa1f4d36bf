/**
 * A rule is one module: `meta` declares what it checks, its default severity and its
 * messages (by id); `check` reads the model and reports through `ctx.report` only.
 * This is a model rule (`validate`); a plan rule compares two versions (plan-rule.ts).
 */
import type { RelatedLocation, Severity, Span } from "../diagnostics/types.js";
import type { Model } from "../model/types.js";
import type { PlanRule } from "./plan-rule.js";

export interface RuleMeta {
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** Message templates by id; `{name}` placeholders are filled from `data`. */
  readonly messages: Readonly<Record<string, string>>;
  /** JSON Schema for the rule's options (none when absent). */
  readonly options?: object;
  /** A model rule (the default); plan rules (`scope: "plan"`) are PlanRule, in plan-rule.ts. */
  readonly scope?: "model";
  /**
   * Where the rule comes from: Calico's own IPPool validation (`calico`, matching Calico
   * v3.31's verdicts), or what only the topology shows (`topology`). Groups the catalog.
   */
  readonly category?: "calico" | "topology";
  /**
   * The kinds of which every document must be in the model for a finding to be true. A rule
   * that looks at one resource, or at a pair of them, needs none. When documents fail their
   * schema, the rest is still checked (a partial model) by the rules whose kinds are complete.
   * Absent: every kind, so the rule never runs on a partial model.
   */
  readonly needsEvery?: readonly PartialKind[];
}

/** The kinds a partial model may lack documents of (without its Cluster there is no model). */
export type PartialKind = "Topology" | "IPPool" | "Policy";

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

/** Any rule of the registry: a model rule (validate) or a plan rule (plan). */
export type AnyRule = Rule | PlanRule;

export function isPlanRule(rule: AnyRule): rule is PlanRule {
  return rule.meta.scope === "plan";
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
