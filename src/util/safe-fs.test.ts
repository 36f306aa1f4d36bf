import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BelowReader, readBelow } from "./safe-fs.js";

// Every lstat the reader makes, by path: the work a read costs, counted instead of timed.
const lstats = vi.hoisted(() => [] as string[]);
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const lstatSync = ((path: string, options?: object) => {
    lstats.push(path);
    return fs.lstatSync(path, options);
  }) as typeof fs.lstatSync;
  return { ...fs, lstatSync, default: { ...fs, lstatSync } };
});

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "nc-safe-fs-"));
  lstats.length = 0;
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
