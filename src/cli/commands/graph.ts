/**
 * `netcompile graph`: the overlay as a picture — one box per subnet, one edge per subnet pair
 * that carries workload traffic, labelled per pool with the routing decision (the same one
 * `explain` prints: src/model/routing.ts) and the pod MTU. Mermaid, Graphviz dot or SVG.
 */
import { formatGraph, type GraphFormat } from "../../graph/index.js";
import { EXIT, exitCode, graphRepo } from "../../usecases/index.js";
import { repoFromOption } from "../repo.js";
import type { Io } from "../io.js";
import { logDiagnostics } from "../output.js";
import { terminalText } from "../../util/terminal.js";

export interface GraphOptions {
  readonly repo: string;
  readonly format: GraphFormat;
  readonly pool?: string;
  readonly nodes: boolean;
}

export function graphCommand(options: GraphOptions, io: Io): number {
  const repo = repoFromOption(io, options.repo);
  if (!repo) return EXIT.usage;
  const result = graphRepo(repo, { pool: options.pool, nodes: options.nodes });
  logDiagnostics(io, result.compiled, repo.shown);
  if (result.status === "invalid") return EXIT.failed;
  if (result.status === "usage") {
    io.stderr.write(`netcompile graph: ${terminalText(result.message)}\n`);
    return EXIT.usage;
  }
  io.stdout.write(formatGraph(result.graph, options.format));
  // A repository with errors is drawn (its errors marked), and the run still fails.
  return exitCode(result.verdict);
}
