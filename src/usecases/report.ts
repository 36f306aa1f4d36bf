/**
 * What a report needs besides the diagnostics: the repository's files for excerpts and, for
 * SARIF, the tool's version and the descriptor of every code. `validate --format sarif` and the
 * Action's SARIF file are built here, the same way; a front end only decides where the file goes
 * and the base of its URIs (`pathPrefix`).
 */
import type { Colors } from "picocolors/types.js";
import { sourceLinesFrom } from "../diagnostics/format-text.js";
import type { DiagnosticsOutputOptions, SarifContext } from "../diagnostics/output.js";
import { VERSION } from "../version.js";
import type { SourceFile } from "../load/load.js";
import type { Model } from "../model/types.js";
import { ruleDescriptors } from "../policy/descriptors.js";
import { docsUrl } from "../policy/docs.js";

export interface ReportOptions {
  /** The repository as the reader names it: the prefix of every relative path (and SARIF URI). */
  readonly pathPrefix: string;
  readonly colors?: Colors;
}

/** The options every diagnostics format needs, for a compiled repository. */
export function reportOptions(
  compiled: {
    readonly sources: ReadonlyMap<string, SourceFile>;
    readonly model: Model | undefined;
  },
  options: ReportOptions,
): DiagnosticsOutputOptions {
  return {
    pathPrefix: options.pathPrefix,
    sources: sourceLinesFrom(compiled.sources),
    ...(options.colors ? { colors: options.colors } : {}),
    docsUrl,
    sarif: sarifContext(compiled.model),
  };
}

/** SARIF's tool version and rule descriptors (built-in rules, the repository's Policies, NC codes). */
export function sarifContext(model: Model | undefined): SarifContext {
  return {
    toolVersion: VERSION,
    rules: (codes) => ruleDescriptors(model, codes),
  };
}
