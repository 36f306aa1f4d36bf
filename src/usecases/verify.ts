/**
 * `verify`: the repository against a snapshot of the running cluster. The repository is
 * validated as `validate` does; when it and the snapshot read without errors, the live rules
 * compare them. Everything is reported on the repository's lines, with the live objects as
 * related locations (snapshot files named relative to the repository: see live.ts).
 */
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/types.js";
import type { SnapshotLocation } from "../live/load.js";
import { readSnapshot, type LiveSnapshot } from "../live/snapshot.js";
import { runLiveRules } from "../policy/live-engine.js";
import type { CompileResult } from "../pipeline.js";
import { snapshotExclusion } from "./live.js";
import { compileRepo, type RepoRef } from "./repo.js";
import { decide, type FailOn, type Verdict } from "./verdict.js";

export interface VerifyResult {
  readonly compiled: CompileResult;
  readonly snapshot: LiveSnapshot;
  /** False when the live rules did not run (the repository or the snapshot has errors). */
  readonly compared: boolean;
  /** What the snapshot adds to the repository's own diagnostics: its problems and the live findings. */
  readonly live: readonly Diagnostic[];
  readonly diagnostics: readonly Diagnostic[];
  readonly verdict: Verdict;
}

export function verifyRepo(
  repo: RepoRef,
  live: SnapshotLocation,
  options: { readonly failOn?: FailOn } = {},
): VerifyResult {
  // A snapshot kept inside the repository is not read as the repository's own YAML.
  const compiled = compileRepo(repo, {
    render: "none",
    excludeDirs: snapshotExclusion(repo.dir, live.path),
  });
  const snapshot = readSnapshot(live);
  return compareWithSnapshot(compiled, snapshot, options);
}

/** The repository as another use case compiled it, against the snapshot at `live` (the Action's `live` input). */
export function verifyCompiled(
  compiled: CompileResult,
  live: SnapshotLocation,
  options: { readonly failOn?: FailOn } = {},
): VerifyResult {
  return compareWithSnapshot(compiled, readSnapshot(live), options);
}

/** The live rules on a compiled repository and a read snapshot. */
export function compareWithSnapshot(
  compiled: CompileResult,
  snapshot: LiveSnapshot,
  options: { readonly failOn?: FailOn } = {},
): VerifyResult {
  const live: Diagnostic[] = [...snapshot.diagnostics];
  const model = compiled.model;
  let compared = false;
  if (
    model &&
    !hasErrors(compiled.diagnostics) &&
    snapshot.readable &&
    !hasErrors(snapshot.diagnostics)
  ) {
    live.push(...runLiveRules(model, snapshot));
    compared = true;
  } else if (hasErrors(compiled.diagnostics)) {
    const count = compiled.diagnostics.filter((d) => d.severity === "error").length;
    live.push(diagnostic("NC7019", fileSpan("netcompile.yaml"), { count }));
  }
  const sorted = sortDiagnostics([...compiled.diagnostics, ...live]);
  return {
    compiled,
    snapshot,
    compared,
    live: sortDiagnostics(live),
    diagnostics: sorted,
    verdict: decide({ diagnostics: sorted, failOn: options.failOn, incomplete: !compared }),
  };
}
