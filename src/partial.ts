/**
 * A partial model: when documents fail their schema they are left out, and the rest is still
 * resolved and checked, so one schema error does not hide every other finding. Nothing may be
 * reported falsely because a document is missing:
 *  - a rule runs only when the kinds it needs every document of (`meta.needsEvery`) are all
 *    there; a rule that declares nothing never runs on a partial model;
 *  - resolve's findings are kept only when they are about one document, or a pair (a node
 *    group that does not fit its subnet, a malformed waiver, overlapping pod CIDRs, …); those
 *    that could stem from a missing document (an unknown subnet, a pool that selects no node,
 *    a waiver that matches nothing, an unknown rule id) are left for the full run;
 *  - without its Cluster there is no model at all.
 * Each left-out document gets an NC2006 info naming the rules that did not run.
 */
import { diagnostic } from "./diagnostics/make.js";
import type { Diagnostic } from "./diagnostics/types.js";
import type { LoadedDocument } from "./load/load.js";
import { isModelRule, runsOnPartialModel, type AnyRule, type PartialKind } from "./policy/rule.js";

/** Codes that hold on a partial model: about one document, or a pair of present ones. */
const ONE_DOCUMENT_CODES: ReadonlySet<string> = new Set([
  "NC3001",
  "NC3004",
  "NC3006",
  "NC3007",
  "NC3008",
  "NC3009",
  "NC3010",
  "NC3011",
  "NC3012",
  "NC3013",
  "NC3015",
  "NC3016",
  "NC3017",
  "NC3018",
  "NC3022",
  "NC3023",
  "NC3026",
  "NC3027",
  "NC3028",
  "NC3045",
  "NC3046",
  "NC3060",
  "NC3063",
  "NC5007",
]);

export interface PartialModel {
  /** Kinds some documents of which were left out. */
  readonly incomplete: ReadonlySet<PartialKind>;
  /** True when the Cluster was left out: there is no model to check. */
  readonly noModel: boolean;
  /** The findings that hold although documents are missing (all of them on a full model). */
  keep(diagnostics: readonly Diagnostic[]): Diagnostic[];
  /** One NC2006 per left-out document, naming the rules that did not run for want of it. */
  leftOut(rules: readonly AnyRule[]): Diagnostic[];
}

export function partialModel(rejected: readonly LoadedDocument[]): PartialModel {
  const incomplete = new Set<PartialKind>();
  for (const doc of rejected) if (doc.kind !== "Cluster") incomplete.add(doc.kind);
  const noModel = rejected.some((doc) => doc.kind === "Cluster");
  const partial = rejected.length > 0;
  return {
    incomplete,
    noModel,
    keep: (diagnostics) =>
      partial
        ? diagnostics.filter((d) => !/^NC\d{4}$/.test(d.code) || ONE_DOCUMENT_CODES.has(d.code))
        : [...diagnostics],
    leftOut: (rules) =>
      rejected.map((doc) => {
        const resource = doc.name === undefined ? doc.kind : `${doc.kind}/${doc.name}`;
        // The rules that did not run for want of this document's kind (the engine's own test).
        const wanting = rules.filter(
          (r) => isModelRule(r) && !runsOnPartialModel(r, new Set([doc.kind])),
        );
        return diagnostic("NC2006", doc.source.at(["kind"]), {
          resource,
          kind: doc.kind,
          rules: noModel ? "all of them (without its Cluster there is no model)" : list(wanting),
        });
      }),
  };
}

function list(rules: readonly AnyRule[]): string {
  return rules.length ? rules.map((r) => r.id).join(", ") : "none";
}
