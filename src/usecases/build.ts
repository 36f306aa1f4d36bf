/**
 * `build`: compile, render, then write the output tree atomically — or, with `check`, write
 * nothing and compare the tree on disk with what would be written. The output step's own
 * problems (a folder netcompile did not write, a failed write, stale files) are diagnostics.
 */
import { isAbsolute, join, posix, relative } from "node:path";
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import { hasErrors, type Diagnostic } from "../diagnostics/types.js";
import { compareTree, EmitError, emitTree, type TreeDifference } from "../emit/emit.js";
import { linkOnTheWay } from "../util/safe-fs.js";
import { lockFileFor, withLockFile } from "../emit/lock.js";
import type { CompileResult } from "../pipeline.js";
import type { RenderedFile } from "../render/types.js";
import { compileRepo, type RepoRef } from "./repo.js";
import { decide, type Verdict } from "./verdict.js";

export interface BuildRequest {
  /** The output folder (absolute); the Cluster's spec.output.dir below the repository if absent. */
  readonly out?: string;
  /** Write nothing; compare the output folder with what would be written. */
  readonly check?: boolean;
  /** Replace an output folder that netcompile did not write. */
  readonly force?: boolean;
}

/**
 * invalid: the repository does not compile (nothing written); written; up-to-date and stale:
 * what `check` found; not-written: the write failed (the previous tree is intact).
 */
export type BuildOutcome = "invalid" | "written" | "up-to-date" | "stale" | "not-written";

export interface BuildResult {
  readonly compiled: CompileResult;
  readonly outcome: BuildOutcome;
  /** The output folder and how messages name it; undefined when the repository does not compile. */
  readonly out: { readonly dir: string; readonly shown: string } | undefined;
  /** What is (or would be) written, lock file included. */
  readonly tree: readonly RenderedFile[] | undefined;
  /** `check`: the files that differ. */
  readonly differences: readonly TreeDifference[];
  /** The output step's findings (NC5002, NC5003, NC5004), at paths as `out.shown` names them. */
  readonly outputDiagnostics: readonly Diagnostic[];
  readonly verdict: Verdict;
}

export function buildRepo(repo: RepoRef, request: BuildRequest = {}): BuildResult {
  const excludeDirs =
    request.out !== undefined && isInside(repo.dir, request.out)
      ? [relative(repo.dir, request.out)]
      : [];
  const compiled = compileRepo(repo, { render: "all", excludeDirs });
  const { files, model } = compiled;
  if (!files || !model || hasErrors(compiled.diagnostics)) {
    const verdict = decide({ diagnostics: compiled.diagnostics, incomplete: true });
    return { ...nothing(compiled, verdict), outcome: "invalid" };
  }
  const dir = request.out ?? join(repo.dir, model.cluster.outputDir);
  const out = { dir, shown: repo.show(dir) };
  const done = (
    outcome: BuildOutcome,
    tree: readonly RenderedFile[],
    outputDiagnostics: readonly Diagnostic[],
    differences: readonly TreeDifference[] = [],
  ): BuildResult => ({
    compiled,
    outcome,
    out,
    tree,
    differences,
    outputDiagnostics,
    verdict: decide({ diagnostics: [...compiled.diagnostics, ...outputDiagnostics] }),
  });

  if (request.check) {
    const checked = checkOutput(compiled, out.dir, out.shown, repo.dir);
    return done(
      checked.diagnostics.length ? "stale" : "up-to-date",
      checked.tree,
      checked.diagnostics,
      checked.differences,
    );
  }
  // The lock file is made (every file hashed) while emit's helper thread writes its share.
  let lock: RenderedFile | undefined;
  const lockFile = () => (lock ??= lockFileFor(files, compiled.inputDigest));
  try {
    emitTree(out.dir, files, { force: request.force === true, inputs: repo.dir, last: lockFile });
  } catch (error) {
    if (!(error instanceof EmitError)) throw error;
    return done("not-written", [...files, lockFile()], [emitDiagnostic(error, out.shown)]);
  }
  return done("written", [...files, lockFile()], []);
}

export interface OutputCheck {
  readonly tree: readonly RenderedFile[];
  readonly differences: readonly TreeDifference[];
  /** One NC5003 per file that differs, at `shownDir`/its path. */
  readonly diagnostics: readonly Diagnostic[];
}

const STATE = {
  missing: () => "is missing",
  differs: () => "differs from what the repository renders",
  unexpected: () => "is not rendered by the repository",
  "not-a-file": (what = "not a regular file") =>
    `is ${what}, where netcompile writes only regular files and folders`,
} as const;

/** The diagnostic for a failed write: each kind of refusal its own code. */
function emitDiagnostic(error: EmitError, shown: string): Diagnostic {
  const span = fileSpan(shown);
  switch (error.kind) {
    case "not-ours":
      return diagnostic("NC5004", span, { dir: shown });
    case "through-link":
      return linkDiagnostic(shown, error.at ?? shown);
    case "holds-input":
      return diagnostic("NC5006", span, { dir: shown, what: error.message });
    case "io":
      return diagnostic("NC5002", span, { what: shown, detail: error.message });
  }
}

function linkDiagnostic(shown: string, link: string): Diagnostic {
  return diagnostic("NC5005", fileSpan(shown), { dir: shown, link });
}

/**
 * How the tree in `dir` differs from what the compiled repository renders (`build --check`, the
 * Action's `check-output`). Nothing to compare when it did not render; NC5005 when a folder of
 * the repository on the way to `dir` is a symbolic link.
 */
export function checkOutput(
  compiled: CompileResult,
  dir: string,
  shownDir: string,
  repoDir: string,
): OutputCheck {
  if (!compiled.files) return { tree: [], differences: [], diagnostics: [] };
  const tree = withLockFile(compiled.files, compiled.inputDigest);
  // Never read through a link: `output.dir: escape/rendered` would compare a tree outside.
  const link = linkOnTheWay(repoDir, dir);
  if (link !== undefined)
    return { tree, differences: [], diagnostics: [linkDiagnostic(shownDir, link)] };
  const differences = compareTree(dir, tree);
  const diagnostics = differences.map((d) => {
    const file = posix.join(shownDir, d.path);
    return diagnostic("NC5003", fileSpan(file), { file, state: STATE[d.state](d.what) });
  });
  return { tree, differences, diagnostics };
}

function nothing(compiled: CompileResult, verdict: Verdict): Omit<BuildResult, "outcome"> {
  return {
    compiled,
    out: undefined,
    tree: undefined,
    differences: [],
    outputDiagnostics: [],
    verdict,
  };
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}
