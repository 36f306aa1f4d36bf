/**
 * Concurrent builds of one output directory never corrupt each other: emit takes the build
 * mutex, an exclusive file beside the directory (O_EXCL, holding the pid; a dead owner's mutex
 * is stale and taken over), so swaps are serialised. Real processes race here.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { buildMutexPath, EmitError, emitTree, mutexRecordFor } from "../src/emit/emit.js";
import { minimalRepo, readTree, removeDir, testdir } from "./support.js";

const root = join(import.meta.dirname, "..");
const entry = join(root, "src", "cli", "index.ts");
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

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

function build(repo: string, out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", entry, "build", "--repo", repo, "--out", out],
      { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stderr }));
  });
}

/** The lock's input digest when the tree is whole and matches its lock, else what is wrong. */
function treeState(out: string): string {
  const tree = readTree(out);
  const lock = JSON.parse(tree["netcompile.lock.json"] ?? "null") as {
    inputDigest: string;
    files: Record<string, string>;
  } | null;
  if (!lock) return "no lock file";
  const names = Object.keys(tree).filter((p) => p !== "netcompile.lock.json");
  if (names.sort().join("\n") !== Object.keys(lock.files).sort().join("\n")) return "file set";
  for (const p of names) {
    const hash = `sha256:${createHash("sha256").update(tree[p]!).digest("hex")}`;
    if (lock.files[p] !== hash) return `hash of ${p}`;
  }
  return lock.inputDigest;
}

describe("concurrent builds", () => {
  // 60 s is a hang guard for the child builds, not a speed bound (speed: `npm run bench`).
  it("four builds of one repository racing on the swap all succeed; one complete tree remains", async () => {
    const repo = testdir(bigRepo("192.168.0.0/16"));
    dirs.push(repo);
    const out = join(repo, "out");
    for (let round = 0; round < 1; round++) {
      const results = await Promise.all([1, 2, 3, 4].map(() => build(repo, out)));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      expect(treeState(out)).toMatch(/^sha256:/);
      // Nothing left beside the output: no staging, no .old, no build mutex.
      expect(readdirSync(repo).filter((e) => e.startsWith(".out"))).toEqual([]);
    }
  }, 60_000);

  // 60 s is a hang guard for the child builds, not a speed bound.
  it("two repositories building into one directory leave exactly one of the two trees", async () => {
    const a = testdir(bigRepo("192.168.0.0/16"));
    const b = testdir(bigRepo("172.16.0.0/16"));
    const parent = testdir({});
    dirs.push(a, b, parent);
    const out = join(parent, "out");
    const single = async (repo: string) => {
      expect((await build(repo, out)).code).toBe(0);
      return treeState(out);
    };
    const digestA = await single(a);
    const digestB = await single(b);
    expect(digestA).not.toBe(digestB);
    for (let round = 0; round < 1; round++) {
      const results = await Promise.all([build(a, out), build(b, out), build(a, out)]);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      expect([digestA, digestB]).toContain(treeState(out));
      expect(readdirSync(parent)).toEqual(["out"]);
    }
  }, 60_000);
});

describe("the build mutex", () => {
  const files = [{ path: "manifests/a.yaml", content: "a: 1\n" }];

  it("a mutex left by a dead process is stale and taken over", () => {
    const parent = testdir({});
    dirs.push(parent);
    const out = join(parent, "out");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
    writeFileSync(buildMutexPath(out), mutexRecordFor(Number(dead.stdout.toString())));
    emitTree(out, files);
    expect(readTree(out)).toEqual({ "manifests/a.yaml": "a: 1\n" });
    expect(existsSync(buildMutexPath(out))).toBe(false);
  });

  /** A live process to own the mutex: its pid runs, so the mutex is not stale. */
  function liveOwner() {
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    onTestFinished(() => void owner.kill("SIGKILL"));
    return owner;
  }

  /**
   * The clock is the test's: each of emit's 25 ms pauses advances it 25 ms instead of sleeping,
   * and `onPause(n)` runs at the n-th. Counting pauses is counting the wait, without timing it.
   */
  function countPauses(onPause: (n: number) => void = () => {}) {
    vi.useFakeTimers({ toFake: ["Date"] });
    let pauses = 0;
    vi.spyOn(Atomics, "wait").mockImplementation((_array, _index, _value, ms) => {
      // A hang guard, not a speed bound: a wait that never ends fails here.
      if (++pauses > 1_000) throw new Error("emit never stopped waiting for the mutex");
      vi.advanceTimersByTime(ms ?? 0);
      onPause(pauses);
      return "timed-out";
    });
    return () => pauses;
  }
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("a build waits while another process holds the mutex and swaps in after it is released", () => {
    const parent = testdir({});
    dirs.push(parent);
    const out = join(parent, "out");
    const mutex = buildMutexPath(out);
    writeFileSync(mutex, mutexRecordFor(liveOwner().pid!), { flag: "wx" });
    // The other build releases the mutex 400 ms (16 pauses) in, as at the end of its swap.
    const pauses = countPauses((n) => {
      if (n === 16) rmSync(mutex);
    });
    emitTree(out, files, { mutexTimeoutMs: 10_000 });
    expect(pauses()).toBe(16);
    expect(readTree(out)).toEqual({ "manifests/a.yaml": "a: 1\n" });
  });

  it("a live owner is waited for, then the build gives up with a message naming the mutex", () => {
    const parent = testdir({});
    dirs.push(parent);
    const out = join(parent, "out");
    const owner = liveOwner();
    writeFileSync(buildMutexPath(out), mutexRecordFor(owner.pid!));
    const pauses = countPauses();
    expect(() => emitTree(out, files, { mutexTimeoutMs: 300 })).toThrow(EmitError);
    // 300 ms of 25 ms pauses, then past the deadline.
    expect(pauses()).toBe(13);
    expect(() => emitTree(out, files, { mutexTimeoutMs: 0 })).toThrow(
      new RegExp(`another netcompile build \\(pid ${owner.pid}\\) is writing`),
    );
    expect(pauses()).toBe(14);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(buildMutexPath(out))).toBe(true); // not ours: left alone
  });
});
