/** `graph`: the overlay as a graph of subnets (src/graph); a front end picks the picture format. */
import { buildGraph, GraphError, type Graph } from "../graph/index.js";
import type { CompileResult } from "../pipeline.js";
import { didYouMean } from "../util/text.js";
import { compileRepo, type RepoRef } from "./repo.js";
import { decide, type Verdict } from "./verdict.js";

export interface GraphRequest {
  /** Only this pool's decisions. */
  readonly pool?: string;
  /** List each subnet's nodes (small repositories only). */
  readonly nodes?: boolean;
}

/**
 * invalid: there is no model to draw (see the diagnostics); usage: the request cannot be drawn
 * (`message`); drawn: the graph — also of a repository that does not validate (the verdict says
 * so), its errors marked on the picture.
 */
export type GraphResult = { readonly compiled: CompileResult; readonly verdict: Verdict } & (
  | { readonly status: "invalid" }
  | { readonly status: "usage"; readonly message: string }
  | { readonly status: "drawn"; readonly graph: Graph }
);

export function graphRepo(repo: RepoRef, request: GraphRequest = {}): GraphResult {
  const compiled = compileRepo(repo, { render: "none" });
  const model = compiled.model;
  const verdict = decide({ diagnostics: compiled.diagnostics, incomplete: !model });
  if (!model) return { compiled, verdict, status: "invalid" };
  try {
    const graph = buildGraph(model, {
      pool: request.pool,
      nodes: request.nodes === true,
      ...(verdict.failed ? { findings: compiled.diagnostics } : {}),
    });
    return { compiled, verdict, status: "drawn", graph };
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    const pools = model.pools.map((p) => p.name);
    const hint =
      request.pool !== undefined && !pools.includes(request.pool)
        ? didYouMean(request.pool, pools)
        : "";
    return { compiled, verdict, status: "usage", message: `${error.message}${hint}` };
  }
}
