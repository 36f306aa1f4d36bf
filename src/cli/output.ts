import { isAbsolute, relative } from "node:path";
import { sourceLinesFrom } from "../diagnostics/format-text.js";
import { formatDiagnostics, type DiagnosticsFormat } from "../diagnostics/output.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { CompileResult } from "../pipeline.js";
import { colorsFor, type Io, type OutStream } from "./io.js";
import { plural } from "../util/text.js";

/** Prints diagnostics in a format; a formatter only prints, it decides nothing. */
export function printDiagnostics(
  io: Io,
  stream: OutStream,
  result: Pick<CompileResult, "sources">,
  diagnostics: readonly Diagnostic[],
  format: Exclude<DiagnosticsFormat, "sarif">,
  repoShown: string,
): void {
  stream.write(
    formatDiagnostics(format, diagnostics, {
      pathPrefix: repoShown,
      sources: sourceLinesFrom(result.sources),
      colors: colorsFor(stream, io.env),
    }),
  );
}

/** For commands whose stdout is data: diagnostics go to stderr, and only when there are some. */
export function logDiagnostics(
  io: Io,
  result: Pick<CompileResult, "sources" | "diagnostics">,
  repoShown: string,
): void {
  // Waived findings were reviewed already: a log names how many, `validate` shows them.
  const shown = result.diagnostics.filter((d) => !d.waived);
  const waived = result.diagnostics.length - shown.length;
  if (shown.length > 0) printDiagnostics(io, io.stderr, result, shown, "text", repoShown);
  if (waived > 0) {
    io.stderr.write(
      `${plural(waived, "waived finding")} not shown (netcompile validate lists them)\n`,
    );
  }
}

/** A path as the user should see it: relative to the working directory when below it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}
