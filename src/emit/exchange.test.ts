import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, minimalRepo, removeDir, testdir } from "../../test/support.js";
import { exchangeBindingLoaded, exchangeDirectories, exchangeUnavailable } from "./exchange.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** Whether koffi's module is in this process's module cache (loaded by anyone, not only us). */
const koffiInCache = () =>
  Object.keys(createRequire(import.meta.url).cache).some((p) => /[\\/]koffi[\\/]/.test(p));

// First, before anything here asks for the binding: the commands that never replace a tree.
describe("the binding is loaded only to replace a tree", () => {
  it("validate, render, build --check and plan never load it; a build over a tree does", async () => {
    const repo = testdir(minimalRepo);
    dirs.push(repo);
    expect(koffiInCache(), "loaded before any command ran").toBe(false);
    expect((await cli(["validate", "--repo", repo], repo)).code).toBe(0);
    expect((await cli(["render", "--repo", repo], repo)).code).toBe(0);
    expect((await cli(["build", "--repo", repo], repo)).code).toBe(0); // the first: one rename
    expect((await cli(["build", "--check", "--repo", repo], repo)).code).toBe(0);
    expect((await cli(["plan", "--repo", repo], repo)).code).toBe(0);
    expect(exchangeBindingLoaded()).toBe(false);
    expect(koffiInCache()).toBe(false);

    expect((await cli(["build", "--repo", repo], repo)).code).toBe(0); // replaces the tree
    expect(exchangeBindingLoaded()).toBe(true);
    if (exchangeUnavailable() === undefined) expect(koffiInCache()).toBe(true);
  });
});

describe("exchangeDirectories", () => {
  const root = testdir({});
  dirs.push(root);
  const pair = (name: string) => {
    const a = join(root, `${name}-a`);
    const b = join(root, `${name}-b`);
    mkdirSync(a);
    mkdirSync(b);
    writeFileSync(join(a, "which"), "a");
    writeFileSync(join(b, "which"), "b");
    return [a, b] as const;
  };

  it("exchanges two directories in one step", (ctx) => {
    const why = exchangeUnavailable();
    ctx.skip(why !== undefined, why);
    const [a, b] = pair("swap");
    expect(exchangeDirectories(a, b)).toEqual({ exchanged: true });
    expect(readFileSync(join(a, "which"), "utf8")).toBe("b");
    expect(readFileSync(join(b, "which"), "utf8")).toBe("a");
  });

  it("changes nothing when it fails, and says why", (ctx) => {
    const why = exchangeUnavailable();
    ctx.skip(why !== undefined, why);
    const [a] = pair("missing");
    expect(exchangeDirectories(a, join(root, "absent"))).toEqual({
      exchanged: false,
      reason: "renameat2(RENAME_EXCHANGE) failed: ENOENT",
    });
    expect(readFileSync(join(a, "which"), "utf8")).toBe("a");
  });

  it("refuses a path holding NUL (a C string would end there and name another folder)", () => {
    const [a, b] = pair("nul");
    expect(exchangeDirectories(a, `${b}\0x`)).toEqual({
      exchanged: false,
      reason: "a path holds a NUL byte",
    });
    expect(readFileSync(join(a, "which"), "utf8")).toBe("a");
    expect(readFileSync(join(b, "which"), "utf8")).toBe("b");
  });
});
