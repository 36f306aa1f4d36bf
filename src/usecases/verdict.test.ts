import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostics/types.js";
import { failedPlan } from "../plan/plan.js";
import type { Disruption, Plan } from "../plan/types.js";
import { decide, EXIT, exitCode } from "./verdict.js";

const d = (severity: Diagnostic["severity"], extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: "x",
  severity,
  message: "m",
  file: "a.yaml",
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 2,
  related: [],
  ...extra,
});
const waiver = { reason: "r", file: "a.yaml", line: 1, column: 1 };

const emptyPlan = failedPlan(
  { kind: "none", ref: undefined, commit: undefined, description: "nothing", analysis: "none" },
  [],
  [],
);
const complete = (extra: Partial<Plan> = {}): Plan => ({ ...emptyPlan, complete: true, ...extra });
const disruption = (acknowledged: boolean) =>
  ({
    acknowledged: acknowledged
      ? { reason: "r", file: "netcompile.yaml", line: 9, column: 7 }
      : undefined,
  }) as unknown as Disruption;

describe("decide", () => {
  it("fails on unwaived errors only, by default", () => {
    expect(decide({ diagnostics: [] })).toMatchObject({ failed: false, reasons: [] });
    expect(decide({ diagnostics: [d("warning"), d("info")] }).failed).toBe(false);
    expect(decide({ diagnostics: [d("error", { waived: waiver })] }).failed).toBe(false);
    expect(decide({ diagnostics: [d("error"), d("error")] })).toMatchObject({
      failed: true,
      reasons: ["2 errors"],
      counts: { errors: 2, warnings: 0, infos: 0, waived: 0 },
    });
  });

  it("fails on unwaived warnings too with failOn warning", () => {
    expect(decide({ diagnostics: [d("warning")], failOn: "warning" })).toMatchObject({
      failed: true,
      reasons: ["1 warning (fail-on: warning)"],
    });
    const waived = d("warning", { waived: waiver });
    expect(decide({ diagnostics: [waived], failOn: "warning" }).failed).toBe(false);
  });

  it("fails on a disruptive change the Cluster does not acknowledge, whatever its severity", () => {
    const open = complete({ disruptions: [disruption(false), disruption(true)] });
    expect(decide({ diagnostics: [d("warning")], plan: open })).toMatchObject({
      failed: true,
      reasons: ["1 disruptive change not acknowledged"],
      unacknowledged: 1,
      changes: true,
    });
    const acknowledged = complete({ disruptions: [disruption(true)] });
    expect(decide({ diagnostics: [], plan: acknowledged })).toMatchObject({
      failed: false,
      unacknowledged: 0,
      changes: true,
    });
  });

  it("fails when the output could not be made, even without an error saying why", () => {
    expect(decide({ diagnostics: [], incomplete: true })).toMatchObject({
      failed: true,
      reasons: [],
    });
    expect(decide({ diagnostics: [], plan: emptyPlan }).failed).toBe(true);
  });
});

describe("exitCode", () => {
  it("is 1 on failure, 2 for changes only with --detailed-exitcode, else 0", () => {
    const changed = decide({ diagnostics: [], plan: complete({ changes: [{} as never] }) });
    expect(changed.changes).toBe(true);
    expect(exitCode(changed)).toBe(EXIT.ok);
    expect(exitCode(changed, { detailedExitcode: true })).toBe(EXIT.changes);
    const none = decide({ diagnostics: [], plan: complete() });
    expect(exitCode(none, { detailedExitcode: true })).toBe(EXIT.ok);
    const failed = decide({
      diagnostics: [d("error")],
      plan: complete({ changes: [{} as never] }),
    });
    expect(exitCode(failed, { detailedExitcode: true })).toBe(EXIT.failed);
    expect(EXIT).toEqual({ ok: 0, failed: 1, changes: 2, usage: 3 });
  });
});
