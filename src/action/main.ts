/**
 * The GitHub Action: validate the repository, plan it against the pull request's base, and
 * report on the pull request — annotations on the lines, a job summary, a SARIF file, outputs.
 * The step fails on errors (or warnings with `fail-on: warning`), on an unacknowledged
 * disruptive change, and on anything thrown, whatever was thrown.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import * as actionsCore from "@actions/core";
import { formatDiagnostics } from "../diagnostics/output.js";
import { hasErrors, sortDiagnostics, summarize, type Diagnostic } from "../diagnostics/types.js";
import { FsRepoReader } from "../load/reader.js";
import { compile, type CompileResult } from "../pipeline.js";
import { BaseError } from "../plan/base.js";
import { gitBase } from "../usecases/plan.js";
import { formatPlan } from "../plan/output.js";
import { failedPlan, makePlan, note } from "../plan/plan.js";
import type { Plan, PlanNote } from "../plan/types.js";
import { reportOptions } from "../usecases/report.js";
import { emitAnnotations, planAnnotations, repoPrefixOf, workspacePath } from "./annotations.js";
import type { ActionCore, ActionEnv } from "./core.js";
import { ActionInputError, readInputs, type ActionInputs } from "./inputs.js";
import { staleOutput } from "./output-check.js";
import { renderSummary } from "./summary.js";
import { plural } from "../util/text.js";

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
    core.setFailed(`netcompile: ${thrown.message}`);
    return;
  }
  const detail = thrown instanceof Error ? thrown.message || thrown.name : safeString(thrown);
  core.setFailed(`netcompile: internal error: ${detail}`);
  if (thrown instanceof Error && thrown.stack) core.debug(thrown.stack);
}

function safeString(value: unknown): string {
  try {
    return typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}

interface Planned {
  readonly plan: Plan | undefined;
  /** Why there is no plan, for the summary. */
  readonly noPlanReason?: string;
  /** The reason is worth a warning annotation (a plan was expected but could not be made). */
  readonly warning?: boolean;
}

async function gate(core: ActionCore, proc: ActionEnv): Promise<void> {
  const inputs = readInputs(core, proc);
  const prefix = repoPrefixOf(inputs.workspace, inputs.repoDir);
  const shown = prefix || ".";
  core.info(
    `netcompile: repository ${shown}, base ${inputs.base ? `${inputs.base.ref} (${inputs.base.source})` : "none"}`,
  );

  const current = compile(new FsRepoReader(inputs.repoDir, shown), { render: "all" });
  const { plan, noPlanReason, warning } = planAgainstBase(inputs, current);
  if (warning && noPlanReason) core.warning(noPlanReason, { title: "netcompile: no plan" });
  const stale = inputs.checkOutput ? staleOutput(inputs.repoDir, current) : [];
  const diagnostics = sortDiagnostics([
    ...(plan ? plan.diagnostics : current.diagnostics),
    ...stale,
  ]);

  // The log has everything (annotations and the summary are capped): the plan, or the findings.
  const text = reportOptions(current, { pathPrefix: shown });
  const findings = (ds: readonly Diagnostic[]) => formatDiagnostics("text", ds, text);
  logVerbatim(
    core,
    plan
      ? `${formatPlan("text", plan, text)}${stale.length ? `\n${findings(stale)}` : ""}`
      : findings(diagnostics),
  );

  const annotations = planAnnotations(diagnostics, prefix);
  emitAnnotations(core, annotations);

  // SARIF URIs are relative to the workspace (code scanning's checkout), not to the repository.
  writeFile(
    inputs.sarifPath,
    formatDiagnostics("sarif", diagnostics, reportOptions(current, { pathPrefix: prefix })),
  );
  writeFile(
    inputs.planJsonPath,
    formatPlan(
      "json",
      plan ?? failedPlan(noBaseInfo(noPlanReason), notesFor(current), diagnostics),
    ),
  );

  const counts = summarize(diagnostics);
  const unacknowledged = plan ? plan.disruptions.filter((d) => !d.acknowledged).length : 0;
  const reasons: string[] = [];
  if (counts.errors > 0) reasons.push(plural(counts.errors, "error"));
  if (inputs.failOn === "warning" && counts.warnings > 0)
    reasons.push(`${plural(counts.warnings, "warning")} (fail-on: warning)`);
  if (unacknowledged > 0)
    reasons.push(`${plural(unacknowledged, "disruptive change")} not acknowledged`);
  const failed = reasons.length > 0 || hasErrors(diagnostics);

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
      failed,
      verdict: verdict(counts, inputs, plan, unacknowledged),
      repo: shown,
      ...tableRows(diagnostics, plan),
      notAnnotated: annotations.notShown,
      // The table above lists the findings (linked, with waivers): the plan need not repeat them.
      planMarkdown: plan
        ? (limit) => formatPlan("markdown", { ...plan, diagnostics: [] }, { markdownLimit: limit })
        : undefined,
      noPlanReason,
      location: locator(inputs, prefix, proc),
    });
    core.summary.addRaw(markdown, true);
    await core.summary.write();
  }

  if (failed) {
    core.setFailed(
      `netcompile: ${reasons.join(", ") || "errors"} — see the annotations and the job summary`,
    );
  } else {
    core.info(`netcompile: passed (${verdict(counts, inputs, plan, unacknowledged).join("; ")})`);
  }
}

