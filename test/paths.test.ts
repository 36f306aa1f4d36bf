/**
 * Paths: nothing is ever written outside the output directory. Node names that would be
 * paths are refused before render; the emitter refuses them again (safeJoin); the output
 * directory may not be (or go through) a symlink, the repository, a folder holding it, or another repository,
 * and a directory netcompile did not write is replaced only with --force.
 */
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EmitError, emitTree, safeJoin } from "../src/emit/emit.js";
import { cli, minimalRepo, readTree, removeDir, testdir } from "./support.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
/**
 * A tree in a folder of its own, nested a few folders deep in a private temporary folder: a
 * path that climbs out of the repository lands inside the private folder, which tests list
 * (the shared temporary folder changes under other processes, so it is never listed).
 */
const DEPTH = ["a", "b", "c", "d"];
const privateRoots = new Map<string, string>();
function tmp(files: Record<string, string> = {}): string {
  const root = testdir({});
  dirs.push(root);
  const dir = join(root, ...DEPTH, "repo");
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  privateRoots.set(dir, root);
  return dir;
}

/** Every path in the repository's private temporary folder but the repository and its parents. */
function outside(repo: string): string[] {
  const root = privateRoots.get(repo)!;
  const mine = (path: string) =>
    path === repo || path.startsWith(`${repo}/`) || `${repo}/`.startsWith(`${path}/`);
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .map((p) => join(root, p))
    .filter((p) => !mine(p))
    .sort();
}

const PATH_NAMES = ["../x", "/abs", "a/b", ".", "..", "../../../../tmp/evil", "x".repeat(300)];

describe("node names that are paths", () => {
  it.each(PATH_NAMES)("%j is refused before render; nothing is written", async (name) => {
    const repo = tmp({
      ...minimalRepo,
      "topology.yaml": minimalRepo["topology.yaml"]!.replace("name: node-1", `name: "${name}"`),
    });
    const r = await cli(["build", "--repo", repo], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^topology\.yaml:12:\d+: error (NC2005|node-name-invalid): /m);
    expect(readTree(join(repo, "rendered"))).toEqual({});
    expect(outside(repo)).toEqual([]);
  });

  it.each([
    "hosts/../../x",
    "../x",
    "/etc/passwd",
    "hosts/..",
    "",
    ".",
    "a\0b",
    "hosts/../../../tmp/evil",
  ])("the emitter refuses the rendered path %j (render-side guard)", (path) => {
    expect(() => safeJoin("/out/tree", path)).toThrow(/outside the output directory/);
  });

  it("a tree with one escaping path writes nothing at all and keeps the old tree", () => {
    const parent = tmp();
    const out = join(parent, "out");
    emitTree(out, [{ path: "netcompile.lock.json", content: "{}\n" }]);
    expect(() =>
      emitTree(out, [
        { path: "manifests/a.yaml", content: "a: 1\n" },
        { path: "hosts/../../escaped", content: "x" },
      ]),
    ).toThrow(EmitError);
    expect(readdirSync(parent)).toEqual(["out"]);
    expect(readTree(out)).toEqual({ "netcompile.lock.json": "{}\n" });
  });
});

describe("the output directory", () => {
  it("a symlink is refused at the CLI (NC1018 where input could be, NC5005 when ignored), its target untouched", async () => {
    const repo = tmp(minimalRepo);
    const target = tmp({ "keep.txt": "mine" });
    symlinkSync(target, join(repo, "rendered"));
    // No build's lock file behind it: the link is where input could be, so the loader names it.
    const r = await cli(["build", "--repo", repo, "--force"], repo);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/rendered:1:1: error NC1018: rendered is a symbolic link/);
    expect(readTree(target)).toEqual({ "keep.txt": "mine" });
    // Left out of the input on purpose: the output side refuses it.
    writeFileSync(
      join(repo, "netcompile.yaml"),
      `${minimalRepo["netcompile.yaml"]}  ignore: [rendered]\n`,
    );
    const ignored = await cli(["build", "--repo", repo, "--force"], repo);
    expect(ignored.code).toBe(1);
    expect(ignored.stderr).toMatch(/NC5005: rendered: rendered is a symbolic link/);
    expect(readTree(target)).toEqual({ "keep.txt": "mine" });
  });

  it.each([
    ["the repository root", (repo: string) => repo],
    ["a folder holding the repository", (repo: string) => dirname(repo)],
  ])("--out = %s is refused, even with --force", async (_, out) => {
    const repo = tmp(minimalRepo);
    const before = readTree(repo);
    const r = await cli(["build", "--repo", repo, "--out", out(repo), "--force"], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NC5006: .*the repository being built/);
    expect(readTree(repo)).toEqual(before);
  });

  it("--out = another repository (a folder with netcompile.yaml) is refused, even with --force", async () => {
    const repo = tmp(minimalRepo);
    const other = tmp(minimalRepo);
    const r = await cli(["build", "--repo", repo, "--out", other, "--force"], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NC5006: .*it is a repository/);
    expect(readTree(other)).toEqual(minimalRepo);
  });

  it.each(["..", "../elsewhere", "/tmp/abs", "a/../../b", "."])(
    "the Cluster's output.dir %j is refused (NC2005 at the field)",
    async (dir) => {
      const repo = tmp({
        ...minimalRepo,
        "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  output:\n    dir: "${dir}"\n`,
      });
      const r = await cli(["build", "--repo", repo], repo);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^netcompile\.yaml:8:10: error NC2005: /m);
      expect(outside(repo)).toEqual([]);
      expect(readTree(repo)).toEqual({
        ...minimalRepo,
        "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  output:\n    dir: "${dir}"\n`,
      });
    },
  );

  it("a directory netcompile did not write is refused (NC5004) unless --force", async () => {
    const repo = tmp(minimalRepo);
    mkdirSync(join(repo, "rendered"));
    writeFileSync(join(repo, "rendered", "notes.txt"), "mine");
    const r = await cli(["build", "--repo", repo], repo);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("NC5004");
    expect(readTree(join(repo, "rendered"))).toEqual({ "notes.txt": "mine" });
    const forced = await cli(["build", "--repo", repo, "--force"], repo);
    expect(forced.code).toBe(0);
    expect(readTree(join(repo, "rendered"))["notes.txt"]).toBeUndefined();
  });
});
