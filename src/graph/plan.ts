/**
 * The overlay in a plan: the graph of the base and of the repository, and the edges that differ.
 * Needs both models: a base read from a rendered tree (`--against`) has no topology, so the
 * picture is skipped with a reason.
 */
import type { Model } from "../model/types.js";
import { buildGraph, changedEdges, edgeMap, type Graph } from "./model.js";

export type PlanOverlay =
  | {
      readonly status: "changed";
      readonly before: Graph;
      readonly after: Graph;
      /** Edge keys that differ, with each side's labels (undefined: no such edge). */
      readonly changed: readonly {
        readonly key: string;
        readonly before: string | undefined;
        readonly after: string | undefined;
      }[];
    }
  | { readonly status: "unchanged" }
  | { readonly status: "skipped"; readonly reason: string };

export function planOverlay(
  origin: "model" | "manifests" | "live" | "empty",
  base: Model | undefined,
  current: Model,
): PlanOverlay | undefined {
  if (origin === "empty") return undefined;
  if (origin === "live") {
    return {
      status: "skipped",
      reason:
        "the base is a live snapshot, whose subnets are the Topology's own; netcompile verify compares them",
    };
  }
  if (!base) {
    return {
      status: "skipped",
      reason:
        "the base is a rendered tree, which has no topology; plan with --base GITREF to see the overlay before and after",
    };
  }
  const before = buildGraph(base);
  const after = buildGraph(current);
  const keys = changedEdges(before, after);
  if (keys.length === 0) return { status: "unchanged" };
  const a = edgeMap(before);
  const b = edgeMap(after);
  return {
    status: "changed",
    before,
    after,
    changed: keys.map((key) => ({ key, before: a.get(key), after: b.get(key) })),
  };
}
