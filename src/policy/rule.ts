/**
 * A rule is one module: `meta` declares what it checks, its default severity and its
 * messages (by id); `check` reads the model and reports through `ctx.report` only.
 */
import type { RelatedLocation, Severity, Span } from "../diagnostics/types.js";
import type { NetworkFacts } from "../model/facts.js";
import type { Model } from "../model/types.js";

export interface RuleMeta {
  readonly description: string;
  readonly defaultSeverity: Severity;
  /** Message templates by id; `{name}` placeholders are filled from `data`. */
  readonly messages: Readonly<Record<string, string>>;
  /** JSON Schema for the rule's options (none when absent). */
  readonly options?: object;
  /** "plan" rules compare two models and run only in `netcompile plan`. */
  readonly scope?: "model" | "plan";
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

/**
 * The context a plan rule (`meta.scope: "plan"`) gets: the model engine's context plus the
 * base's facts. A plan rule reports `data.field`, `data.before`, `data.after` and a `resource`,
 * so every finding names the exact change.
 */
export interface PlanRuleContext extends RuleContext {
  /** The base's facts: from its model, or reconstructed from its rendered manifests. */
  readonly base: NetworkFacts;
}

export function isPlanContext(ctx: RuleContext): ctx is PlanRuleContext {
  return "base" in ctx && (ctx as PlanRuleContext).base !== undefined;
}

export interface Rule {
  readonly id: string;
  readonly meta: RuleMeta;
  check(model: Model, ctx: RuleContext): void;
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
