import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { spawnSync } from "node:child_process";
import {
  BelowReader,
  readBelow,
  joinShare,
  readRegularFile,
  readShareHere,
  readTree,
  shareTree,
  startTreeRead,
  type TreeRead,
  type TreeReadRequest,
} from "./safe-fs.js";

// Every lstat the reader makes, by path: the work a read costs, counted instead of timed.
const lstats = vi.hoisted(() => [] as string[]);
// And every read, by the bytes it returned.
const reads = vi.hoisted(() => [] as number[]);
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const lstatSync = ((path: string, options?: object) => {
    lstats.push(path);
    return fs.lstatSync(path, options);
  }) as typeof fs.lstatSync;
  const readSync = ((...args: Parameters<typeof fs.readSync>) => {
    const n = fs.readSync(...args);
    reads.push(n);
    return n;
  }) as typeof fs.readSync;
  return { ...fs, lstatSync, readSync, default: { ...fs, lstatSync, readSync } };
});

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "nc-safe-fs-"));
  lstats.length = 0;
  reads.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const text = (r: ReturnType<typeof readBelow>) => (r.ok ? r.bytes.toString("utf8") : r);

describe("BelowReader", () => {
  it("checks each folder on the way once, however many files below it are read", () => {
    mkdirSync(join(root, "hosts/node-1/netplan"), { recursive: true });
    mkdirSync(join(root, "hosts/node-2/netplan"), { recursive: true });
    const files = [
      "hosts/node-1/netplan/a.yaml",
      "hosts/node-1/netplan/b.yaml",
      "hosts/node-2/netplan/a.yaml",
    ];
    for (const f of files) writeFileSync(join(root, f), f);
    const reader = new BelowReader(root);
    expect(files.map((f) => text(reader.read(f, 100)))).toEqual(files);
    const folders = lstats.filter((p) => !p.endsWith(".yaml")).map((p) => p.slice(root.length + 1));
    expect(folders).toEqual([
      "hosts",
      "hosts/node-1",
      "hosts/node-1/netplan",
      "hosts/node-2",
      "hosts/node-2/netplan",
    ]);
    // Each file itself is still checked before it is opened.
    expect(lstats.filter((p) => p.endsWith(".yaml"))).toHaveLength(3);
  });

  it("readBelow alone checks every folder on the way for each file", () => {
    mkdirSync(join(root, "a/b"), { recursive: true });
    writeFileSync(join(root, "a/b/x"), "x");
    readBelow(root, "a/b/x", 10);
    readBelow(root, "a/b/x", 10);
    expect(lstats.map((p) => p.slice(root.length + 1))).toEqual([
      "a",
      "a/b",
      "a/b/x",
      "a",
      "a/b",
      "a/b/x",
    ]);
  });

  it("refuses a link on the way or as the file, and never remembers a refusal", () => {
    const outside = mkdtempSync(join(tmpdir(), "nc-safe-fs-outside-"));
    try {
      writeFileSync(join(outside, "secret"), "secret");
      symlinkSync(outside, join(root, "linked"));
      symlinkSync(join(outside, "secret"), join(root, "file-link"));
      const reader = new BelowReader(root);
      expect(reader.read("linked/secret", 100)).toMatchObject({
        ok: false,
        problem: "symlink",
        at: "linked",
      });
      expect(reader.read("file-link", 100)).toMatchObject({ ok: false, problem: "symlink" });
      // The link replaced by a real folder: the same reader reads it, so nothing refused was cached.
      rmSync(join(root, "linked"));
      mkdirSync(join(root, "linked"));
      writeFileSync(join(root, "linked/secret"), "inside");
      expect(text(reader.read("linked/secret", 100))).toBe("inside");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("refuses a file on the way, a missing folder, and a file over the cap", () => {
    writeFileSync(join(root, "plain"), "12345");
    const reader = new BelowReader(root);
    expect(reader.read("plain/x", 100)).toMatchObject({
      ok: false,
      problem: "not-regular",
      at: "plain",
    });
    expect(reader.read("missing/x", 100)).toMatchObject({ ok: false, at: "missing" });
    expect(reader.read("plain", 4)).toMatchObject({ ok: false, problem: "too-large", size: 5 });
    expect(text(reader.read("plain", 5))).toBe("12345");
  });
});

describe("readRegularFile", () => {
  it("reads a file in one read when it ends at the size fstat gave; one fstat calls empty (/proc) to its end", () => {
    writeFileSync(join(root, "f"), "12345");
    expect(text(readRegularFile(join(root, "f"), 5))).toBe("12345");
    expect(reads).toEqual([5]);
    reads.length = 0;
    const stat = readRegularFile("/proc/self/stat", 4096);
    expect(stat.ok && stat.bytes.length).toBeGreaterThan(10);
    expect(reads.at(-1)).toBe(0);
  });
});

describe("readTree", () => {
  const request = (over: Partial<TreeReadRequest> = {}): TreeReadRequest => ({
    root,
    maxBytes: 100,
    skipDotNames: true,
    skipFiles: [],
    ...over,
  });
  const texts = (tree: TreeRead) => tree.files.map((f) => [f.path, f.bytes.toString("utf8")]);

  /** A tree with a link to a secret file, a link to a folder holding it, a FIFO and a large file. */
  function hostileTree(outside: string): void {
    writeFileSync(join(outside, "secret"), "SECRET");
    mkdirSync(join(root, "hosts/n-1"), { recursive: true });
    writeFileSync(join(root, "hosts/n-1/a.yaml"), "a");
    writeFileSync(join(root, "big.yaml"), "x".repeat(101));
    symlinkSync(join(outside, "secret"), join(root, "hosts/n-1/stolen.yaml"));
    symlinkSync(outside, join(root, "hosts/away"));
    const fifo = spawnSync("mkfifo", [join(root, "pipe.yaml")]);
    if (fifo.status !== 0) throw new Error("mkfifo failed");
  }

  it("reads every regular file in one walk, sorted, with no lstat; dot names and skipped files left out", () => {
    mkdirSync(join(root, "hosts/n-2/netplan"), { recursive: true });
    mkdirSync(join(root, "hosts/n-1"), { recursive: true });
    mkdirSync(join(root, ".git"));
    writeFileSync(join(root, ".git/config"), "c");
    writeFileSync(join(root, "hosts/.hidden"), "h");
    writeFileSync(join(root, "hosts/n-2/netplan/a.yaml"), "two");
    writeFileSync(join(root, "hosts/n-1/a.yaml"), "one");
    writeFileSync(join(root, "hosts-b"), "b");
    writeFileSync(join(root, "lock.json"), "{}");
    const tree = readTree(request({ skipFiles: ["lock.json"] }));
    expect(texts(tree)).toEqual([
      ["hosts-b", "b"],
      ["hosts/n-1/a.yaml", "one"],
      ["hosts/n-2/netplan/a.yaml", "two"],
    ]);
    expect(tree.unread).toEqual([]);
    expect(tree.problems).toEqual([]);
    expect(lstats).toEqual([]);
    // Without skipDotNames the dot names are read too.
    expect(texts(readTree(request({ skipDotNames: false }))).map(([p]) => p)).toContain(
      ".git/config",
    );
  });

  it("names links and a FIFO without following or opening them, and a file over the cap without reading it", () => {
    const outside = mkdtempSync(join(tmpdir(), "nc-safe-fs-outside-"));
    try {
      hostileTree(outside);
      const tree = readTree(request());
      expect(texts(tree)).toEqual([["hosts/n-1/a.yaml", "a"]]);
      expect(tree.unread).toEqual([
        { path: "big.yaml", problem: "too-large", detail: "101 bytes", size: 101 },
      ]);
      expect(tree.problems).toEqual([
        { path: "hosts/away", folder: true, problem: "symlink", detail: "a symbolic link" },
        {
          path: "hosts/n-1/stolen.yaml",
          folder: false,
          problem: "symlink",
          detail: "a symbolic link",
        },
        { path: "pipe.yaml", folder: false, problem: "not-regular", detail: "a FIFO (named pipe)" },
      ]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("on a second thread (startTreeRead) reads what it reads on this one", () => {
    const outside = mkdtempSync(join(tmpdir(), "nc-safe-fs-outside-"));
    try {
      hostileTree(outside);
      for (let i = 0; i < 20; i++) writeFileSync(join(root, `hosts/n-1/f-${i}`), `é ${i}`);
      const here = readTree(request());
      const there = startTreeRead(request()).join();
      expect(texts(there)).toEqual(texts(here));
      expect(texts(there)).toHaveLength(21);
      expect(there.unread).toEqual(here.unread);
      expect(there.problems).toEqual(here.problems);
      // A read whose result is not wanted is stopped and waited for.
      startTreeRead(request()).stop();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  /**
   * hosts/n-000 .. n-(count-1), each with two files in two folders, and in the hosts named by
   * `odd` (claimed units, not the listed top) every kind of problem: a link to a secret file, a
   * link to a folder outside, a FIFO, a file over the cap, dot names, a file named in skipFiles,
   * an empty folder and a deeper one. Returns the request that skips the skipFiles entry.
   */
  function manyHosts(outside: string, count: number, odd: readonly number[]): TreeReadRequest {
    writeFileSync(join(outside, "secret"), "SECRET");
    writeFileSync(join(root, "top.yaml"), "top");
    mkdirSync(join(root, "calico"));
    writeFileSync(join(root, "calico/pools.yaml"), "pools");
    const name = (i: number) => `hosts/n-${String(i).padStart(3, "0")}`;
    for (let i = 0; i < count; i++) {
      mkdirSync(join(root, name(i), "netplan"), { recursive: true });
      mkdirSync(join(root, name(i), "networkd"));
      writeFileSync(join(root, name(i), "netplan/10-netcompile.yaml"), `netplan ${i}`);
      writeFileSync(join(root, name(i), "networkd/10-eth0.network"), `networkd é ${i}`);
    }
    for (const i of odd) {
      const host = join(root, name(i));
      symlinkSync(join(outside, "secret"), join(host, "netplan/stolen.yaml"));
      symlinkSync(outside, join(host, "away"));
      if (spawnSync("mkfifo", [join(host, "networkd/pipe.network")]).status !== 0)
        throw new Error("mkfifo failed");
      writeFileSync(join(host, "big.yaml"), "x".repeat(101));
      writeFileSync(join(host, ".hidden"), "h");
      mkdirSync(join(host, ".git"));
      writeFileSync(join(host, ".git/config"), "c");
      writeFileSync(join(host, "skipped.yaml"), "s");
      mkdirSync(join(host, "empty"));
      mkdirSync(join(host, "deep/er"), { recursive: true });
      writeFileSync(join(host, "deep/er/file"), `deep ${i}`);
    }
    symlinkSync(outside, join(root, "hosts/n-link"));
    return request({ skipFiles: odd.map((i) => `${name(i)}/skipped.yaml`) });
  }

  /** Every file (path and text), unread file and problem: what a tree read must equal. */
  const whole = (tree: TreeRead) => ({
    files: texts(tree),
    unread: tree.unread,
    problems: tree.problems,
  });

  it("shared by two threads (startTreeRead), reads exactly what readTree reads, with every problem inside the host folders the threads claim", () => {
    const outside = mkdtempSync(join(tmpdir(), "nc-safe-fs-outside-"));
    try {
      const treeRequest = manyHosts(outside, 300, [0, 7, 150, 299]);
      const here = whole(readTree(treeRequest));
      // What readTree reads, checked once: every unit's files, each problem named, nothing outside.
      expect(here.files).toHaveLength(2 + 300 * 2 + 4);
      expect(here.files).toContainEqual(["hosts/n-150/deep/er/file", "deep 150"]);
      expect(JSON.stringify(here)).not.toContain("SECRET");
      expect(here.unread.map((u) => u.path)).toEqual(
        [0, 7, 150, 299].map((i) => `hosts/n-${String(i).padStart(3, "0")}/big.yaml`),
      );
      expect(here.problems).toHaveLength(1 + 4 * 3);
      expect(here.problems).toContainEqual({
        path: "hosts/n-007/networkd/pipe.network",
        folder: false,
        problem: "not-regular",
        detail: "a FIFO (named pipe)",
      });
      expect(lstats).toEqual([]);

      // The top is listed down to the host folders, which are the units the threads claim.
      const share = shareTree(treeRequest);
      expect(share.files.map(([, path]) => path)).toEqual(
        expect.arrayContaining(["top.yaml", "calico/pools.yaml"]),
      );
      expect(share.folders).toHaveLength(300);

      const reading = startTreeRead(treeRequest);
      for (let i = 0; i < 2000 && reading.progress().claimed === 0; i++) sleep(1);
      const shared = reading.join();
      expect(whole(shared)).toEqual(here);
      // This thread read a share: not all of it, since the other one had claimed a unit.
      const { units, here: mine } = reading.progress();
      expect(units).toBe(302);
      expect(mine).toBeLessThan(units);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("reads the same whatever share each thread claims: none, all, or any cut between", () => {
    const outside = mkdtempSync(join(tmpdir(), "nc-safe-fs-outside-"));
    try {
      const treeRequest = manyHosts(outside, 80, [0, 1, 40, 79]);
      const here = whole(readTree(treeRequest));
      for (const cuts of [[], [82], [1], [2, 41], [3, 3, 3, 3], [81]]) {
        const share = shareTree(treeRequest);
        expect(share.files.length + share.folders.length).toBe(82);
        const parts = cuts.map((most) => readShareHere(share, most));
        expect(parts.map((p) => p.units)).toEqual(cuts.map((most) => Math.min(most, 82)));
        const rest = readShareHere(share);
        const none = readShareHere(share);
        // Once every unit is claimed, a late thread claims and reads nothing.
        expect(none).toEqual({ files: [], unread: [], problems: [], units: 0 });
        expect(whole(joinShare(share, ...parts, rest, none))).toEqual(here);
      }
      // A unit read twice or skipped would not be the tree.
      const share = shareTree(treeRequest);
      const first = readShareHere(share, 5);
      const rest = readShareHere(share);
      expect(whole(joinShare(share, first, rest, first))).not.toEqual(here);
      expect(whole(joinShare(share, rest))).not.toEqual(here);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("shared: when the second thread reads every unit first this one reads none, and a folder gone since the top was listed is named", () => {
    const outside = mkdtempSync(join(tmpdir(), "nc-safe-fs-outside-"));
    try {
      const treeRequest = manyHosts(outside, 120, [3, 60, 119]);
      const here = whole(readTree(treeRequest));
      const reading = startTreeRead(treeRequest);
      const { units } = reading.progress();
      for (let i = 0; i < 10_000 && reading.progress().claimed < units; i++) sleep(1);
      expect(reading.progress().claimed).toBe(units);
      expect(whole(reading.join())).toEqual(here);
      expect(reading.progress().here).toBe(0);

      // A host folder removed between the listing of the top and its claim cannot be listed.
      const share = shareTree(treeRequest);
      rmSync(join(root, "hosts/n-060"), { recursive: true });
      const tree = joinShare(share, readShareHere(share));
      expect(tree.problems).toContainEqual({
        path: "hosts/n-060",
        folder: true,
        problem: "absent",
        detail: "it does not exist",
      });
      expect(tree.files.some((f) => f.path.startsWith("hosts/n-060/"))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

/** Blocks this thread for `ms` (the other thread runs meanwhile). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
