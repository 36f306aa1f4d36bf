/**
 * The Action's inputs (action.yml) read into one checked value, and the pull request's base
 * commit read from the event file the runner writes at GITHUB_EVENT_PATH.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { repoProblem } from "../usecases/index.js";
import { linkOnTheWay } from "../util/safe-fs.js";
import type { ActionCore, ActionEnv } from "./core.js";

/** A mistake in the workflow (an input, the event, the checkout): the step fails with it. */
export class ActionInputError extends Error {}

export type FailOn = "error" | "warning";

export interface BaseRef {
  /** What git is asked for: a commit, a branch, a tag. */
  readonly ref: string;
  /** Where it came from, for the summary. */
  readonly source: "input" | "pull_request" | "merge_group";
}

export interface ActionInputs {
  /** The checkout (GITHUB_WORKSPACE): annotation and SARIF paths are relative to it. */
  readonly workspace: string;
  /** The netcompile repository (the folder with netcompile.yaml). */
  readonly repoDir: string;
  /** undefined when neither the input nor the event names a base: the plan is skipped. */
  readonly base: BaseRef | undefined;
  readonly failOn: FailOn;
  /** Also compare the committed output folder with what the repository renders. */
  readonly checkOutput: boolean;
  readonly sarifPath: string;
  readonly planJsonPath: string;
  /** A live snapshot to verify the repository against (absolute), when the input names one. */
  readonly live: string | undefined;
  /** The event, when there is one (GitHub's payload; only a few fields are read). */
  readonly event: EventInfo;
}

export interface EventInfo {
  readonly name: string | undefined;
  /** The commit the pull request's files are at (for links); GITHUB_SHA otherwise. */
  readonly headSha: string | undefined;
}

export function readInputs(core: ActionCore, { env, cwd }: ActionEnv): ActionInputs {
  const workspace = resolve(cwd, env.GITHUB_WORKSPACE || ".");
  const repoDir = resolve(workspace, core.getInput("repository") || ".");
  // The checkout is the pull request's: a committed link there would move the whole read.
  const link = linkOnTheWay(workspace, repoDir);
  if (link !== undefined) {
    throw new ActionInputError(
      `input "repository": ${link} in the checkout is a symbolic link; netcompile reads a repository only through real folders of the checkout`,
    );
  }
  const problem = repoProblem(repoDir);
  if (problem === "no such folder" || problem === "not a folder") {
    throw new ActionInputError(
      `input "repository": ${repoDir} is not a folder (is the repository checked out? use actions/checkout before this action)`,
    );
  }
  if (problem !== undefined)
    throw new ActionInputError(`input "repository": ${repoDir}: ${problem}`);

  const failOn = core.getInput("fail-on") || "error";
  if (failOn !== "error" && failOn !== "warning") {
    throw new ActionInputError(`input "fail-on" must be "error" or "warning", not "${failOn}"`);
  }

  const checkOutputInput = core.getInput("check-output") || "false";
  if (!/^(true|false)$/i.test(checkOutputInput)) {
    throw new ActionInputError(
      `input "check-output" must be "true" or "false", not "${checkOutputInput}"`,
    );
  }
  const checkOutput = checkOutputInput.toLowerCase() === "true";

  const temp = env.RUNNER_TEMP || tmpdir();
  const sarifInput = core.getInput("sarif");
  const sarifPath = sarifInput ? resolve(workspace, sarifInput) : join(temp, "netcompile.sarif");
  const planJsonPath = join(temp, "netcompile", "plan.json");

  const liveInput = core.getInput("live");
  const live = liveInput ? resolve(workspace, liveInput) : undefined;
  if (live !== undefined && !existsSync(live)) {
    throw new ActionInputError(
      `input "live": ${live} does not exist (did the job that takes the snapshot run, and its artifact download into the workspace?)`,
    );
  }

  const payload = readEvent(env.GITHUB_EVENT_PATH);
  const baseInput = core.getInput("base");
  const base: BaseRef | undefined = baseInput
    ? { ref: baseInput, source: "input" }
    : baseFromEvent(env.GITHUB_EVENT_NAME, payload);
  const event: EventInfo = {
    name: env.GITHUB_EVENT_NAME || undefined,
    headSha: stringAt(payload, ["pull_request", "head", "sha"]) ?? (env.GITHUB_SHA || undefined),
  };
  return { workspace, repoDir, base, failOn, checkOutput, sarifPath, planJsonPath, live, event };
}

/**
 * The base a change is compared with: `pull_request.base.sha` (pull_request and
 * pull_request_target), `merge_group.base_sha` (a merge queue), else none.
 */
export function baseFromEvent(
  eventName: string | undefined,
  payload: unknown,
): BaseRef | undefined {
  const pr = stringAt(payload, ["pull_request", "base", "sha"]);
  if (pr) return { ref: pr, source: "pull_request" };
  const queue = stringAt(payload, ["merge_group", "base_sha"]);
  if (queue) return { ref: queue, source: "merge_group" };
  if (eventName === "pull_request" || eventName === "pull_request_target") {
    throw new ActionInputError(
      `the ${eventName} event at GITHUB_EVENT_PATH has no pull_request.base.sha; set the "base" input`,
    );
  }
  return undefined;
}

function readEvent(path: string | undefined): unknown {
  if (!path) return undefined;
  let text: string;
  try {
    text = readFileSync(isAbsolute(path) ? path : resolve(path), "utf8");
  } catch (error) {
    throw new ActionInputError(
      `cannot read the event file GITHUB_EVENT_PATH=${path}: ${(error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ActionInputError(
      `the event file GITHUB_EVENT_PATH=${path} is not JSON: ${(error as Error).message}`,
    );
  }
}

function stringAt(value: unknown, path: readonly string[]): string | undefined {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === "string" && at !== "" ? at : undefined;
}
