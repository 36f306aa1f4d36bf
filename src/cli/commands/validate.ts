import { hasErrors } from "../../diagnostics/types.js";
import { FsRepoReader } from "../../load/reader.js";
import { compile } from "../../pipeline.js";
import { EXIT, type Io } from "../io.js";
import { printDiagnostics, type DiagnosticFormat } from "../output.js";

export interface ValidateOptions {
  readonly repo: string;
  readonly format: DiagnosticFormat;
}

export function validateCommand(options: ValidateOptions, io: Io): number {
  const result = compile(new FsRepoReader(options.repo), { render: "none" });
  printDiagnostics(io, io.stdout, result, result.diagnostics, options.format);
  return hasErrors(result.diagnostics) ? EXIT.failed : EXIT.ok;
}
