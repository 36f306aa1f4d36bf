/**
 * The use cases on real repositories in temp folders: they return results and a verdict (they
 * take no streams, so they cannot print), and write only where build is asked to.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cli, hostRepo, readTree, removeDir, testdir } from "../../test/support.js";
import { git } from "../../test/plan-support.js";
import {
  buildRepo,
  explainRepo,
  graphRepo,
  planRepo,
  renderRepo,
  repoAt,
  validateRepo,
} from "./index.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
function repo(files: Record<string, string> = {}): string {
  const dir = testdir({ ...hostRepo, ...files });
  dirs.push(dir);
  return dir;
}
const brokenPool = {
  "pools.yaml": hostRepo["pools.yaml"]!.replace("ipipMode: CrossSubnet", "ipipMode: Sometimes"),
};
const committed = (files: Record<string, string> = {}) => {
  const dir = repo(files);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  return dir;
};

describe("validateRepo", () => {
  it("returns the diagnostics and the verdict, and writes nothing", () => {
    const dir = repo(brokenPool);
    const result = validateRepo(repoAt(dir, "."));
    expect(result.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["NC2006", "pools.yaml", 2],
      ["NC2004", "pools.yaml", 7],
    ]);
    expect(result.verdict).toMatchObject({ failed: true, reasons: ["1 error"] });
    expect(Object.keys(readTree(dir)).sort()).toEqual(Object.keys(hostRepo).sort());
  });
});

describe("buildRepo", () => {
  it("writes the tree; check then finds it up to date, and stale after a change", () => {
    const dir = repo();
    const here = repoAt(dir, ".");
    const built = buildRepo(here);
    expect(built).toMatchObject({ outcome: "written", out: { shown: "rendered" } });
    expect(built.verdict.failed).toBe(false);
    expect(Object.keys(readTree(join(dir, "rendered")))).toHaveLength(built.tree!.length);
    expect(buildRepo(here, { check: true }).outcome).toBe("up-to-date");

    writeFileSync(
      join(dir, "pools.yaml"),
      hostRepo["pools.yaml"]!.replace("CrossSubnet", "Always"),
    );
    const stale = buildRepo(here, { check: true });
    expect(stale.outcome).toBe("stale");
    expect(stale.differences.map((d) => `${d.state} ${d.path}`)).toEqual([
      "differs manifests/ippools.yaml",
      "differs netcompile.lock.json",
    ]);
    expect(stale.outputDiagnostics.map((d) => [d.code, d.file])).toEqual([
      ["NC5003", "rendered/manifests/ippools.yaml"],
      ["NC5003", "rendered/netcompile.lock.json"],
    ]);
    expect(stale.verdict.failed).toBe(true);
  });

  it("refuses a folder it did not write (NC5004) and writes nothing for a broken repository", () => {
    const dir = repo();
    mkdirSync(join(dir, "rendered"));
    writeFileSync(join(dir, "rendered", "notes.txt"), "keep");
    const refused = buildRepo(repoAt(dir, "."));
    expect(refused.outcome).toBe("not-written");
    expect(refused.outputDiagnostics.map((d) => d.code)).toEqual(["NC5004"]);
    expect(readTree(join(dir, "rendered"))).toEqual({ "notes.txt": "keep" });

    const broken = repo(brokenPool);
    const invalid = buildRepo(repoAt(broken, "."));
    expect(invalid).toMatchObject({ outcome: "invalid", out: undefined, tree: undefined });
    expect(invalid.verdict.failed).toBe(true);
    expect(readTree(join(broken, "rendered"))).toEqual({});
  });
});

describe("renderRepo", () => {
  it("returns the manifests as one stream, or no stream at all on an error", () => {
    const ok = renderRepo(repoAt(repo(), "."));
    expect(ok.stream).toMatch(/^# Source: manifests\//);
    expect(ok.stream).not.toContain("hosts/");
    const broken = renderRepo(repoAt(repo(brokenPool), "."));
    expect([broken.stream, broken.verdict.failed]).toEqual([undefined, true]);
  });
});

describe("planRepo", () => {
  it("without a base: no plan, the repository's diagnostics, and check-output's stale files", () => {
    const dir = repo();
    mkdirSync(join(dir, "rendered"));
    const result = planRepo(repoAt(dir, "."), { base: undefined, checkOutput: true });
    expect([result.plan, result.noPlan]).toEqual([undefined, "no-base"]);
    expect(result.stale.length).toBeGreaterThan(0);
    expect(result.stale.every((d) => d.code === "NC5003" && d.file.startsWith("rendered/"))).toBe(
      true,
    );
    expect(result.diagnostics).toEqual(result.stale);
    expect(result.verdict.failed).toBe(true);
  });

  it("compares with the repository's own output when there is one, else with nothing", () => {
    const dir = repo();
    const none = planRepo(repoAt(dir, "."), { base: { kind: "own-output" } });
    expect(none.plan?.base).toMatchObject({ kind: "none", analysis: "none" });
    expect(none.plan?.notes.map((n) => n.message)).toEqual([
      expect.stringContaining("no --base or --against, and rendered does not exist"),
    ]);
    buildRepo(repoAt(dir, "."));
    const own = planRepo(repoAt(dir, "."), { base: { kind: "own-output" } });
    expect(own.plan?.base).toMatchObject({ kind: "dir", description: "rendered" });
    expect(own.verdict).toMatchObject({ failed: false, changes: false });
  });

  it("a broken repository: a failed plan against the base, or (skip) no base read at all", () => {
    const dir = committed();
    writeFileSync(join(dir, "pools.yaml"), brokenPool["pools.yaml"]);
    const failed = planRepo(repoAt(dir, "."), { base: { kind: "git", ref: "main" } });
    expect(failed.plan).toMatchObject({ complete: false, base: { kind: "git", ref: "main" } });
    expect(failed.verdict.failed).toBe(true);
    const unknown = { kind: "git", ref: "no-such-ref" } as const;
    const skipped = planRepo(repoAt(dir, "."), { base: unknown, whenInvalid: "skip" });
    expect([skipped.plan, skipped.noPlan, skipped.baseError]).toEqual([
      undefined,
      "invalid",
      undefined,
    ]);
    const unread = planRepo(repoAt(dir, "."), { base: unknown });
    expect(unread.noPlan).toBe("base-error");
    expect(unread.baseError?.diagnostics).toEqual([]);
  });

  it("a disruption nothing can acknowledge fails the plan even at severity warning, as in the Action", async () => {
    const dir = committed();
    writeFileSync(
      join(dir, "pools.yaml"),
      hostRepo["pools.yaml"]!.replace("natOutgoing: true", "natOutgoing: true\n  blockSize: 24"),
    );
    writeFileSync(
      join(dir, "netcompile.yaml"),
      `${hostRepo["netcompile.yaml"]}  rules:\n    pool-immutable-field: warning\n`,
    );
    const result = planRepo(repoAt(dir, "."), { base: { kind: "git", ref: "main" } });
    expect(result.plan?.disruptions.map((d) => d.code)).toEqual(["pool-immutable-field"]);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["pool-immutable-field", "warning"],
    ]);
    expect(result.verdict).toMatchObject({
      failed: true,
      reasons: ["1 disruptive change not acknowledged"],
    });
    expect((await cli(["plan", "--base", "main"], dir)).code).toBe(1);
  });
});

describe("explainRepo and graphRepo", () => {
  it("say what is wrong with the request as a message, with a suggestion", () => {
    const here = repoAt(repo(), ".");
    expect(explainRepo(here, "node-1", "node-3")).toMatchObject({
      status: "usage",
      message: 'no node named "node-3" in .; did you mean "node-1"?',
    });
    expect(explainRepo(here, "node-1", "node-1")).toMatchObject({
      status: "usage",
      message: "name two different nodes",
    });
    const explained = explainRepo(here, "node-1", "node-2");
    expect(explained.status).toBe("explained");
    if (explained.status === "explained")
      expect(explained.paths.map((p) => `${p.from.name}->${p.to.name}`)).toEqual([
        "node-1->node-2",
        "node-2->node-1",
      ]);
    expect(graphRepo(here, { pool: "pool-2" })).toMatchObject({
      status: "usage",
      message: expect.stringMatching(/pool-2.*; did you mean "pool-1"\?$/) as unknown,
    });
    expect(graphRepo(here).status).toBe("drawn");
    // A repository with errors is drawn as written (its errors marked), unless there is no model.
    expect(graphRepo(repoAt(repo(brokenPool), ".")).status).toBe("drawn");
  });
});
