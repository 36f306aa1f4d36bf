import { formatJson } from "../diagnostics/format-json.js";
import { formatText, sourceLinesFrom } from "../diagnostics/format-text.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { CompileResult } from "../pipeline.js";
import { colorsFor, type Io, type OutStream } from "./io.js";

export type DiagnosticFormat = "text" | "json";

/** Prints diagnostics in a format; a formatter only prints, it decides nothing. */
export function printDiagnostics(
  io: Io,
  stream: OutStream,
  result: Pick<CompileResult, "sources">,
  diagnostics: readonly Diagnostic[],
  format: DiagnosticFormat,
): void {
  if (format === "json") stream.write(formatJson(diagnostics));
  else
    stream.write(
      formatText(diagnostics, sourceLinesFrom(result.sources), colorsFor(stream, io.env)),
    );
}

/** For commands whose stdout is data: diagnostics go to stderr, and only when there are some. */
export function logDiagnostics(io: Io, result: CompileResult): void {
  if (result.diagnostics.length === 0) return;
  printDiagnostics(io, io.stderr, result, result.diagnostics, "text");
}
