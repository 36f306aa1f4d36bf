/** `netcompile import`: a repository from a live snapshot; what was read and written, and its findings. */
import { resolve } from "node:path";
import { terminalText } from "../../util/terminal.js";
import { snapshotSummary } from "../../live/snapshot.js";
import { displayPath, EXIT, exitCode, importLive, snapshotAt } from "../../usecases/index.js";
import { colorsFor, type Io } from "../io.js";
import { logDiagnostics } from "../output.js";

export interface ImportOptions {
  readonly live: string;
  readonly out: string;
  readonly force: boolean;
}

export function importCommand(options: ImportOptions, io: Io): number {
  const out = resolve(io.cwd, options.out);
  const shown = displayPath(io.cwd, out);
  const result = importLive({
    live: snapshotAt(io.cwd, options.live, io.cwd),
    out: { dir: out, shown },
    force: options.force,
  });
  if (result.snapshot?.readable)
    io.stderr.write(
      `snapshot ${terminalText(snapshotSummary(result.snapshot, displayPath(io.cwd, resolve(io.cwd, options.live))))}\n`,
    );
  // The snapshot's and the import's findings name paths from the working directory already.
  logDiagnostics(io, { diagnostics: result.diagnostics }, ".");
  if (result.outcome === "unreadable") return EXIT.usage;
  if (result.validation) logDiagnostics(io, result.validation, shown);
  if (result.outcome === "written" && result.result) {
    const c = colorsFor(io.stdout, io.env);
    const s = result.result.summary;
    const lines = [
      `${c.green("wrote")} ${result.result.files.size} files to ${c.bold(shown)}/`,
      ...[...result.result.files.keys()].map(
        (f) => `  ${f}${result.replaced.includes(f as never) ? c.dim(" (replaced)") : ""}`,
      ),
      `${s.nodes} nodes (${s.groups} node groups, ${s.listed} listed one by one), ${s.subnets} subnets, ${s.pools} IPPools`,
    ];
    const errors = result.verdict.counts.errors;
    lines.push(
      errors > 0
        ? `the repository has ${errors} error(s) (above): the cluster breaks rules netcompile checks`
        : "the repository validates; review the lines marked CHECK, then run netcompile verify",
    );
    io.stdout.write(`${lines.join("\n")}\n`);
  }
  return exitCode(result.verdict);
}