/** The plan against the base, or why there is none. A base that cannot be read fails the step. */
function planAgainstBase(inputs: ActionInputs, current: CompileResult): Planned {
  if (!inputs.base) {
    return {
      plan: undefined,
      noPlanReason: `No base to compare with (event ${inputs.event.name ?? "unknown"} is not a pull request); set the "base" input to plan.`,
    };
  }
  if (!current.model || !current.files || hasErrors(current.diagnostics)) {
    return {
      plan: undefined,
      noPlanReason: "The repository has errors: no plan until they are fixed.",
    };
  }
  try {
    const base = gitBase(inputs.repoDir, inputs.base.ref);
    return {
      plan: makePlan(base, {
        model: current.model,
        files: current.files,
        diagnostics: current.diagnostics,
      }),
    };
  } catch (error) {
    if (!(error instanceof BaseError)) throw error;
    // A base that does not load cannot be compared with, but this change may be its fix:
    // validation still gates it, and the summary and a warning say disruption went unchecked.
    if (error.diagnostics.length > 0) {
      return {
        plan: undefined,
        noPlanReason: `The base ${inputs.base.ref} does not load (${error.message}): no plan, so disruptive changes were not checked.`,
        warning: true,
      };
    }
    throw new ActionInputError(`cannot read the base ${inputs.base.ref}: ${error.message}`);
  }
}

/**
 * The findings for the summary's table: an unacknowledged disruption is an error diagnostic
 * and a row of the plan's own table (with what breaks and the acknowledgement to add), so the
 * table leaves it to the plan and counts it instead.
 */
function tableRows(
  diagnostics: readonly Diagnostic[],
  plan: Plan | undefined,
): { diagnostics: readonly Diagnostic[]; inPlan: number } {
  if (!plan) return { diagnostics, inPlan: 0 };
  const at = (x: { file: string; line: number; column: number }, code: string) =>
    `${x.file}:${x.line}:${x.column}:${code}`;
  const open = new Set(
    plan.disruptions.filter((d) => !d.acknowledged).map((d) => at(d.span, d.code)),
  );
  const rows = diagnostics.filter((d) => !(d.severity === "error" && open.has(at(d, d.code))));
  return { diagnostics: rows, inPlan: diagnostics.length - rows.length };
}

/** The gate's verdict in a sentence or two: what counts, and what fails the step. */
function verdict(
  counts: ReturnType<typeof summarize>,
  inputs: ActionInputs,
  plan: Plan | undefined,
  unacknowledged: number,
): string[] {
  const waived = counts.waived ? `, ${counts.waived} waived` : "";
  const out = [
    `${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}, ${plural(counts.infos, "info")}${waived}; the step fails on ${inputs.failOn === "warning" ? "errors and warnings" : "errors"}`,
  ];
  if (plan) {
    const all = plan.disruptions.length;
    out.push(
      all === 0
        ? "no disruptive change"
        : `${plural(all, "disruptive change")}: ${all - unacknowledged} acknowledged, ${unacknowledged} not (each must be acknowledged in the Cluster's spec.acknowledgements)`,
    );
  }
  return out;
}

/** As `netcompile plan` notes it when the repository does not validate. */
function notesFor(current: CompileResult): PlanNote[] {
  if (!hasErrors(current.diagnostics)) return [];
  return [
    note("NC6008", { count: current.diagnostics.filter((d) => d.severity === "error").length }),
  ];
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

/** A location for the summary table, linked to the file at the pull request's head. */
function locator(inputs: ActionInputs, prefix: string, proc: ActionEnv) {
  const server = proc.env.GITHUB_SERVER_URL;
  const repository = proc.env.GITHUB_REPOSITORY;
  const sha = inputs.event.headSha;
  return (d: Diagnostic) => {
    const path = workspacePath(prefix, d.file);
    const text = `${path}:${d.line}:${d.column}`;
    const href =
      server && repository && sha
        ? `${server}/${repository}/blob/${sha}/${path.split("/").map(encodeURIComponent).join("/")}#L${d.line}`
        : undefined;
    return { text, href };
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

function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}
