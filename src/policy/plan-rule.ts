/**
 * A plan rule is a rule module with `meta.scope: "plan"`: it compares the base with the
 * repository and reports a change that breaks traffic (a disruption) or that Calico rejects.
 * Like a model rule it declares its texts by id with `{name}` placeholders and reports through
 * `ctx.report` only; a report also names the exact change (what an acknowledgement must
 * repeat), who it hits, and what it is about in the plan's list of changes. The plan
 * (src/plan/disruption.ts) runs plan rules; the model engine skips them.
 */
import type { RelatedLocation, Span } from "../diagnostics/types.js";
import type { ModelDiff, NetworkFacts } from "../model/facts.js";
import type { Model } from "../model/types.js";
import type { Messages, RuleMeta, TemplateData } from "./rule.js";

export interface PlanRuleMeta extends Omit<RuleMeta, "scope"> {
  readonly scope: "plan";
  /** What breaks, and for whom, by id: the finding's message. */
  readonly messages: Readonly<Record<string, string>>;
  /** One line saying what changes, by id. */
  readonly titles: Readonly<Record<string, string>>;
  /** How to roll the change out (or what to do instead), by id: a list of steps. */
  readonly steps?: Readonly<Record<string, readonly string[]>>;
  /**
   * True: a finding is a disruption (NC6001, an error) that an acknowledgement of its exact
   * change accepts; `spec.rules` does not name it. False: no acknowledgement can make the
   * change safe (Calico rejects it); the finding carries the rule id at the severity the
   * Cluster's `spec.rules` gives it.
   */
  readonly acknowledgeable: boolean;
  /**
   * What a change does that breaks nothing but a reviewer must know (workloads that stay on a
   * disabled pool, a calico-node rollout), by id: the plan's notes. Notes never fail the plan.
   */
  readonly notes?: Readonly<Record<string, string>>;
  /** True: the rule only explains changes with notes; it reports no disruption. */
  readonly notesOnly?: boolean;
}

/** A note a plan rule adds to the plan: what the change does, by id, and what it is about. */
export interface PlanNoteReport {
  /** Id in `meta.notes`. */
  readonly noteId: string;
  /** Fills exactly the placeholders of the note. */
  readonly data?: Readonly<Record<string, string | number>>;
  /** "Kind/name" of what the note is about. */
  readonly resource: string;
}

/** What a disruption is about in the plan's list of changes: objects by kind (and name), or host files. */
export type Target =
  | { readonly kind: string; readonly name?: string }
  | { readonly hostFilesOf: readonly string[]; readonly action?: "create" | "update" | "delete" };

export interface PlanReport {
  /** Id in `meta.messages`: what breaks. */
  readonly messageId: string;
  /** Id in `meta.titles`: what changes. */
  readonly titleId: string;
  /** Id in `meta.steps`, when the rule says how to roll the change out. */
  readonly stepsId?: string;
  /** Fills exactly the placeholders of the message, the title and the steps. */
  readonly data?: Readonly<Record<string, string | number>>;
  /** Where the change is in the repository (where it has gone: where its acknowledgement goes). */
  readonly span: Span;
  /** "Kind/name" of what changes: the first part of the change's key. */
  readonly resource: string;
  /** The rest of the change's key: an acknowledgement names resource, field, from and to. */
  readonly change: { readonly field: string; readonly from: string; readonly to: string };
  /** Pools the change hits, by name. */
  readonly pools?: readonly string[];
  /** Nodes the change hits, by name (duplicates are counted once). */
  readonly nodes: Iterable<string>;
  /** What it is about in the list of changes: the first target that matches a change. */
  readonly targets: readonly Target[];
  readonly related?: readonly RelatedLocation[];
}

