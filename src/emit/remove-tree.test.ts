import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeTree } from "./remove-tree.js";

let dir: string;
let outside: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "nc-remove-"));
  outside = mkdtempSync(join(tmpdir(), "nc-remove-outside-"));
  writeFileSync(join(outside, "keep"), "keep");
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe("removeTree", () => {
  it("removes nested folders, files and empty folders", () => {
    const tree = join(dir, "tree");
    mkdirSync(join(tree, "hosts/n1/netplan"), { recursive: true });
    mkdirSync(join(tree, "hosts/n2/empty"), { recursive: true });
    writeFileSync(join(tree, "hosts/n1/netplan/a.yaml"), "a");
    writeFileSync(join(tree, "lock.json"), "{}");
    removeTree(tree);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("unlinks links in the tree and never touches what they point to", () => {
    const tree = join(dir, "tree");
    mkdirSync(tree);
    symlinkSync(outside, join(tree, "to-folder"));
    symlinkSync(join(outside, "keep"), join(tree, "to-file"));
    removeTree(tree);
    expect(existsSync(tree)).toBe(false);
    expect(readFileSync(join(outside, "keep"), "utf8")).toBe("keep");
  });

  it("a link given as the tree is unlinked, not followed", () => {
    symlinkSync(outside, join(dir, "old"));
    removeTree(join(dir, "old"));
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(outside)).toEqual(["keep"]);
  });

  it("a missing path is nothing to do; a file is removed", () => {
    removeTree(join(dir, "missing"));
    writeFileSync(join(dir, "file"), "x");
    removeTree(join(dir, "file"));
    expect(readdirSync(dir)).toEqual([]);
  });
});
