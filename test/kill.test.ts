/**
 * A build killed at any moment leaves the output tree entirely old or entirely new: every
 * file the lock file names is there with its hash, and nothing else is. Where the exchange runs
 * (Linux, src/emit/exchange.ts) that tree is at the output path at every instant; the
 * two-rename fallback has one instant where it is beside it, repaired by the next build.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statfsSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exchangeDirectories } from "../src/emit/exchange.js";
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

/** What a killed build left beside the output path (its build mutex aside). */
function leftovers(dir: string): string[] {
  return readdirSync(dir)
    .filter((e) => e.startsWith(".out.") && e !== ".out.lock")
    .sort();
}

/** The token of the names the build mutex left by a killed build records. */
function mutexToken(dir: string): string {
  return /token=([0-9a-f]{16})/.exec(readFileSync(join(dir, ".out.lock"), "utf8"))![1]!;
}

const usePools = (dir: string, cidr: string) =>
  writeFileSync(join(dir, "pools.yaml"), bigRepo(cidr)["pools.yaml"]!);

const TMPFS_MAGIC = 0x01021994;

/**
 * Where the exchange is proven: the disk (the temp folder, and the repository's own filesystem,
 * below node_modules/.cache) and tmpfs.
 */
const places = [
  { name: "the temp folder", parent: tmpdir(), tmpfs: false },
  {
    name: "the repository's filesystem",
    parent: join(root, "node_modules", ".cache"),
    tmpfs: false,
  },
  { name: "tmpfs (/dev/shm)", parent: "/dev/shm", tmpfs: true },
];

/** Why the exchange cannot be tried below `parent`, or undefined when it runs there. */
function whyNoExchange(parent: string, tmpfs: boolean): string | undefined {
  if (tmpfs && !existsSync(parent)) return `${parent} does not exist here`;
  if (tmpfs && statfsSync(parent).type !== TMPFS_MAGIC) return `${parent} is not a tmpfs here`;
  mkdirSync(parent, { recursive: true });
  const probe = mkdtempSync(join(parent, "netcompile-exchange-probe-"));
  try {
    mkdirSync(join(probe, "a"));
    mkdirSync(join(probe, "b"));
    const outcome = exchangeDirectories(join(probe, "a"), join(probe, "b"));
    return outcome.exchanged ? undefined : `no exchange below ${parent}: ${outcome.reason}`;
  } finally {
    removeDir(probe);
  }
}

/**
 * The exchange has no instant without a tree: a build killed just before it leaves the old tree
 * whole at the output path, one killed just after it the new one (and the old tree whole at its
 * staging name, where the exchange put it: two renames would have left it at `.out.old-…`).
 * A kill inside renameat2 is one of the two, the kernel's exchange being a single step.
 */
describe("a build killed exactly at the exchange", () => {
  it.for(places)(
    "leaves the old or the new tree whole at the output path, on $name",
    { timeout: 120_000 },
    async ({ parent, tmpfs }, ctx) => {
      const why = whyNoExchange(parent, tmpfs);
      ctx.skip(why !== undefined, why);
      const dir = mkdtempSync(join(parent, "netcompile-kill-"));
      try {
        for (const [file, content] of Object.entries(bigRepo("192.168.0.0/16")))
          writeFileSync(join(dir, file), content);
        const out = join(dir, "out");
        expect((await runBuild(dir)).code).toBe(0);
        const oldDigest = treeState(out);
        expect(oldDigest).toMatch(/^sha256:/);
        usePools(dir, "172.16.0.0/16");

        const before = await runBuild(dir, undefined, { NETCOMPILE_FAILPOINT: "before-swap" });
        expect(before.signal).toBe("SIGKILL");
        expect(treeState(out)).toBe(oldDigest);
        const staged = leftovers(dir);
        expect(staged).toEqual([`.out.tmp-${staged[0]!.split("-")[1]}-${mutexToken(dir)}`]);
        const newDigest = treeState(join(dir, staged[0]!));
        expect(newDigest).toMatch(/^sha256:/);
        expect(newDigest).not.toBe(oldDigest);

        const after = await runBuild(dir, undefined, { NETCOMPILE_FAILPOINT: "after-swap" });
        expect(after.signal).toBe("SIGKILL");
        expect(treeState(out)).toBe(newDigest);
        const exchanged = leftovers(dir);
        expect(exchanged).toHaveLength(1);
        expect(exchanged[0]).toMatch(new RegExp(`^\\.out\\.tmp-\\d+-${mutexToken(dir)}$`));
        expect(treeState(join(dir, exchanged[0]!))).toBe(oldDigest);

        expect((await runBuild(dir)).code).toBe(0);
        expect(treeState(out)).toBe(newDigest);
        expect(readdirSync(dir).filter((e) => e.startsWith(".out."))).toEqual([]);
      } finally {
        removeDir(dir);
      }
    },
  );
});

