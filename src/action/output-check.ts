/**
 * `check-output`: the committed output folder must be exactly what the repository renders, as
 * `netcompile build --check` decides — for the rendered-manifests pattern, where Argo CD syncs
 * the committed `rendered/manifests` and a stale tree must not be merged.
 */
import { join, posix } from "node:path";
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { compareTree } from "../emit/emit.js";
import { withLockFile } from "../emit/lock.js";
import type { CompileResult } from "../pipeline.js";

const STATE = {
  missing: "is missing",
  differs: "differs from what the repository renders",
  unexpected: "is not rendered by the repository",
} as const;

/** One NC5003 per file that differs, at that file (relative to the repository). */
export function staleOutput(repoDir: string, current: CompileResult): Diagnostic[] {
  if (!current.files || !current.model) return [];
  const outputDir = current.model.cluster.outputDir;
  const tree = withLockFile(current.files, current.inputDigest);
  return compareTree(join(repoDir, outputDir), tree).map((d) => {
    const file = posix.join(outputDir, d.path);
    return diagnostic("NC5003", fileSpan(file), { file, state: STATE[d.state] });
  });
}
