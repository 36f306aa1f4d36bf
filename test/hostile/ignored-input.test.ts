/**
 * Nothing that would have been read is skipped silently (issue 18, item 12): a YAML file that
 * is a symbolic link, a FIFO, unreadable, below an unreadable folder or at a path over the
 * system's limit is an error naming it, so `render` (Argo CD's plugin) exits 1 with nothing on
 * stdout instead of printing a stream without those pools, which auto-prune would delete.
 */
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { minimalRepo, removeDir, testdir } from "../support.js";
import {
  denialSupport,
  fakeSecret,
  mkfifo,
  openRepo,
  overlongPath,
  removeDeep,
  runCli,
} from "./support.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function repo(files: Record<string, string> = minimalRepo): string {
  const dir = testdir(files);
  dirs.push(dir);
  return dir;
}

const withoutPools = Object.fromEntries(
  Object.entries(minimalRepo).filter(([name]) => name !== "pools.yaml"),
);
const POOLS = minimalRepo["pools.yaml"]!;

/** render must fail loud: exit 1, empty stdout, the path and code on stderr. */
async function expectRenderFails(dir: string, code: string, path: string, asNobody = false) {
  const r = await runCli(["render", "--repo", dir], { cwd: dir, asNobody, timeoutMs: 30_000 });
  expect(r.timedOut, "render hung").toBe(false);
  expect(r.stdout).toBe("");
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`${code}`);
  expect(r.stderr).toContain(path);
  expect(r.stderr).not.toContain("NC9001");
  return r;
}

describe("a YAML file that would be read but cannot be", () => {
  it("a symbolic link to a file outside: NC1018, never followed", async () => {
    const secret = fakeSecret();
    dirs.push(secret.dir);
    writeFileSync(secret.path, POOLS.replace("pool-1", secret.content));
    const dir = repo(withoutPools);
    symlinkSync(secret.path, join(dir, "pools.yaml"));
    const r = await expectRenderFails(dir, "NC1018", "pools.yaml");
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret.content);
  });

  it("a symbolic link to a folder (which could hold YAML): NC1018", async () => {
    const outside = testdir({ "more.yaml": POOLS.replace("pool-1", "pool-2") });
    dirs.push(outside);
    const dir = repo();
    symlinkSync(outside, join(dir, "more"));
    await expectRenderFails(dir, "NC1018", "more");
  });

  it("a FIFO named .yaml: NC1019, and nothing hangs", async () => {
    const dir = repo();
    mkfifo(join(dir, "extra.yaml"));
    const r = await expectRenderFails(dir, "NC1019", "extra.yaml");
    expect(r.stderr).toContain("FIFO");
  });

  it("a path longer than the system allows: NC1021 naming the folder", async () => {
    const dir = testdir(minimalRepo);
    onTestFinished(() => removeDeep(dir));
    const file = overlongPath(dir);
    const folder = file.slice(0, file.lastIndexOf("/"));
    await expectRenderFails(dir, "NC1021", folder);
  });

  it("what is not read anyway stays quiet: a link to a non-YAML file, an ignored link, a FIFO not named .yaml", async () => {
    const outside = testdir({ LICENSE: "text\n", "x.yaml": "a: 1\n" });
    dirs.push(outside);
    const dir = repo({
      ...minimalRepo,
      "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  ignore:\n    - vendored/**\n`,
    });
    symlinkSync(join(outside, "LICENSE"), join(dir, "LICENSE"));
    mkdirSync(join(dir, "vendored"));
    symlinkSync(join(outside, "x.yaml"), join(dir, "vendored", "x.yaml"));
    mkfifo(join(dir, "pipe"));
    const r = await runCli(["render", "--repo", dir], { cwd: dir });
    // The ignored link is said to be left out (NC1046, info), never read; nothing else is said.
    expect(r.stderr).toMatch(/^netcompile\.yaml:8:5: info NC1046: .*\(1: vendored\/x\.yaml\)\n/);
    expect(r.stderr).toContain("0 errors, 0 warnings, 1 info");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("kind: IPPool");
  });
});

describe("permission denied (as an unprivileged user: root reads anything)", () => {
  const how = denialSupport();
  const skip = "skip" in how ? how.skip : undefined;
  const asNobody = "asNobody" in how && how.asNobody;

  it.skipIf(skip !== undefined)(
    `an unreadable YAML file: NC1020 naming it${skip ? ` (skipped: ${skip})` : ""}`,
    async () => {
      const dir = openRepo(minimalRepo);
      dirs.push(dir);
      chmodSync(join(dir, "pools.yaml"), 0o000);
      const r = await expectRenderFails(dir, "NC1020", "pools.yaml", asNobody);
      expect(r.stderr).toContain("permission denied");
    },
  );

  it.skipIf(skip !== undefined)(
    `a YAML file below an unreadable folder: NC1020 naming the folder${skip ? ` (skipped: ${skip})` : ""}`,
    async () => {
      const dir = openRepo(minimalRepo, ["pools.yaml"]);
      dirs.push(dir);
      mkdirSync(join(dir, "pools"), { mode: 0o755 });
      writeFileSync(join(dir, "pools", "pools.yaml"), POOLS, { mode: 0o644 });
      chmodSync(join(dir, "pools"), 0o000);
      const r = await expectRenderFails(dir, "NC1020", "pools", asNobody);
      expect(r.stderr).toContain("folder");
    },
  );

  it.skipIf(skip !== undefined)(
    `an unreadable netcompile.yaml is permission denied, not "no netcompile.yaml"${skip ? ` (skipped: ${skip})` : ""}`,
    async () => {
      const dir = openRepo(minimalRepo);
      dirs.push(dir);
      chmodSync(join(dir, "netcompile.yaml"), 0o000);
      const r = await expectRenderFails(dir, "NC1020", "netcompile.yaml", asNobody);
      expect(r.stderr).not.toContain("NC1007");
    },
  );
});
