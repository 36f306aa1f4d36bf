/** How commands whose stdout is data show diagnostics: on stderr, in text, only when there are some. */
import { sourceLinesFrom } from "../diagnostics/format-text.js";
import { formatDiagnostics } from "../diagnostics/output.js";
import { docsUrl } from "../usecases/index.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { SourceFile } from "../load/load.js";
import { plural } from "../util/text.js";
import { colorsFor, type Io } from "./io.js";

export function logDiagnostics(
  io: Io,
  result: {
    readonly sources?: ReadonlyMap<string, SourceFile>;
    readonly diagnostics: readonly Diagnostic[];
  },
  repoShown: string,
): void {
  // Waived findings were reviewed already: a log names how many, `validate` shows them.
  const shown = result.diagnostics.filter((d) => !d.waived);
  const waived = result.diagnostics.length - shown.length;
  if (shown.length > 0) {
    io.stderr.write(
      formatDiagnostics("text", shown, {
        pathPrefix: repoShown,
        sources: sourceLinesFrom(result.sources ?? new Map()),
        colors: colorsFor(io.stderr, io.env),
        docsUrl,
      }),
    );
  }
  if (waived > 0) {
    io.stderr.write(
      `${plural(waived, "waived finding")} not shown (netcompile validate lists them)\n`,
    );
  }
}
