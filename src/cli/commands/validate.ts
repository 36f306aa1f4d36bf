import { hasErrors } from "../../diagnostics/types.js";
import { FsRepoReader } from "../../load/reader.js";
import { compile } from "../../pipeline.js";
import { EXIT, type Io } from "../io.js";
import { displayPath, printDiagnostics, type DiagnosticFormat } from "../output.js";
import { resolve } from "node:path";

export interface ValidateOptions {
  readonly repo: string;
  readonly format: DiagnosticFormat;
}

export function validateCommand(options: ValidateOptions, io: Io): number {
  const repo = resolve(io.cwd, options.repo);
  const shown = displayPath(io.cwd, repo);
  const result = compile(new FsRepoReader(repo, shown), { render: "none" });
  printDiagnostics(io, io.stdout, result, result.diagnostics, options.format, shown);
  return hasErrors(result.diagnostics) ? EXIT.failed : EXIT.ok;
}
