/**
 * The diagnostics formats by name — text, json, sarif, github — for `validate --format`, the
 * logs of the other commands and the Action's SARIF file. A new format is one file with its
 * formatter and one line here.
 */
import pc from "picocolors";
import type { Colors } from "picocolors/types.js";
import { chooseFormat, collected, outputText, type Output, type Sink } from "../util/output.js";
import { formatGithub } from "./format-github.js";
import { formatJson } from "./format-json.js";
import { formatSarif, type SarifRule } from "./format-sarif.js";
import { formatText, type SourceLines } from "./format-text.js";
import type { Diagnostic } from "./types.js";

export interface DiagnosticsOutputOptions {
  /** Prefix for relative file paths: the repository as the reader names it. */
  readonly pathPrefix?: string;
  /** text: the repository's files, for the source line under each finding. */
  readonly sources?: SourceLines;
  /** text: colours (none unless given). */
  readonly colors?: Colors;
  /** text: each code's documentation link (none unless given). */
  readonly docsUrl?: (code: string) => string | undefined;
  /** sarif: the tool's version, and the descriptors of the codes the results use. */
  readonly sarif?: SarifContext;
}

export interface SarifContext {
  readonly toolVersion: string;
  readonly informationUri?: string;
  readonly rules: (codes: readonly string[]) => readonly SarifRule[];
  /** What URIs are relative to: the repository root (default) or the working directory. */
  readonly base?: "repository" | "working-directory";
  /** Whether a file exists (results on one that does not are located on none). */
  readonly exists?: (file: string) => boolean;
}

type Factory = (sink: Sink, options: DiagnosticsOutputOptions) => Output<Diagnostic>;

const NO_SOURCES: SourceLines = { line: () => undefined };

const FORMATS = {
  text: (sink, o) =>
    collected(sink, (ds) =>
      formatText(ds, o.sources ?? NO_SOURCES, o.colors ?? pc.createColors(false), {
        pathPrefix: o.pathPrefix,
        docsUrl: o.docsUrl,
      }),
    ),
  json: (sink, o) => collected(sink, (ds) => formatJson(ds, { pathPrefix: o.pathPrefix })),
  sarif: (sink, o) => {
    const sarif = o.sarif;
    if (!sarif) throw new Error("the sarif format needs the tool version and rule descriptors");
    return collected(sink, (ds) =>
      formatSarif(ds, {
        toolVersion: sarif.toolVersion,
        informationUri: sarif.informationUri,
        rules: sarif.rules(ds.map((d) => d.code)),
        pathPrefix: o.pathPrefix,
        base: sarif.base,
        sources: o.sources,
        exists: sarif.exists,
      }),
    );
  },
  github: (sink, o) => collected(sink, (ds) => formatGithub(ds, { pathPrefix: o.pathPrefix })),
} satisfies Record<string, Factory>;

export type DiagnosticsFormat = keyof typeof FORMATS;

/** Every diagnostics format, in the order usage lists them. */
export const DIAGNOSTICS_FORMATS = Object.keys(FORMATS) as DiagnosticsFormat[];

/** The output for `format`; an unknown name throws UnknownFormatError listing the names. */
export function newDiagnosticsOutput(
  format: string,
  sink: Sink,
  options: DiagnosticsOutputOptions = {},
): Output<Diagnostic> {
  const factory: Factory = chooseFormat("diagnostics", FORMATS, format);
  return factory(sink, options);
}

/** The diagnostics in `format`, as a string. */
export function formatDiagnostics(
  format: string,
  diagnostics: readonly Diagnostic[],
  options: DiagnosticsOutputOptions = {},
): string {
  return outputText((sink) => newDiagnosticsOutput(format, sink, options), diagnostics);
}
