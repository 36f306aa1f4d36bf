import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { spawnSync } from "node:child_process";
import {
  BelowReader,
  readBelow,
  readRegularFile,
  readTree,
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
});
