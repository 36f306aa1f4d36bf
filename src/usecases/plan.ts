/**
 * `plan` and the Action's gate: compile the repository, choose and compile the base, make the
 * plan, check the committed output if asked, and decide. What to compare with:
 *   git         the repository at a commit, read from git objects and compiled: a full model
 *   dir         a rendered tree (e.g. the one Argo CD syncs): facts reconstructed from it
 *   own-output  the repository's own output folder when it exists, else nothing
 *   live        a snapshot of the running cluster: its pools and calico-config (plan/live-base.ts)
 */
import { existsSync, lstatSync } from "node:fs";
import { join } from "node:path";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/types.js";
import { GitError, GitRepoReader } from "../load/git-reader.js";
import { CLUSTER_DEFAULTS } from "../model/defaults.js";
import type { Model } from "../model/types.js";
import { compile, type CompileResult } from "../pipeline.js";
import type { SnapshotLocation } from "../live/load.js";
import { readSnapshot } from "../live/snapshot.js";
import {
  absentBase,
  BaseError,
  dirBase,
  modelBase,
  noBase,
  renderedTreeRequest,
  withHostFiles,
} from "../plan/base.js";
import { comparableFiles, liveBase } from "../plan/live-base.js";
import { failedPlan, makePlan, note, type BaseSide } from "../plan/plan.js";
import type { Plan } from "../plan/types.js";
import { linkOnTheWay, startTreeRead, type TreeReading } from "../util/safe-fs.js";
import { checkOutput } from "./build.js";
import { snapshotExclusion } from "./live.js";
import { compileRepo, type RepoRef } from "./repo.js";
import { decide, type FailOn, type Verdict } from "./verdict.js";

export type BaseChoice =
  | { readonly kind: "git"; readonly ref: string }
  | { readonly kind: "dir"; readonly dir: string }
  | { readonly kind: "own-output" }
  | { readonly kind: "live"; readonly location: SnapshotLocation };

export interface PlanRequest {
  /** What to compare with; undefined: no plan, the repository's diagnostics only. */
  readonly base: BaseChoice | undefined;
  readonly failOn?: FailOn;
  /** Also compare the committed output folder with what the repository renders (NC5003). */
  readonly checkOutput?: boolean;
  /**
   * When the repository does not compile: "failed-plan" still reads the base and returns a plan
   * that says why it is incomplete (`netcompile plan`); "skip" reads no base and makes no plan.
   */
  readonly whenInvalid?: "failed-plan" | "skip";
  /** Repository-relative folders to leave out of the repository (a snapshot kept inside it). */
  readonly excludeDirs?: readonly string[];
}

/** Why there is no plan: no base was asked for, the repository does not compile, the base failed. */
export type NoPlan = "no-base" | "invalid" | "base-error";

export interface PlanResult {
  readonly current: CompileResult;
  readonly plan: Plan | undefined;
  readonly noPlan: NoPlan | undefined;
  /** The base cannot be read (an unknown ref, a missing folder) or does not load (its diagnostics). */
  readonly baseError: BaseError | undefined;
  /** check-output: one NC5003 per stale file, relative to the repository. */
  readonly stale: readonly Diagnostic[];
  /** Everything the run reports, sorted: the plan's diagnostics (or the repository's), then stale files. */
  readonly diagnostics: readonly Diagnostic[];
  readonly verdict: Verdict;
}

export function planRepo(repo: RepoRef, request: PlanRequest): PlanResult {
  // A folder base is read on a second thread while the repository compiles, then by both.
  const reading = request.base?.kind === "dir" ? startReading(request.base.dir) : undefined;
  try {
    return planWith(repo, request, reading);
  } finally {
    reading?.stop();
  }
}

/** The rendered tree at `dir` being read on a thread; undefined when it is not a real folder. */
function startReading(dir: string): TreeReading | undefined {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  return st?.isDirectory() ? startTreeRead(renderedTreeRequest(dir)) : undefined;
}

function planWith(repo: RepoRef, request: PlanRequest, reading?: TreeReading): PlanResult {
  const current = compileRepo(repo, {
    render: "all",
    excludeDirs: [
      ...(request.excludeDirs ?? []),
      ...(request.base?.kind === "live"
        ? snapshotExclusion(repo.dir, request.base.location.path)
        : []),
    ],
  });
  const valid =
    current.model !== undefined && current.files !== undefined && !hasErrors(current.diagnostics);
  const outcome = planAgainst(repo, current, valid, request, reading);
  const stale =
    request.checkOutput && current.model
      ? checkOutput(
          current,
          join(repo.dir, current.model.cluster.outputDir),
          current.model.cluster.outputDir,
          repo.dir,
        ).diagnostics
      : [];
  const diagnostics = sortDiagnostics([
    ...(outcome.plan ? outcome.plan.diagnostics : current.diagnostics),
    ...stale,
  ]);
  const verdict = decide({ diagnostics, failOn: request.failOn, plan: outcome.plan });
  return { current, ...outcome, stale, diagnostics, verdict };
}