/**
 * The fallback (NETCOMPILE_SWAP=renames here; another OS, no binding or a filesystem that
 * refuses the exchange elsewhere) swaps with two renames: the one instant with no tree at the
 * output path is between them (README "Output", SECURITY.md "The swap's window"). What is
 * guaranteed there is tested here: the old tree is whole beside the output path, the build
 * mutex names it, and the next build puts the output back and leaves nothing behind.
 */
describe("a build killed exactly between its two renames", () => {
  const dir = testdir(bigRepo("192.168.0.0/16"));
  afterAll(() => removeDir(dir));
  const renames = { NETCOMPILE_SWAP: "renames" };

  // 120 s is a hang guard for three child builds, not a speed bound.
  it("leaves the old tree whole beside the output path; the next build repairs it", async () => {
    expect((await runBuild(dir)).code).toBe(0);
    const oldDigest = treeState(join(dir, "out"));
    expect(oldDigest).toMatch(/^sha256:/);
    usePools(dir, "172.16.0.0/16");

    const killed = await runBuild(dir, undefined, {
      ...renames,
      NETCOMPILE_FAILPOINT: "between-renames",
    });
    expect(killed.signal).toBe("SIGKILL");
    expect(existsSync(join(dir, "out"))).toBe(false);
    const old = leftovers(dir).filter((e) => /^\.out\.old-\d+-[0-9a-f]{16}$/.test(e));
    expect(old).toHaveLength(1);
    expect(treeState(join(dir, old[0]!))).toBe(oldDigest);
    expect(old[0]).toContain(mutexToken(dir));

    // Repaired, swapped again by two renames, and killed just after them: the new tree in
    // place, the old one at the old name (where an exchange would not have put it).
    const after = await runBuild(dir, undefined, {
      ...renames,
      NETCOMPILE_FAILPOINT: "after-swap",
    });
    expect(after.signal).toBe("SIGKILL");
    const newDigest = treeState(join(dir, "out"));
    expect(newDigest).toMatch(/^sha256:/);
    expect(newDigest).not.toBe(oldDigest);
    expect(leftovers(dir)).toEqual([expect.stringMatching(/^\.out\.old-\d+-[0-9a-f]{16}$/)]);
    expect(treeState(join(dir, leftovers(dir)[0]!))).toBe(oldDigest);

    const next = await runBuild(dir, undefined, renames);
    expect(next.code).toBe(0);
    expect(treeState(join(dir, "out"))).toBe(newDigest);
    expect(readdirSync(dir).filter((e) => e.startsWith(".out."))).toEqual([]);
  }, 120_000);

  // 60 s is a hang guard for three child builds, not a speed bound.
  it("a build killed between writing its mutex draft and linking it: the next build removes the draft", async () => {
    expect((await runBuild(dir)).code).toBe(0);
    const killed = await runBuild(dir, undefined, { NETCOMPILE_FAILPOINT: "mutex-drafted" });
    expect(killed.signal).toBe("SIGKILL");
    expect(readdirSync(dir).filter((e) => /^\.out\.lock-\d+-[0-9a-f]{8}$/.test(e))).toHaveLength(1);
    expect((await runBuild(dir)).code).toBe(0);
    expect(readdirSync(dir).filter((e) => e.startsWith(".out."))).toEqual([]);
  }, 60_000);

  // 120 s is a hang guard for four child builds, not a speed bound.
  it("a build killed just after taking over a killed build's mutex has repaired it first", async () => {
    expect((await runBuild(dir)).code).toBe(0);
    const oldDigest = treeState(join(dir, "out"));
    usePools(dir, "172.16.0.0/16");
    const first = await runBuild(dir, undefined, {
      ...renames,
      NETCOMPILE_FAILPOINT: "between-renames",
    });
    expect(first.signal).toBe("SIGKILL");
    expect(existsSync(join(dir, "out"))).toBe(false);

    // The second build replaces the first one's mutex with its own and is killed at once: the
    // first one's record is gone, so the repair must have happened before it went.
    const second = await runBuild(dir, undefined, { NETCOMPILE_FAILPOINT: "mutex-taken" });
    expect(second.signal).toBe("SIGKILL");
    expect(treeState(join(dir, "out"))).toBe(oldDigest);
    expect(leftovers(dir)).toEqual([]);

    expect((await runBuild(dir)).code).toBe(0);
    expect(readdirSync(dir).filter((e) => e.startsWith(".out."))).toEqual([]);
  }, 120_000);
});
