/** `netcompile render`: the Kubernetes objects as one YAML stream on stdout, nothing on error. */
import { EXIT, exitCode, renderRepo } from "../../usecases/index.js";
import { repoFromOption } from "../repo.js";
import type { Io } from "../io.js";
import { logDiagnostics } from "../output.js";

export interface RenderOptions {
  readonly repo: string;
}

export function renderCommand(options: RenderOptions, io: Io): number {
  const repo = repoFromOption(io, options.repo);
  if (!repo) return EXIT.usage;
  const result = renderRepo(repo);
  logDiagnostics(io, result.compiled, repo.shown);
  if (result.stream !== undefined) io.stdout.write(result.stream);
  return exitCode(result.verdict);
}
