/** `netcompile verify`: every disagreement between the repository and a live snapshot, in the format asked for. */
import { resolve } from "node:path";
import type { DiagnosticsFormat } from "../../diagnostics/output.js";
import { formatDiagnostics } from "../../diagnostics/output.js";
import { terminalText } from "../../util/terminal.js";
import { snapshotSummary } from "../../live/snapshot.js";
import {
  displayPath,
  EXIT,
  exitCode,
  reportOptions,
  snapshotAt,
  verifyRepo,
  type FailOn,
} from "../../usecases/index.js";
import { colorsFor, type Io } from "../io.js";
import { repoFromOption } from "../repo.js";

export interface VerifyOptions {
  readonly repo: string;
  readonly live: string;
  readonly format: DiagnosticsFormat;
  readonly failOn?: FailOn;
}

export function verifyCommand(options: VerifyOptions, io: Io): number {
  const repo = repoFromOption(io, options.repo);
  if (!repo) return EXIT.usage;
  const result = verifyRepo(repo, snapshotAt(io.cwd, options.live, repo.dir), {
    failOn: options.failOn,
  });
  if (result.snapshot.readable) {
    io.stderr.write(
      `snapshot ${terminalText(snapshotSummary(result.snapshot, displayPath(io.cwd, resolve(io.cwd, options.live))))}\n`,
    );
  }
  const report = reportOptions(result.compiled, {
    pathPrefix: repo.shown,
    colors: colorsFor(io.stdout, io.env),
    repoDir: repo.dir,
  });
  io.stdout.write(formatDiagnostics(options.format, result.diagnostics, report));
  // A snapshot that cannot be read at all is a usage error, as a base that cannot be read is.
  if (!result.snapshot.readable) return EXIT.usage;
  return exitCode(result.verdict);
}
