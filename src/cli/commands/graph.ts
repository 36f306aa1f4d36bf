/**
 * `netcompile graph`: the overlay as a picture — one box per subnet, one edge per subnet pair
 * that carries workload traffic, labelled per pool with the routing decision (the same one
 * `explain` prints: src/model/routing.ts) and the pod MTU. Mermaid, Graphviz dot or SVG.
 */
import { resolve } from "node:path";
import { hasErrors } from "../../diagnostics/types.js";
import { buildGraph, formatGraph, GraphError, type GraphFormat } from "../../graph/index.js";
import { FsRepoReader } from "../../load/reader.js";
import { compile } from "../../pipeline.js";
import { didYouMean } from "../../util/text.js";
import { EXIT, type Io } from "../io.js";
import { displayPath, logDiagnostics } from "../output.js";

export interface GraphOptions {
  readonly repo: string;
  readonly format: GraphFormat;
  readonly pool?: string;
  readonly nodes: boolean;
}

export function graphCommand(options: GraphOptions, io: Io): number {
  const repo = resolve(io.cwd, options.repo);
  const shown = displayPath(io.cwd, repo);
  const result = compile(new FsRepoReader(repo, shown), { render: "none" });
  logDiagnostics(io, result, shown);
  const model = result.model;
  if (!model || hasErrors(result.diagnostics)) return EXIT.failed;
  try {
    const graph = buildGraph(model, { pool: options.pool, nodes: options.nodes });
    io.stdout.write(formatGraph(graph, options.format));
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    const hint =
      options.pool !== undefined && !model.pools.some((p) => p.name === options.pool)
        ? didYouMean(
            options.pool,
            model.pools.map((p) => p.name),
          )
        : "";
    io.stderr.write(`netcompile graph: ${error.message}${hint}\n`);
    return EXIT.usage;
  }
}
