/**
 * The job summary a reviewer reads: the verdict, the diagnostics table and the plan. Every
 * value from the repository goes through `markdownText` (HTML and Markdown specials as
 * entities, line breaks — bare CRs too — as <br>), and the whole stays under GitHub's 1 MiB
 * per step.
 */
import type { Diagnostic } from "../diagnostics/types.js";
import type { Plan } from "../plan/types.js";
import type { FailOn, Verdict } from "../usecases/index.js";
import { levelOf, workspacePath, type AnnotationLevel } from "./annotations.js";
import { htmlAttribute, markdownText } from "../util/markdown.js";
import { plural } from "../util/text.js";

/** GitHub refuses a step summary over 1024 KiB; keep a margin for what GitHub adds. */
export const SUMMARY_BUDGET = 1024 * 1024 - 24 * 1024;
/** Rows of the diagnostics table before the rest is only counted. */
export const MAX_TABLE_ROWS = 500;

export interface SummaryInput {
  readonly failed: boolean;
  /** Why the step fails (or passes): one sentence each. */
  readonly verdict: readonly string[];
  /** The repository as the workspace names it ("." at the root). */
  readonly repo: string;
  /** The findings for the table (annotated ones included). */
  readonly diagnostics: readonly Diagnostic[];
  /** Errors left out of the table because the plan shows them: unacknowledged disruptions. */
  readonly inPlan?: number;
  readonly notAnnotated: Readonly<Record<AnnotationLevel, number>>;
  /** The plan in Markdown within `limit` bytes (the plan formatter), when a plan was made. */
  readonly planMarkdown: ((limit: number) => string) | undefined;
  /** Why there is no plan, when there is none. */
  readonly noPlanReason?: string;
  /** A workspace path as the reader sees it, with the line: a link when one can be made. */
  readonly location: (d: Diagnostic) => { text: string; href: string | undefined };
}

export function renderSummary(input: SummaryInput, budget: number = SUMMARY_BUDGET): string {
  const head = [
    `## ${input.failed ? "❌" : "✅"} netcompile: ${markdownText(input.repo)}`,
    "",
    ...input.verdict.map((v) => `- ${markdownText(v)}`),
    "",
  ];
  const fixed = bytes(head.join("\n")) + 1024;
  const diagnostics = diagnosticsSection(input, Math.floor((budget - fixed) / 2));
  const plan = planSection(input, budget - fixed - bytes(diagnostics));
  return [...head, diagnostics, plan].join("\n");
}

function diagnosticsSection(input: SummaryInput, budget: number): string {
  const ds = input.diagnostics;
  const out = ["### Diagnostics", ""];
  const inPlan = input.inPlan ?? 0;
  if (inPlan > 0) {
    out.push(
      `${inPlan} error${inPlan === 1 ? " is a disruptive change" : "s are disruptive changes"} not acknowledged: see the plan below (and the annotations on the lines that make ${inPlan === 1 ? "it" : "them"}).`,
      "",
    );
  }
  if (ds.length === 0) {
    if (inPlan === 0) out.push("No findings.", "");
    return out.join("\n");
  }
  const rows: string[] = [];
  let used = 0;
  for (const d of ds) {
    if (rows.length >= MAX_TABLE_ROWS) break;
    const row = tableRow(d, input);
    if (used + bytes(row) > budget) break;
    rows.push(row);
    used += bytes(row) + 1;
  }
  out.push(
    "<table>",
    "<tr><th>Level</th><th>Code</th><th>Where</th><th>Message</th></tr>",
    ...rows,
    "</table>",
    "",
  );
  if (rows.length < ds.length) {
    out.push(
      `${ds.length - rows.length} more findings are not listed here; the SARIF file and the log have all ${ds.length}.`,
      "",
    );
  }
  const hidden = input.notAnnotated;
  const parts = (["error", "warning", "notice"] as const)
    .filter((l) => hidden[l] > 0)
    .map((l) => plural(hidden[l], `more ${l}`));
  if (parts.length) {
    const total = parts.length === 1 && hidden.error + hidden.warning + hidden.notice === 1;
    out.push(
      `GitHub shows at most 10 annotations of each level on the files: ${listText(parts)} ${total ? "is" : "are"} not annotated; this summary and the log list every finding.`,
      "",
    );
  }
  return out.join("\n");
}

function tableRow(d: Diagnostic, input: SummaryInput): string {
  const level = levelOf(d);
  const icon = level === "error" ? "❌" : level === "warning" ? "⚠️" : "ℹ️";
  const shownLevel = d.waived ? `${d.severity} (waived)` : d.severity;
  const where = input.location(d);
  const whereCell = where.href
    ? `<a href="${htmlAttribute(where.href)}"><code>${markdownText(where.text)}</code></a>`
    : `<code>${markdownText(where.text)}</code>`;
  const message = [markdownText(d.message)];
  if (d.waived) message.push(`<br><i>waived: ${markdownText(d.waived.reason)}</i>`);
  for (const r of d.related)
    message.push(`<br>↳ ${markdownText(`${r.file}:${r.line}: ${r.message}`)}`);
  return `<tr><td>${icon} ${shownLevel}</td><td><code>${markdownText(d.code)}</code></td><td>${whereCell}</td><td>${message.join(" ")}</td></tr>`;
}

/** Below this, the plan formatter would have cut everything but its first line. */
const MIN_PLAN_BYTES = 4096;

function planSection(input: SummaryInput, budget: number): string {
  if (input.planMarkdown === undefined) {
    return ["### Plan", "", markdownText(input.noPlanReason ?? "No plan was made."), ""].join("\n");
  }
  if (budget < MIN_PLAN_BYTES) {
    return [
      "### Plan",
      "",
      "The findings fill the job summary; the plan is in the log of this step and in the plan JSON file.",
      "",
    ].join("\n");
  }
  return `${input.planMarkdown(budget).trimEnd()}\n`;
}

/**
 * The findings for the summary's table: an unacknowledged disruption is an error diagnostic
 * and a row of the plan's own table (with what breaks and the acknowledgement to add), so the
 * table leaves it to the plan and counts it instead.
 */
export function tableRows(
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
export function verdictLines(verdict: Verdict, failOn: FailOn, plan: Plan | undefined): string[] {
  const { counts, unacknowledged } = verdict;
  const waived = counts.waived ? `, ${counts.waived} waived` : "";
  const out = [
    `${plural(counts.errors, "error")}, ${plural(counts.warnings, "warning")}, ${plural(counts.infos, "info")}${waived}; the step fails on ${failOn === "warning" ? "errors and warnings" : "errors"}`,
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

/** A location for the summary table, linked to the file at the pull request's head. */
export function locator(
  prefix: string,
  sha: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): SummaryInput["location"] {
  const server = env.GITHUB_SERVER_URL;
  const repository = env.GITHUB_REPOSITORY;
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

function listText(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

function bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
