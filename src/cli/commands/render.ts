import { hasErrors } from "../../diagnostics/types.js";
import { FsRepoReader } from "../../load/reader.js";
import { compile } from "../../pipeline.js";
import type { RenderedFile } from "../../render/types.js";
import { EXIT, type Io } from "../io.js";
import { displayPath, logDiagnostics } from "../output.js";
import { resolve } from "node:path";

export interface RenderOptions {
  readonly repo: string;
}

/**
 * The Kubernetes objects as one YAML stream (an Argo CD Config Management Plugin's generate
 * command). On any error stdout stays empty and the exit code is 1: empty output with exit 0
 * would make Argo CD prune the whole application.
 */
export function renderCommand(options: RenderOptions, io: Io): number {
  const repo = resolve(io.cwd, options.repo);
  const shown = displayPath(io.cwd, repo);
  const result = compile(new FsRepoReader(repo, shown), { render: "manifests" });
  logDiagnostics(io, result, shown);
  if (!result.files || hasErrors(result.diagnostics)) return EXIT.failed;
  io.stdout.write(yamlStream(result.files));
  return EXIT.ok;
}

export function yamlStream(files: readonly RenderedFile[]): string {
  return files
    .filter((f) => f.path.startsWith("manifests/"))
    .map((f) => `# Source: ${f.path}\n${f.content.endsWith("\n") ? f.content : `${f.content}\n`}`)
    .join("---\n");
}