export interface PlanRuleContext {
  /** The base's facts: from its model, or reconstructed from its rendered manifests. */
  readonly base: NetworkFacts;
  /** The repository's facts (from the model `check` gets). */
  readonly current: NetworkFacts;
  /** How the two differ. */
  readonly diff: ModelDiff;
  /** How a message names a set of nodes: "no node", "2 nodes (a, b)", "12 nodes (2 listed, worker-*: 10)". */
  nodesText(names: Iterable<string>): string;
  /** A count with its noun: "1 node pair", "1,200 node pairs". */
  countText(n: number, noun: string): string;
  report(report: PlanReport): void;
  /** Adds a note (meta.notes) to the plan. */
  note(note: PlanNoteReport): void;
}

export interface PlanRule {
  readonly id: string;
  readonly meta: PlanRuleMeta;
  /** `model` is the repository's; the base is in `ctx`. */
  check(model: Model, ctx: PlanRuleContext): void;
}

/** Steps by id, as literal types (definePlanRule keeps them). */
export type StepLists = Readonly<Record<string, readonly string[]>>;

type PlanReportFields = Omit<PlanReport, "messageId" | "titleId" | "stepsId" | "data">;

/**
 * A report naming one of the rule's messages, titles and (optionally) steps, whose data fills
 * exactly the placeholders of those texts together.
 */
export type PlanReportOf<M extends Messages, T extends Messages, S extends StepLists> = {
  [Id in keyof M & string]: {
    [Title in keyof T & string]:
      | (PlanReportFields & {
          readonly messageId: Id;
          readonly titleId: Title;
          readonly stepsId?: undefined;
        } & TemplateData<M[Id] | T[Title]>)
      | {
          [Steps in keyof S & string]: PlanReportFields & {
            readonly messageId: Id;
            readonly titleId: Title;
            readonly stepsId: Steps;
          } & TemplateData<M[Id] | T[Title] | S[Steps][number]>;
        }[keyof S & string];
  }[keyof T & string];
}[keyof M & string];

/** A note naming one of the rule's notes, whose data fills exactly that note's placeholders. */
export type PlanNoteOf<N extends Messages> = {
  [Id in keyof N & string]: Omit<PlanNoteReport, "noteId" | "data"> & {
    readonly noteId: Id;
  } & TemplateData<N[Id]>;
}[keyof N & string];

export interface TypedPlanRuleContext<
  M extends Messages,
  T extends Messages,
  S extends StepLists,
  N extends Messages = Messages,
> extends Omit<PlanRuleContext, "report" | "note"> {
  report(report: PlanReportOf<M, T, S>): void;
  note(note: PlanNoteOf<N>): void;
}

export interface PlanRuleDefinition<
  M extends Messages,
  T extends Messages,
  S extends StepLists,
  N extends Messages = Messages,
> {
  readonly id: string;
  readonly meta: Omit<PlanRuleMeta, "messages" | "titles" | "steps" | "notes"> & {
    readonly messages: M;
    readonly titles: T;
    readonly steps?: S;
    readonly notes?: N;
  };
  check(model: Model, ctx: TypedPlanRuleContext<M, T, S, N>): void;
}

/**
 * A plan rule whose reports and notes tsc checks against its own texts: an id missing from
 * `meta.messages`, `meta.titles`, `meta.steps` or `meta.notes`, or data with a missing or an
 * extra placeholder of those texts, does not compile.
 */
export function definePlanRule<
  const M extends Messages,
  const T extends Messages,
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no steps: no steps ids
  const S extends StepLists = {},
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no notes: no note ids
  const N extends Messages = {},
>(rule: PlanRuleDefinition<M, T, S, N>): PlanRule {
  return {
    id: rule.id,
    meta: rule.meta,
    // The plan's context, seen through the typed one: every PlanReportOf<M, T, S> is a PlanReport.
    check: (model, ctx) =>
      rule.check(model, {
        base: ctx.base,
        current: ctx.current,
        diff: ctx.diff,
        nodesText: (names) => ctx.nodesText(names),
        countText: (n, noun) => ctx.countText(n, noun),
        report: (report) => ctx.report(report),
        note: (note) => ctx.note(note),
      }),
  };
}
