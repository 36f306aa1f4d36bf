/**
 * Golden plan cases: fixtures/cases/plan-<behaviour>/ holds `previous/` (the repository before),
 * `input/` (after) and `expected/`:
 *   expected/plan.txt    `netcompile plan --detailed-exitcode` stdout and stderr, then `[exit N]`
 *   expected/plan.md     the same plan as markdown (a pull-request comment)
 *   expected/plan.json   the same plan as JSON
 * The base is a real git history: a temp repository whose commit holds `previous/` and whose
 * working tree holds `input/`, planned with `--base HEAD`. Each case is also planned `--against`
 * a build of `previous/` (no base model): the same changes, and the same disruptions where the
 * rendered tree carries the facts. Regenerate with `UPDATE_GOLDENS=1 npm test`.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { git } from "./plan-support.js";
import { cli, parseJson, removeDir, testdir, type PlanJson } from "./support.js";
import { golden } from "./golden.js";

const casesDir = join(import.meta.dirname, "..", "fixtures", "cases");
const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(casesDir, e.name, "previous")))
  .map((e) => e.name)
  .sort();

/** Replaces everything but .git in `dir` with a copy of `from`. */
function replaceWorkTree(dir: string, from: string): void {
  for (const entry of readdirSync(dir))
    if (entry !== ".git") rmSync(join(dir, entry), { recursive: true });
  cpSync(from, dir, { recursive: true });
}

describe.each(cases)("plan case %s", (name) => {
  const caseDir = join(casesDir, name);
  const expectedDir = join(caseDir, "expected");
  let work = "";

  beforeAll(() => {
    work = testdir({});
    mkdirSync(join(work, "repo"));
    git(join(work, "repo"), "init", "-q", "-b", "main");
    cpSync(join(caseDir, "previous"), join(work, "repo"), { recursive: true });
    git(join(work, "repo"), "add", "-A");
    git(join(work, "repo"), "commit", "-q", "-m", "previous");
    replaceWorkTree(join(work, "repo"), join(caseDir, "input"));
  });
  afterAll(() => removeDir(work));

  const plan = (format: string, ...extra: string[]) =>
    cli(
      [
        "plan",
        "--repo",
        "repo",
        "--base",
        "main",
        "--detailed-exitcode",
        "--format",
        format,
        ...extra,
      ],
      work,
    );

  it("prints the golden text plan", async () => {
    const r = await plan("text");
    golden(
      join(expectedDir, "plan.txt"),
      `${r.stdout}${r.stderr ? `--- stderr\n${r.stderr}` : ""}[exit ${r.code}]\n`,
    );
  });

  it("prints the golden markdown plan", async () => {
    const r = await plan("markdown");
    golden(join(expectedDir, "plan.md"), r.stdout);
  });

  it("prints the golden JSON plan", async () => {
    const r = await plan("json");
    golden(join(expectedDir, "plan.json"), r.stdout);
  });

  it("never touches the repository's working tree or index", async () => {
    const before = git(join(work, "repo"), "status", "--porcelain");
    await plan("json");
    expect(git(join(work, "repo"), "status", "--porcelain")).toBe(before);
  });

  it("finds the same changes --against a build of previous/", async () => {
    const built = await cli(
      ["build", "--repo", join(caseDir, "previous"), "--out", "prev-out"],
      work,
    );
    expect(built.code, built.stderr).toBe(0);
    const a = parseJson<PlanJson>((await plan("json")).stdout);
    const b = parseJson<PlanJson>(
      (await cli(["plan", "--repo", "repo", "--against", "prev-out", "--format", "json"], work))
        .stdout,
    );
    const shape = (p: { changes: { address: string; action: string; count: number }[] }) =>
      p.changes.map((c) => `${c.action} ${c.address} x${c.count}`);
    expect(shape(b)).toEqual(shape(a));
    expect(b.base.analysis).toBe("manifests");
    // The rendered tree has pools, backend, MTU, VXLAN settings and host nodes: the same findings.
    const findings = (p: { disruptions: { kind: string; change: object }[] }) =>
      p.disruptions.map((d) => JSON.stringify([d.kind, d.change])).sort();
    expect(findings(b)).toEqual(findings(a).filter((f) => !f.includes('"underlay-mtu-decrease"')));
  });
});

describe("plan case invariants", () => {
  it("plan-nodes-added: only the new nodes' host files change", () => {
    const plan = parseJson<PlanJson>(
      readFileSync(join(casesDir, "plan-nodes-added", "expected", "plan.json"), "utf8"),
    );
    const added = ["worker-6", "worker-7", "worker-8"];
    expect(plan.topology).toEqual([{ what: "nodes-added", group: "worker-", nodes: added }]);
    for (const change of plan.changes) {
      expect(change.type).toBe("host-file");
      expect(change.action).toBe("create");
      for (const node of change.nodes) expect(added).toContain(node);
    }
    expect(plan.disruptions).toEqual([]);
  });

  it("plan-identical: no changes, exit 0", () => {
    const text = readFileSync(join(casesDir, "plan-identical", "expected", "plan.txt"), "utf8");
    expect(text).toMatch(/^Plan: 0 to add, 0 to change, 0 to destroy \(0 disruptive\)\.\n/);
    expect(text).toMatch(/\[exit 0\]\n$/);
  });
});
