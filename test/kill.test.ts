/**
 * A build killed at any moment leaves the output tree entirely old or entirely new: every
 * file the lock file names is there with its hash, and nothing else is.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { minimalRepo, readTree, removeDir, testdir } from "./support.js";

const root = join(import.meta.dirname, "..");
const entry = join(root, "src", "cli", "index.ts");

// 42 nodes: with 7 host files per node the tree has ~300 files, enough to kill a build mid-write.
function bigRepo(cidr: string): Record<string, string> {
  const topology =
    `${minimalRepo["topology.yaml"]}  nodeGroups:\n    - namePrefix: w-\n      count: 40\n      subnet: big\n      firstAddress: 10.64.0.10\n`.replace(
      "  nodes:",
      "    - name: big\n      cidr: 10.64.0.0/16\n  nodes:",
    );
  return {
    ...minimalRepo,
    "topology.yaml": topology,
    "pools.yaml": minimalRepo["pools.yaml"]!.replace("192.168.0.0/16", cidr),
  };
}

function runBuild(
  dir: string,
  killAfterMs?: number,
  env: Record<string, string> = {},
): Promise<{ code: number | null; signal: string | null; sawStaging: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", entry, "build", "--repo", dir, "--out", join(dir, "out")],
      {
        stdio: "ignore",
        cwd: root,
        env: { ...process.env, ...env },
      },
    );
    let sawStaging = false;
    const poll = setInterval(() => {
      if (readdirSync(dir).some((e) => e.startsWith(".out.tmp-"))) sawStaging = true;
    }, 1);
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    child.on("exit", (code, signal) => {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      resolve({ code, signal, sawStaging });
    });
  });
}

/** The lock's digest when the tree is whole and consistent, else a description of the damage. */
function treeState(out: string): string {
  if (!existsSync(out)) return "absent";
  const tree = readTree(out);
  const lockText = tree["netcompile.lock.json"];
  if (lockText === undefined) return "damaged: no lock file";
  const lock = JSON.parse(lockText) as { inputDigest: string; files: Record<string, string> };
  const names = Object.keys(tree)
    .filter((p) => p !== "netcompile.lock.json")
    .sort();
  if (JSON.stringify(names) !== JSON.stringify(Object.keys(lock.files).sort()))
    return "damaged: file set differs from the lock";
  for (const name of names) {
    const hash = `sha256:${createHash("sha256")
      .update(readFileSync(join(out, name)))
      .digest("hex")}`;
    if (hash !== lock.files[name]) return `damaged: ${name} does not match the lock`;
  }
  return lock.inputDigest;
}

describe("a killed build", () => {
  const dir = testdir(bigRepo("192.168.0.0/16"));
  afterAll(() => removeDir(dir));

  // 120 s is a hang guard for a dozen child builds, not a speed bound (speed: `npm run bench`).
  it("leaves the previous tree intact or the new one complete, never a mix", async () => {
    const first = await runBuild(dir);
    expect(first.code).toBe(0);
    const oldDigest = treeState(join(dir, "out"));
    expect(oldDigest).toMatch(/^sha256:/);

    // Time a full build of the new version, then kill others at points spread across it: the
    // clock picks where a build dies, never whether the test passes (every tree must be whole).
    for (const [file, content] of Object.entries(bigRepo("172.16.0.0/16")))
      writeFileSync(join(dir, file), content);
    const started = Date.now();
    const full = await runBuild(dir);
    const duration = Date.now() - started;
    expect(full.code).toBe(0);
    const newDigest = treeState(join(dir, "out"));
    expect(newDigest).not.toBe(oldDigest);

    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      // Alternate which version is being built, so "old" and "new" both mean something.
      const target = i % 2 === 0 ? "10.200.0.0/16" : "172.16.0.0/16";
      writeFileSync(join(dir, "pools.yaml"), bigRepo(target)["pools.yaml"]!);
      const before = treeState(join(dir, "out"));
      const killed = await runBuild(dir, Math.round((duration * (i + 1)) / 11));
      const after = treeState(join(dir, "out"));
      outcomes.push(
        `${killed.signal ?? killed.code}${killed.sawStaging ? " mid-write" : ""}: ${after === before ? "old" : "new"}`,
      );
      expect(after, `kill ${i}`).toMatch(/^sha256:/);
    }
    // The next build repairs whatever a kill left behind and succeeds.
    expect((await runBuild(dir)).code).toBe(0);
    expect(readdirSync(dir).filter((e) => e.startsWith(".out."))).toEqual([]);
    expect(outcomes.some((o) => o.startsWith("SIGKILL"))).toBe(true);
  }, 120_000);
});

/**
 * The one instant with no tree at the output path: between rename(out, old) and
 * rename(staging, out). Node has no renameat2(RENAME_EXCHANGE), so this window exists on every
 * platform (README "Output", SECURITY.md). What is guaranteed there is tested here: the old
 * tree is whole beside the output path, the build mutex names it, and the next build puts the
 * output back and leaves nothing behind.
 */
describe("a build killed exactly between its two renames", () => {
  const dir = testdir(bigRepo("192.168.0.0/16"));
  afterAll(() => removeDir(dir));

  // 120 s is a hang guard for three child builds, not a speed bound.
  it("leaves the old tree whole beside the output path; the next build repairs it", async () => {
    expect((await runBuild(dir)).code).toBe(0);
    const oldDigest = treeState(join(dir, "out"));
    expect(oldDigest).toMatch(/^sha256:/);
    writeFileSync(join(dir, "pools.yaml"), bigRepo("172.16.0.0/16")["pools.yaml"]!);

    const killed = await runBuild(dir, undefined, { NETCOMPILE_FAILPOINT: "between-renames" });
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(join(dir, "out"))).toBe(false);
    const left = readdirSync(dir).filter((e) => e.startsWith(".out."));
    const old = left.filter((e) => /^\.out\.old-\d+-[0-9a-f]{16}$/.test(e));
    expect(old).toHaveLength(1);
    expect(treeState(join(dir, old[0]!))).toBe(oldDigest);
    const mutex = readFileSync(join(dir, ".out.lock"), "utf8");
    expect(old[0]).toContain(/token=([0-9a-f]{16})/.exec(mutex)![1]);

    const next = await runBuild(dir);
    expect(next.code).toBe(0);
    const newDigest = treeState(join(dir, "out"));
    expect(newDigest).toMatch(/^sha256:/);
    expect(newDigest).not.toBe(oldDigest);
    expect(readdirSync(dir).filter((e) => e.startsWith(".out."))).toEqual([]);
  }, 120_000);
});
