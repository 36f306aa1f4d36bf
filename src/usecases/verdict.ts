/**
 * Whether a run fails, and the exit code that says so: one decision for the CLI and the Action.
 *   - unwaived errors always fail; warnings too with `failOn: "warning"`;
 *   - a disruptive change that the Cluster does not acknowledge fails;
 *   - a command that could not make its output fails even if no error says why;
 *   - with `--detailed-exitcode`, a plan that passes with changes exits 2.
 * Exit codes are the README's contract: 0 success, 1 failed, 2 changes (detailed only), 3 usage or internal.
 */
import { summarize, type Diagnostic, type DiagnosticSummary } from "../diagnostics/types.js";
import type { Plan } from "../plan/types.js";
import { plural } from "../util/text.js";

export const EXIT = { ok: 0, failed: 1, changes: 2, usage: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The least severity that fails a run; waived findings never do. */
export type FailOn = "error" | "warning";

export interface VerdictInput {
  /** Everything the run reports (a plan's diagnostics already hold its disruptions). */
  readonly diagnostics: readonly Diagnostic[];
  readonly failOn?: FailOn;
  readonly plan?: Plan;
  /** The command's output (files, a model, a complete plan) could not be made. */
  readonly incomplete?: boolean;
}

export interface Verdict {
  readonly failed: boolean;
  /**
   * Why it fails, one phrase each ("2 errors", "1 warning (fail-on: warning)", "1 disruptive
   * change not acknowledged"); empty when it passes.
   */
  readonly reasons: readonly string[];
  readonly counts: DiagnosticSummary;
  /** Disruptive changes of the plan that are not acknowledged (0 without a plan). */
  readonly unacknowledged: number;
  /** The plan changes something (a change or a disruption): what --detailed-exitcode reports. */
  readonly changes: boolean;
}

export function decide(input: VerdictInput): Verdict {
  const failOn = input.failOn ?? "error";
  const counts = summarize(input.diagnostics);
  const plan = input.plan;
  const unacknowledged = plan ? plan.disruptions.filter((d) => !d.acknowledged).length : 0;
  const reasons: string[] = [];
  if (counts.errors > 0) reasons.push(plural(counts.errors, "error"));
  if (failOn === "warning" && counts.warnings > 0)
    reasons.push(`${plural(counts.warnings, "warning")} (fail-on: warning)`);
  if (unacknowledged > 0)
    reasons.push(`${plural(unacknowledged, "disruptive change")} not acknowledged`);
  const incomplete = input.incomplete === true || (plan !== undefined && !plan.complete);
  return {
    failed: reasons.length > 0 || incomplete,
    reasons,
    counts,
    unacknowledged,
    changes: plan !== undefined && (plan.changes.length > 0 || plan.disruptions.length > 0),
  };
}

/** 1 when the run fails; else 2 for a plan with changes under --detailed-exitcode; else 0. */
export function exitCode(verdict: Verdict, options: { detailedExitcode?: boolean } = {}): ExitCode {
  if (verdict.failed) return EXIT.failed;
  return options.detailedExitcode === true && verdict.changes ? EXIT.changes : EXIT.ok;
}