type Outcome = Pick<PlanResult, "plan" | "noPlan" | "baseError">;

function planAgainst(
  repo: RepoRef,
  current: CompileResult,
  valid: boolean,
  request: PlanRequest,
  reading: TreeReading | undefined,
): Outcome {
  if (!request.base) return { plan: undefined, noPlan: "no-base", baseError: undefined };
  if (!valid && request.whenInvalid === "skip")
    return { plan: undefined, noPlan: "invalid", baseError: undefined };
  let base: BaseSide;
  try {
    base = readBase(repo, request.base, current.model, current, reading);
  } catch (error) {
    if (!(error instanceof BaseError)) throw error;
    return { plan: undefined, noPlan: "base-error", baseError: error };
  }
  if (!valid || !current.model || !current.files) {
    const errors = current.diagnostics.filter((d) => d.severity === "error").length;
    const notes = [...base.notes, note("NC6008", { count: errors })];
    return {
      plan: failedPlan(base.info, notes, current.diagnostics),
      noPlan: undefined,
      baseError: undefined,
    };
  }
  const plan = makePlan(base, {
    model: current.model,
    // A snapshot says nothing of host files and most manifests: only what it holds is compared.
    files: request.base.kind === "live" ? comparableFiles(base, current.files) : current.files,
    diagnostics: current.diagnostics,
  });
  return { plan, noPlan: undefined, baseError: undefined };
}

/** The base side; BaseError when it cannot be read or does not load. */
function readBase(
  repo: RepoRef,
  choice: BaseChoice,
  model: Model | undefined,
  current: CompileResult,
  reading: TreeReading | undefined,
): BaseSide {
  switch (choice.kind) {
    case "git":
      return gitBase(repo.dir, choice.ref, current);
    case "dir":
      return dirBase(choice.dir, repo.show(choice.dir), model, reading);
    case "live":
      return snapshotBase(choice.location, model);
    case "own-output": {
      const out = join(repo.dir, model?.cluster.outputDir ?? CLUSTER_DEFAULTS.outputDir);
      const shown = repo.show(out);
      // Never read through a link: `escape -> /etc` would print /etc's files as the base.
      const link = linkOnTheWay(repo.dir, out);
      if (link !== undefined)
        throw new BaseError(
          `${shown}: ${link} is a symbolic link; netcompile reads its output only through real folders of the repository`,
        );
      if (existsSync(out)) return dirBase(out, shown, model);
      return noBase(`no --base or --against, and ${shown} does not exist`);
    }
  }
}

/** The running cluster from a snapshot; BaseError when it cannot be read or has errors. */
function snapshotBase(location: SnapshotLocation, model: Model | undefined): BaseSide {
  const snapshot = readSnapshot(location);
  if (!snapshot.readable) throw new BaseError(snapshot.diagnostics[0]?.message ?? "unreadable");
  if (hasErrors(snapshot.diagnostics)) {
    const errors = snapshot.diagnostics.filter((d) => d.severity === "error");
    throw new BaseError(
      `the snapshot has ${errors.length} error(s), the first: ${errors[0]?.message}`,
      snapshot.diagnostics,
    );
  }
  if (!model) return noBase("the repository does not compile");
  return liveBase(snapshot, location.shown, model);
}

/**
 * The repository as it was at `ref`, compiled (git objects only: the work tree is not touched).
 * Hosts whose host model `current` shares are not rendered again (plan/base.ts withHostFiles).
 */
export function gitBase(repoDir: string, ref: string, current?: CompileResult): BaseSide {
  let reader: GitRepoReader;
  try {
    reader = new GitRepoReader(repoDir, ref);
  } catch (error) {
    if (error instanceof GitError) throw new BaseError(error.message);
    throw error;
  }
  const short = reader.commit.slice(0, 12);
  const where = reader.prefix ? `:${reader.prefix.replace(/\/$/, "")}` : "";
  const info = {
    kind: "git" as const,
    ref,
    commit: reader.commit,
    description: `${ref} (${short})${where}`,
  };
  if (reader.sizeOf("netcompile.yaml") === undefined) {
    return absentBase(
      info,
      `${ref} has no netcompile.yaml${where ? ` in ${where.slice(1)}` : ""} (the repository did not exist yet)`,
    );
  }
  return modelBase(
    info,
    withHostFiles(compile(reader, { render: "manifests", hostFilesLater: true }), current),
  );
}
