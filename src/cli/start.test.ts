/**
 * The CLI's start from V8's code cache (start.ts): a cache is used only for the bundle it was
 * made from, and a missing, foreign or refused cache still runs the bundle, compiled from source.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BUNDLE_FILE, CODE_CACHE_FILE, HEADER_BYTES, loadBundle } from "./start.js";

const root = join(import.meta.dirname, "..", "..");
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A CommonJS bundle that reads what Node gives a module, with functions for the cache. */
function bundle(answer: number): string {
  return [
    'const path = require("node:path");',
    "function square(x) { return x * x; }",
    `exports.answer = () => square(${answer});`,
    "exports.where = () => [path.basename(__filename), path.basename(__dirname), this === exports];",
    "module.exports.same = module.exports === exports;",
    "",
  ].join("\n");
}

interface Exports {
  answer(): number;
  where(): [string, string, boolean];
  same: boolean;
}

function setUp(source: string): { file: string; cache: string } {
  dir = mkdtempSync(join(tmpdir(), "netcompile-start-"));
  const file = join(dir, "bundle.cjs");
  writeFileSync(file, source);
  return { file, cache: join(dir, "bundle.code-cache") };
}

/**
 * Runs `what` on `file` in a Node of its own: V8 also keeps what it compiled per process, so a
 * second load in one process would not read the cache at all. "train" loads without a cache,
 * runs the bundle and writes its cache, as the build's training run does; "load" prints how the
 * cache was taken and the bundle's answer.
 */
function child(what: "train" | "load", file: string, cache: string): string {
  const script = `import { loadBundle, writeCache } from ${JSON.stringify(join(import.meta.dirname, "start.ts"))};
    const [what, file, cache] = process.argv.slice(1);
    const loaded = loadBundle(file, what === "train" ? undefined : cache);
    const answer = loaded.exports.answer();
    if (what === "train") writeCache(cache, loaded.createCache());
    else process.stdout.write(loaded.cache + " " + answer);`;
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script, what, file, cache],
    { encoding: "utf8" },
  );
  expect(r.stderr).toBe("");
  return r.stdout;
}

describe("loadBundle", () => {
  it("runs the bundle as Node runs a CommonJS module, without a cache", () => {
    const { file, cache } = setUp(bundle(6));
    const loaded = loadBundle<Exports>(file, cache);
    expect(loaded.cache).toBe("absent");
    expect(loaded.exports.answer()).toBe(36);
    expect(loaded.exports.where()).toEqual(["bundle.cjs", dir.split("/").pop(), true]);
    expect(loaded.exports.same).toBe(true);
  });

  it("uses the cache made from the same bundle, and runs it when V8 refuses the cache", () => {
    const { file, cache } = setUp(bundle(6));
    child("train", file, cache);
    expect(child("load", file, cache)).toBe("used 36");
    // The header (netcompile's tag and the bundle's hash) is right, V8's data after it is not.
    const damaged = readFileSync(cache);
    damaged.fill(0x5a, HEADER_BYTES, HEADER_BYTES + 32);
    writeFileSync(cache, damaged);
    expect(child("load", file, cache)).toBe("refused 36");
  });

  it("never hands V8 the cache of another bundle, even one of the same length", () => {
    // V8 checks a cache against the source's length only: this cache would pass its check.
    const { file, cache } = setUp(bundle(6));
    child("train", file, cache);
    writeFileSync(file, bundle(7));
    expect(readFileSync(file).length).toBe(bundle(6).length);
    expect(child("load", file, cache)).toBe("stale 49");
  });

  it("takes a file that is no cache for a stale one", () => {
    const { file, cache } = setUp(bundle(6));
    child("train", file, cache);
    const made = readFileSync(cache);
    for (const junk of [Buffer.alloc(0), Buffer.from("not a cache"), made.subarray(0, 40)]) {
      writeFileSync(cache, junk);
      const loaded = loadBundle<Exports>(file, cache);
      expect(loaded.cache).toBe("stale");
      expect(loaded.exports.answer()).toBe(36);
    }
  });
});

describe("the built CLI", () => {
  it("starts from the code cache `npm run build` made", (ctx) => {
    const lib = join(root, "lib");
    ctx.skip(
      !existsSync(join(lib, "cli", "start.js")) || !existsSync(join(lib, CODE_CACHE_FILE)),
      "lib/ is not built (npm ci builds it through prepare; or run npm run build)",
    );
    // A plain Node, as bin/netcompile.js runs: V8 refuses a cache under other V8 flags.
    const script = `import { loadBundle } from ${JSON.stringify(join(lib, "cli", "start.js"))};
      const loaded = loadBundle(${JSON.stringify(join(lib, BUNDLE_FILE))}, ${JSON.stringify(join(lib, CODE_CACHE_FILE))});
      process.stdout.write(loaded.cache + " " + typeof loaded.exports.run);`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      env: { PATH: process.env.PATH },
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("used function");
  });
});
