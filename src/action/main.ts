/**
 * The GitHub Action: validate the repository, plan it against the pull request's base, verify
 * it against a snapshot of the running cluster (the `live` input), and report on the pull
 * request — annotations on the lines, a job summary, a SARIF file, outputs. The step fails on
 * errors (or warnings with `fail-on: warning`), live findings included, on an unacknowledged
 * disruptive change, and on anything thrown, whatever was thrown.
 */
import { randomUUID } from "node:crypto";
import { closeSync, constants, mkdirSync, openSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as actionsCore from "@actions/core";
import { formatDiagnostics } from "../diagnostics/output.js";
import { linkOnTheWay } from "../util/safe-fs.js";
import { LOCK_FILE, repositoryFolder } from "../load/output-folder.js";
import { FsRepoReader } from "../load/reader.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/types.js";
import { snapshotSummary } from "../live/snapshot.js";
import { formatPlan } from "../plan/output.js";
import { failedPlan, note } from "../plan/plan.js";
import type { Plan, PlanNote } from "../plan/types.js";
import {
  decide,
  displayPath,
  planRepo,
  reportOptions,
  snapshotAt,
  snapshotExclusion,
  verifyCompiled,
  type PlanResult,
} from "../usecases/index.js";
import { emitAnnotations, planAnnotations, repoPrefixOf } from "./annotations.js";
import type { ActionCore, ActionEnv } from "./core.js";
import { ActionInputError, readInputs, type ActionInputs } from "./inputs.js";
import { locator, renderSummary, tableRows, verdictLines } from "./summary.js";
import { must } from "../util/must.js";
import { terminalText as t } from "../util/terminal.js";

export async function run(
  core: ActionCore = actionsCore,
  proc: ActionEnv = { env: process.env, cwd: process.cwd() },
): Promise<void> {
  try {
    await gate(core, proc);
  } catch (thrown) {
    fail(core, thrown);
  }
}

/** Anything thrown fails the step: an Error, a string, undefined — never a green step. */
function fail(core: ActionCore, thrown: unknown): void {
  if (thrown instanceof ActionInputError) {
    core.setFailed(`netcompile: ${t(thrown.message)}`);
    return;
  }
  const detail = thrown instanceof Error ? thrown.message || thrown.name : safeString(thrown);
  core.setFailed(`netcompile: internal error: ${t(detail)}`);
  if (thrown instanceof Error && thrown.stack) core.debug(thrown.stack);
}

function safeString(value: unknown): string {
  try {
    return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

/**
 * A committed output folder (a build's: its lock file is a regular file) is never read as input,
 * and without check-output nothing compares it with what the repository renders: what Argo CD
 * syncs from it, and anything a change hides in it, goes unchecked. Said, not failed.
 */
function uncheckedOutput(
  inputs: ActionInputs,
  outputDir: string | undefined,
  shown: string,
): string | undefined {
  if (inputs.checkOutput || outputDir === undefined) return undefined;
  const folder = repositoryFolder(outputDir);
  if (
    folder === "" ||
    new FsRepoReader(inputs.repoDir).sizeOf(`${folder}/${LOCK_FILE}`) === undefined
  )
    return undefined;
  const where = shown === "." ? folder : `${shown}/${folder}`;
  return `${where} holds a build (${LOCK_FILE}), which this run did not read or compare with what the repository renders: with check-output off, what Argo CD syncs from it, and any file a change adds to it, is not checked; set check-output: true`;
}

async function gate(core: ActionCore, proc: ActionEnv): Promise<void> {
  const inputs = readInputs(core, proc);
  const prefix = repoPrefixOf(inputs.workspace, inputs.repoDir);
  const shown = prefix || ".";
  core.info(
    `netcompile: repository ${t(shown)}, base ${inputs.base ? `${t(inputs.base.ref)} (${inputs.base.source})` : "none"}`,
  );

  // Snapshot files are named relative to the repository, as every other path of a finding.
  const live = inputs.live ? snapshotAt(inputs.workspace, inputs.live, inputs.repoDir) : undefined;
  const result = planRepo(
    { dir: inputs.repoDir, shown, show: (path) => path },
    {
      base: inputs.base ? { kind: "git", ref: inputs.base.ref } : undefined,
      failOn: inputs.failOn,
      checkOutput: inputs.checkOutput,
      whenInvalid: "skip",
      excludeDirs: live ? snapshotExclusion(inputs.repoDir, live.path) : [],
    },
  );
  const { current, plan, stale } = result;
  // The live input: the repository as compiled above, against the running cluster.
  const verified = live ? verifyCompiled(current, live, { failOn: inputs.failOn }) : undefined;
  if (verified && !verified.snapshot.readable) {
    throw new ActionInputError(`input "live": ${verified.live[0]?.message ?? "unreadable"}`);
  }
  if (verified && live) {
    const name = displayPath(inputs.workspace, live.path);
    core.info(`netcompile: live snapshot ${t(snapshotSummary(verified.snapshot, name))}`);
  }
  const diagnostics = verified
    ? sortDiagnostics([...result.diagnostics, ...verified.live])
    : result.diagnostics;
  const verdict = verified ? decide({ diagnostics, failOn: inputs.failOn, plan }) : result.verdict;
  const noPlanReason = whyNoPlan(inputs, result);
  if (result.noPlan === "base-error" && noPlanReason)
    core.warning(t(noPlanReason), { title: "netcompile: no plan" });
  const unchecked = uncheckedOutput(inputs, current.model?.cluster.outputDir, shown);
  if (unchecked) core.warning(t(unchecked), { title: "netcompile: output folder not checked" });

  // The log has everything (annotations and the summary are capped): the plan, or the findings.
  const text = reportOptions(current, { pathPrefix: shown });
  const findings = (ds: readonly Diagnostic[]) => formatDiagnostics("text", ds, text);
  const liveFindings = verified?.live.length ? `\n${findings(verified.live)}` : "";
  logVerbatim(
    core,
    plan
      ? `${formatPlan("text", plan, text)}${stale.length ? `\n${findings(stale)}` : ""}${liveFindings}`
      : findings(diagnostics),
  );

  const annotations = planAnnotations(diagnostics, prefix);
  emitAnnotations(core, annotations);

  // SARIF URIs are relative to the workspace (code scanning's checkout), not to the repository.
  writeFile(
    inputs.sarifPath,
    formatDiagnostics(
      "sarif",
      diagnostics,
      reportOptions(current, {
        pathPrefix: prefix,
        repoDir: inputs.repoDir,
        sarifBase: "working-directory",
      }),
    ),
    "sarif",
    inputs.workspace,
  );
  writeFile(
    inputs.planJsonPath,
    formatPlan(
      "json",
      plan ?? failedPlan(noBaseInfo(noPlanReason), notesFor(current.diagnostics), diagnostics),
      { pathPrefix: prefix },
    ),
    "plan-json",
    inputs.workspace,
  );

  const { counts } = verdict;
  core.setOutput("errors", counts.errors);
  core.setOutput("warnings", counts.warnings);
  core.setOutput(
    "changes",
    plan ? plan.summary.add + plan.summary.change + plan.summary.destroy : 0,
  );
  core.setOutput("disruptive", plan ? plan.summary.disruptive : 0);
  core.setOutput("acknowledged", plan ? plan.summary.acknowledged : 0);
  core.setOutput("plan-json", inputs.planJsonPath);
  core.setOutput("sarif", inputs.sarifPath);
  core.setOutput("base", plan?.base.commit ?? "");

  if (proc.env.GITHUB_STEP_SUMMARY) {
    const markdown = renderSummary({
      failed: verdict.failed,
      verdict: verdictLines(verdict, inputs.failOn, plan),
      repo: shown,
      ...tableRows(diagnostics, plan),
      notAnnotated: annotations.notShown,
      // The table above lists the findings (linked, with waivers): the plan need not repeat them.
      planMarkdown: plan
        ? (limit) =>
            formatPlan(
              "markdown",
              { ...plan, diagnostics: [] },
              { markdownLimit: limit, pathPrefix: prefix },
            )
        : undefined,
      noPlanReason,
      location: locator(prefix, inputs.event.headSha, proc.env),
    });
    core.summary.addRaw(markdown, true);
    await core.summary.write();
  }

  if (verdict.failed) {
    core.setFailed(
      `netcompile: ${verdict.reasons.join(", ") || "errors"} — see the annotations and the job summary`,
    );
  } else {
    core.info(`netcompile: passed (${verdictLines(verdict, inputs.failOn, plan).join("; ")})`);
  }
}

/**
 * Why there is no plan, for the summary. A base that cannot be read fails the step; one that
 * does not load cannot be compared with, but this change may be its fix: validation still gates
 * it, and the summary and a warning say disruption went unchecked.
 */
function whyNoPlan(inputs: ActionInputs, result: PlanResult): string | undefined {
  switch (result.noPlan) {
    case undefined:
      return undefined;
    case "no-base":
      return `No base to compare with (event ${inputs.event.name ?? "unknown"} is not a pull request); set the "base" input to plan.`;
    case "invalid":
      return "The repository has errors: no plan until they are fixed.";
    case "base-error": {
      const error = must(result.baseError, "the base's error");
      const ref = inputs.base?.ref ?? "";
      if (error.diagnostics.length === 0)
        throw new ActionInputError(`cannot read the base ${ref}: ${error.message}`);
      return `The base ${ref} does not load (${error.message}): no plan, so disruptive changes were not checked.`;
    }
  }
}

/** As `netcompile plan` notes it when the repository does not validate. */
function notesFor(diagnostics: readonly Diagnostic[]): PlanNote[] {
  if (!hasErrors(diagnostics)) return [];
  return [note("NC6008", { count: diagnostics.filter((d) => d.severity === "error").length })];
}

function noBaseInfo(why: string | undefined): Plan["base"] {
  return {
    kind: "none",
    ref: undefined,
    commit: undefined,
    description: why ?? "nothing",
    analysis: "none",
  };
}

/**
 * Writes text to the log so that nothing in it is taken for a workflow command: a repository
 * value printed at the start of a line could otherwise read as `::error::` or `::add-mask::`.
 */
function logVerbatim(core: ActionCore, text: string): void {
  const token = randomUUID();
  core.info(`::stop-commands::${token}`);
  core.info(text.trimEnd());
  core.info(`::${token}::`);
}

/**
 * Writes a report file (SARIF, plan JSON) where the workflow asked. The checkout is the pull
 * request's: no folder of it on the way and not the file itself may be a symbolic link (a
 * committed `results.sarif -> ~/.bashrc` would be written through), and a path that cannot be
 * written fails the step naming the input, not as an internal error.
 */
function writeFile(path: string, content: string, input: string, workspace: string): void {
  const fail = (detail: string) =>
    new ActionInputError(`cannot write ${path} (input "${input}"): ${detail}`);
  const link = linkOnTheWay(workspace, path);
  if (link !== undefined) throw fail(`${link} in the checkout is a symbolic link`);
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(path, WRITE_FLAGS, 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === "ELOOP" ? "it is a symbolic link" : (error as Error).message);
  }
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

const WRITE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0);
