/** `netcompile validate`: every diagnostic, in the format asked for, on stdout. */
import type { DiagnosticsFormat } from "../../diagnostics/output.js";
import { formatDiagnostics } from "../../diagnostics/output.js";
import { EXIT, exitCode, reportOptions, validateRepo, type FailOn } from "../../usecases/index.js";
import { repoFromOption } from "../repo.js";
import { colorsFor, type Io } from "../io.js";

export interface ValidateOptions {
  readonly repo: string;
  readonly format: DiagnosticsFormat;
  /** The least severity that fails the run (exit 1); waived findings never do. */
  readonly failOn?: FailOn;
}

export function validateCommand(options: ValidateOptions, io: Io): number {
  const repo = repoFromOption(io, options.repo);
  if (!repo) return EXIT.usage;
  const result = validateRepo(repo, { failOn: options.failOn });
  const report = reportOptions(result.compiled, {
    pathPrefix: repo.shown,
    colors: colorsFor(io.stdout, io.env),
    repoDir: repo.dir,
  });
  io.stdout.write(formatDiagnostics(options.format, result.diagnostics, report));
  return exitCode(result.verdict);
}
