/**
 * A rule is one module: `meta` declares what it checks, its default severity and its
 * messages (by id); `check` reads the model and reports through `ctx.report` only.
 * This is a model rule (`validate`); a plan rule compares two versions (plan-rule.ts).
 */
import type { Placeholders } from "../diagnostics/catalog.js";
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
   * v3.31's verdicts), what only the topology shows (`topology`), or what the Tigera
   * operator's Installation can carry and accepts (`operator`). Groups the catalog.
   */
  readonly category?: "calico" | "topology" | "operator";
  /**
   * The kinds of which every document must be in the model for a finding to be true. A rule
   * that looks at one resource, or at a pair of them, needs none. When documents fail their
   * schema, the rest is still checked (a partial model) by the rules whose kinds are complete.
   * Absent: every kind, so the rule never runs on a partial model.
   */
  readonly needsEvery?: readonly PartialKind[];
  /**
   * False: the finding is Calico's own verdict — its API server (clientv3, the v3 validator) or
   * the IPPool CRD's validation rejects the object, or the rendered manifest could not carry it.
   * No waiver accepts it (NC3045) and `spec.rules` cannot lower it (NC3046): nothing Calico
   * rejects may reach manifests/. Every `calico` rule says explicitly (a registry test checks).
   */
  readonly waivable?: boolean;
}

/** Whether a waiver or `spec.rules` may accept a rule's findings (RuleMeta.waivable). */
export function isWaivable(rule: { readonly meta: { readonly waivable?: boolean } }): boolean {
  return rule.meta.waivable !== false;
}

/** The kinds a partial model may lack documents of (without its Cluster there is no model). */
export type PartialKind = "Topology" | "IPPool" | "Policy";

/** Whether a rule's findings hold on a model missing documents of the `incomplete` kinds (RuleMeta.needsEvery). */
export function runsOnPartialModel(
  rule: { readonly meta: { readonly needsEvery?: readonly PartialKind[] } },
  incomplete: ReadonlySet<string>,
): boolean {
  if (incomplete.size === 0) return true;
  const needs = rule.meta.needsEvery;
  return needs !== undefined && needs.every((kind) => !incomplete.has(kind));
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

/** A rule's message templates by id, as literal types (defineRule keeps them). */
export type Messages = Readonly<Record<string, string>>;

/**
 * The data a set of templates needs: exactly the union of their `{name}` placeholders (none:
 * no data). A template that is not a literal type has no known placeholders, so data for it
 * fails tsc: write messages as literals (or template literals of literals).
 */
export type TemplateData<T extends string> = [Placeholders<T>] extends [never]
  ? { readonly data?: Readonly<Record<string, never>> }
  : { readonly data: { readonly [Name in Placeholders<T>]: string | number } };

/** A report whose messageId is one of `M`'s ids and whose data fills exactly that message. */
export type ReportOf<M extends Messages> = {
  [Id in keyof M & string]: Omit<Report, "messageId" | "data"> & {
    readonly messageId: Id;
  } & TemplateData<M[Id]>;
}[keyof M & string];

export interface TypedRuleContext<M extends Messages> {
  report(report: ReportOf<M>): void;
}

export interface RuleDefinition<M extends Messages> {
  readonly id: string;
  readonly meta: Omit<RuleMeta, "messages"> & { readonly messages: M };
  check(model: Model, ctx: TypedRuleContext<M>): void;
}

/**
 * A model rule whose reports tsc checks against its own `meta.messages`: a messageId not
 * declared there, or data with a missing or an extra placeholder, does not compile.
 */
export function defineRule<const M extends Messages>(rule: RuleDefinition<M>): Rule {
  return {
    id: rule.id,
    meta: rule.meta,
    // The engine's context, seen through the typed one: every ReportOf<M> is a Report.
    check: (model, ctx) => rule.check(model, { report: (report) => ctx.report(report) }),
  };
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
  return [
    ...new Set([...template.matchAll(/\{(\w+)\}/g)].flatMap(([, name]) => (name ? [name] : []))),
  ];
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
