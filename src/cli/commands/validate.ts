import { resolve } from "node:path";
import type { DiagnosticsFormat } from "../../diagnostics/output.js";
import { formatDiagnostics } from "../../diagnostics/output.js";
import type { Diagnostic } from "../../diagnostics/types.js";
import { FsRepoReader } from "../../load/reader.js";
import { compile } from "../../pipeline.js";
import { reportOptions } from "../../usecases/report.js";
import { colorsFor, EXIT, type Io } from "../io.js";
import { displayPath } from "../output.js";

export interface ValidateOptions {
  readonly repo: string;
  readonly format: DiagnosticsFormat;
  /** The least severity that fails the run (exit 1); waived findings never do. */
  readonly failOn?: "error" | "warning";
}

export function validateCommand(options: ValidateOptions, io: Io): number {
  const repo = resolve(io.cwd, options.repo);
  const shown = displayPath(io.cwd, repo);
  const result = compile(new FsRepoReader(repo, shown), { render: "none" });
  const { diagnostics } = result;
  io.stdout.write(
    formatDiagnostics(
      options.format,
      diagnostics,
      reportOptions(result, { pathPrefix: shown, colors: colorsFor(io.stdout, io.env) }),
    ),
  );
  return fails(diagnostics, options.failOn ?? "error") ? EXIT.failed : EXIT.ok;
}

export function fails(diagnostics: readonly Diagnostic[], failOn: "error" | "warning"): boolean {
  return diagnostics.some(
    (d) =>
      !d.waived && (d.severity === "error" || (failOn === "warning" && d.severity === "warning")),
  );
}
