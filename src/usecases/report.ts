/**
 * What a report needs besides the diagnostics: the repository's files for excerpts and, for
 * SARIF, the tool's version, the descriptor of every code, what its URIs are relative to and
 * which files exist. `validate --format sarif` and the Action's SARIF file are built here, the
 * same way; a front end only decides where the file goes and the base of its URIs.
 */
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { Colors } from "picocolors/types.js";
import { sourceLinesFrom } from "../diagnostics/format-text.js";
import type { DiagnosticsOutputOptions, SarifContext } from "../diagnostics/output.js";
import { REPOSITORY_URL, VERSION } from "../version.js";
import type { SourceFile } from "../load/load.js";
import type { Model } from "../model/types.js";
import { ruleDescriptors } from "../policy/descriptors.js";
import { docsUrl } from "../policy/docs.js";

export interface ReportOptions {
  /** The repository as the reader names it: the prefix of every relative path (and SARIF URI). */
  readonly pathPrefix: string;
  readonly colors?: Colors;
  /** The repository folder: SARIF locates a finding on a file only when the file exists. */
  readonly repoDir?: string;
  /** SARIF URIs relative to the repository root (the CLI) or the working directory (the Action). */
  readonly sarifBase?: SarifContext["base"];
}

/** The options every diagnostics format needs, for a compiled repository. */
export function reportOptions(
  compiled: {
    readonly sources: ReadonlyMap<string, SourceFile>;
    readonly model: Model | undefined;
  },
  options: ReportOptions,
): DiagnosticsOutputOptions {
  const { repoDir } = options;
  const exists =
    repoDir === undefined
      ? undefined
      : (file: string) =>
          compiled.sources.has(file) || existsSync(isAbsolute(file) ? file : join(repoDir, file));
  return {
    pathPrefix: options.pathPrefix,
    sources: sourceLinesFrom(compiled.sources),
    ...(options.colors ? { colors: options.colors } : {}),
    docsUrl,
    sarif: {
      ...sarifContext(compiled.model),
      ...(options.sarifBase ? { base: options.sarifBase } : {}),
      ...(exists ? { exists } : {}),
    },
  };
}

/** SARIF's tool version and rule descriptors (built-in rules, the repository's Policies, NC codes). */
export function sarifContext(model: Model | undefined): SarifContext {
  return {
    toolVersion: VERSION,
    informationUri: REPOSITORY_URL,
    rules: (codes) => ruleDescriptors(model, codes),
  };
}
