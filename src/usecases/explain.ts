/**
 * `explain NODE_A NODE_B`: how workloads on two nodes reach each other, both ways. Every fact
 * comes from src/model/routing.ts (what the host renderers use); this only finds the nodes.
 */
import type { Diagnostic } from "../diagnostics/types.js";
import { pathsBetween, type PathReport } from "../model/routing.js";
import type { Model, Node } from "../model/types.js";
import type { CompileResult } from "../pipeline.js";
import { didYouMean } from "../util/text.js";
import { compileRepo, type RepoRef } from "./repo.js";
import { decide, type Verdict } from "./verdict.js";
import { nodeResource, poolResource, subnetResource } from "../model/resources.js";

/**
 * invalid: there is no model (see the diagnostics); usage: the nodes named are not two nodes of
 * it (`message` says why); explained: `paths` from a to b, then from b to a — also when the
 * repository does not validate (the verdict says so), with `problems`: its errors about the two
 * nodes, their subnets and the pools on the paths, and the documents left out of the model.
 */
export type ExplainResult = { readonly compiled: CompileResult; readonly verdict: Verdict } & (
  | { readonly status: "invalid" }
  | { readonly status: "usage"; readonly message: string }
  | {
      readonly status: "explained";
      readonly model: Model;
      readonly nodes: readonly [Node, Node];
      readonly paths: readonly PathReport[];
      readonly problems: readonly Diagnostic[];
    }
);

export function explainRepo(repo: RepoRef, nodeA: string, nodeB: string): ExplainResult {
  const compiled = compileRepo(repo, { render: "none" });
  const model = compiled.model;
  const verdict = decide({ diagnostics: compiled.diagnostics, incomplete: !model });
  if (!model) return { compiled, verdict, status: "invalid" };
  const byName = new Map(model.topology.nodes.map((n) => [n.name, n]));
  const names = [...byName.keys()];
  const a = byName.get(nodeA);
  const b = byName.get(nodeB);
  if (!a || !b) {
    const name = a ? nodeB : nodeA;
    const message = `no node named "${name}" in ${repo.shown}${didYouMean(name, names)}`;
    return { compiled, verdict, status: "usage", message };
  }
  if (nodeA === nodeB)
    return { compiled, verdict, status: "usage", message: "name two different nodes" };
  const paths = [...pathsBetween(model, a, b), ...pathsBetween(model, b, a)];
  const about = new Set([
    nodeResource(a),
    nodeResource(b),
    ...[a, b].flatMap((n) => (n.subnet ? [subnetResource(n.subnet)] : [])),
    ...paths.map((p) => poolResource(p.decision.pool)),
    `Cluster/${model.cluster.metadata.name}`,
  ]);
  const problems = verdict.failed
    ? compiled.diagnostics.filter(
        (d) =>
          d.code === "NC2006" ||
          (d.severity === "error" &&
            !d.waived &&
            d.resource !== undefined &&
            about.has(d.resource)),
      )
    : [];
  return { compiled, verdict, status: "explained", model, nodes: [a, b], paths, problems };
}
