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
 *
 * A case with `steps/<n>-<name>/` instead is a sequence of changes, one commit per step: step 0
 * is committed first, then each step's tree is committed in turn and planned with
 * `--base HEAD~1` (an unchanged step is an empty commit). Its goldens are
 * `expected/<n>-<name>/plan.{txt,md,json}`.
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
const stepCases = readdirSync(casesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(casesDir, e.name, "steps")))
  .map((e) => e.name)
  .sort();

/** `[exit N]` after stdout and stderr, as the plan goldens keep them. */
const textGolden = (r: { stdout: string; stderr: string; code: number }) =>
  `${r.stdout}${r.stderr ? `--- stderr\n${r.stderr}` : ""}[exit ${r.code}]\n`;

const changeShape = (p: PlanJson) => p.changes.map((c) => `${c.action} ${c.address} x${c.count}`);
const findingKeys = (p: PlanJson) =>
  p.disruptions.map((d) => JSON.stringify([d.kind, d.change])).sort();

/** `netcompile plan` of `work`/repo against `base`, with the golden options. */
const planIn = (work: string, base: string, format: string) =>
  cli(["plan", "--repo", "repo", "--base", base, "--detailed-exitcode", "--format", format], work);

/**
 * Builds `previous` and plans the repository --against that tree: the same changes as the
 * plan from git, and the same findings but those the rendered tree cannot carry.
 */
async function expectSameAgainst(
  work: string,
  previous: string,
  out: string,
  fromGit: PlanJson,
  withoutKinds: readonly string[] = [],
): Promise<PlanJson> {
  const built = await cli(["build", "--repo", previous, "--out", out], work);
  expect(built.code, built.stderr).toBe(0);
  const against = parseJson<PlanJson>(
    (await cli(["plan", "--repo", "repo", "--against", out, "--format", "json"], work)).stdout,
  );
  expect(changeShape(against)).toEqual(changeShape(fromGit));
  expect(findingKeys(against)).toEqual(
    findingKeys(fromGit).filter((f) => !withoutKinds.some((k) => f.includes(`"${k}"`))),
  );
  return against;
}

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

  const plan = (format: string) => planIn(work, "main", format);

  it("prints the golden text plan", async () => {
    const r = await plan("text");
    golden(join(expectedDir, "plan.txt"), textGolden(r));
  });

  it("prints the golden markdown plan", async () => {
    const r = await plan("markdown");
    golden(join(expectedDir, "plan.md"), r.stdout);
  });

  it("prints the golden JSON plan", async () => {
    const r = await plan("json");
    golden(join(expectedDir, "plan.json"), r.stdout);
  });

  it("counts disruptive changes alike in the headline, the list and JSON", async () => {
    const json = parseJson<PlanJson>((await plan("json")).stdout);
    const text = (await plan("text")).stdout;
    const count = json.disruptions.length;
    expect(json.summary.disruptive).toBe(count);
    expect(json.summary.acknowledged).toBe(json.disruptions.filter((d) => d.acknowledged).length);
    expect(json.summary.acknowledged).toBeLessThanOrEqual(json.summary.disruptive);
    expect(text).toContain(`(${count} disruptive).`);
    if (count > 0) expect(text).toContain(`Disruptive changes (${count},`);
  });

  it("never touches the repository's working tree or index", async () => {
    const before = git(join(work, "repo"), "status", "--porcelain");
    await plan("json");
    expect(git(join(work, "repo"), "status", "--porcelain")).toBe(before);
  });

  it("finds the same changes --against a build of previous/", async () => {
    const fromGit = parseJson<PlanJson>((await plan("json")).stdout);
    // The rendered tree has pools, backend, MTU, VXLAN settings and host nodes, not subnet MTUs.
    const against = await expectSameAgainst(work, join(caseDir, "previous"), "prev-out", fromGit, [
      "underlay-mtu-decrease",
    ]);
    expect(against.base.analysis).toBe("manifests");
  });
});

describe.each(stepCases)("plan steps %s", (name) => {
  const caseDir = join(casesDir, name);
  const steps = readdirSync(join(caseDir, "steps")).sort();
  let work = "";

  beforeAll(() => {
    work = testdir({});
    mkdirSync(join(work, "repo"));
    git(join(work, "repo"), "init", "-q", "-b", "main");
  });
  afterAll(() => removeDir(work));

  const plan = (format: string) => planIn(work, "HEAD~1", format);

  // Each step builds on the commit the one before made: they run in order.
  it.each(steps.map((step, i) => [step, i] as const))(
    "commits %s and plans it against the step before",
    async (step, i) => {
      replaceWorkTree(join(work, "repo"), join(caseDir, "steps", step));
      git(join(work, "repo"), "add", "-A");
      git(join(work, "repo"), "commit", "-q", "--allow-empty", "-m", step);
      if (i === 0) return;
      const expectedDir = join(caseDir, "expected", step);
      golden(join(expectedDir, "plan.txt"), textGolden(await plan("text")));
      golden(join(expectedDir, "plan.md"), (await plan("markdown")).stdout);
      const json = (await plan("json")).stdout;
      golden(join(expectedDir, "plan.json"), json);
      expect(git(join(work, "repo"), "status", "--porcelain")).toBe("");

      const previous = join(caseDir, "steps", steps[i - 1]!);
      await expectSameAgainst(work, previous, `out-${i}`, parseJson<PlanJson>(json));
    },
  );
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

  it("plan-migration: every step passes with its acknowledgements, and moving the workloads changes nothing", () => {
    const dir = join(casesDir, "plan-migration", "expected");
    const text = (step: string) => readFileSync(join(dir, step, "plan.txt"), "utf8");
    for (const step of ["1-add-pool", "2-disable-old", "4-delete-old"]) {
      expect(text(step), step).toMatch(/\[exit 2\]\n$/);
      expect(text(step), step).not.toContain("not acknowledged");
    }
    expect(text("3-move-workloads")).toMatch(/^Plan: 0 to add, 0 to change, 0 to destroy/);
    expect(text("3-move-workloads")).toMatch(/\[exit 0\]\n$/);
    const disabled = parseJson<PlanJson>(
      readFileSync(join(dir, "2-disable-old", "plan.json"), "utf8"),
    );
    expect(disabled.disruptions).toEqual([]);
    expect(disabled.notes.map((n: { code: string }) => n.code)).toEqual([
      "pool-disabled",
      "pool-disabled",
    ]);
  });

  it("plan-identical: no changes, exit 0", () => {
    const text = readFileSync(join(casesDir, "plan-identical", "expected", "plan.txt"), "utf8");
    expect(text).toMatch(/^Plan: 0 to add, 0 to change, 0 to destroy \(0 disruptive\)\.\n/);
    expect(text).toMatch(/\[exit 0\]\n$/);
  });
});
