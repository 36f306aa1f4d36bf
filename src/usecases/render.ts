/**
 * `render`: the Kubernetes objects as one YAML stream (an Argo CD Config Management Plugin's
 * generate command). No stream at all on any error: empty output with success would make
 * Argo CD prune the whole application.
 */
import type { CompileResult } from "../pipeline.js";
import type { RenderedFile } from "../render/types.js";
import { compileRepo, type RepoRef } from "./repo.js";
import { decide, type Verdict } from "./verdict.js";

export interface RenderResult {
  readonly compiled: CompileResult;
  /** The YAML stream; undefined when anything failed. */
  readonly stream: string | undefined;
  readonly verdict: Verdict;
}

export function renderRepo(repo: RepoRef): RenderResult {
  const compiled = compileRepo(repo, { render: "manifests" });
  const verdict = decide({ diagnostics: compiled.diagnostics, incomplete: !compiled.files });
  const stream = compiled.files && !verdict.failed ? yamlStream(compiled.files) : undefined;
  return { compiled, stream, verdict };
}

/** The manifests, each headed by its path, separated by `---`. */
export function yamlStream(files: readonly RenderedFile[]): string {
  return files
    .filter((f) => f.path.startsWith("manifests/"))
    .map((f) => `# Source: ${f.path}\n${f.content.endsWith("\n") ? f.content : `${f.content}\n`}`)
    .join("---\n");
}
