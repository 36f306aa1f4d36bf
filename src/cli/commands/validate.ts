import { formatGithub } from "../../diagnostics/format-github.js";
import { formatSarif } from "../../diagnostics/format-sarif.js";
import type { Diagnostic } from "../../diagnostics/types.js";
import { VERSION } from "../../version.js";
import { FsRepoReader } from "../../load/reader.js";
import { compile } from "../../pipeline.js";
import { ruleDescriptors } from "../../policy/descriptors.js";
import { EXIT, type Io } from "../io.js";
import { displayPath, printDiagnostics } from "../output.js";
import { resolve } from "node:path";

export type ValidateFormat = "text" | "json" | "sarif" | "github";

export interface ValidateOptions {
  readonly repo: string;
  readonly format: ValidateFormat;
  /** The least severity that fails the run (exit 1); waived findings never do. */
  readonly failOn?: "error" | "warning";
}

export function validateCommand(options: ValidateOptions, io: Io): number {
  const repo = resolve(io.cwd, options.repo);
  const shown = displayPath(io.cwd, repo);
  const result = compile(new FsRepoReader(repo, shown), { render: "none" });
  const { diagnostics } = result;
  if (options.format === "sarif") {
    io.stdout.write(
      formatSarif(diagnostics, {
        toolVersion: VERSION,
        rules: ruleDescriptors(
          result.model,
          diagnostics.map((d) => d.code),
        ),
        pathPrefix: shown,
      }),
    );
  } else if (options.format === "github") {
    io.stdout.write(formatGithub(diagnostics, { pathPrefix: shown }));
  } else {
    printDiagnostics(io, io.stdout, result, diagnostics, options.format, shown);
  }
  return fails(diagnostics, options.failOn ?? "error") ? EXIT.failed : EXIT.ok;
}

export function fails(diagnostics: readonly Diagnostic[], failOn: "error" | "warning"): boolean {
  return diagnostics.some(
    (d) =>
      !d.waived && (d.severity === "error" || (failOn === "warning" && d.severity === "warning")),
  );
}
