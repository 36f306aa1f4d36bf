/**
 * check-dist: dist/ is committed (a runner runs it as checked out), so it must be exactly what
 * `npm run package` makes from the sources, templates and policies of the same commit.
 */
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutSources, collectAssets, packageAction } from "../src/action/package-dist.js";
import { templateHash } from "../src/render/engine.js";
import { hostRepo, testdir } from "./support.js";

const root = resolve(import.meta.dirname, "..");
const dist = join(root, "dist");
let rebuilt: string;
const temps: string[] = [];

beforeAll(async () => {
  rebuilt = mkdtempSync(join(tmpdir(), "netcompile-dist-"));
  temps.push(rebuilt);
  await packageAction(rebuilt);
});
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function listFiles(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
        .sort()
    : [];
}

describe("check-dist", () => {
  it("dist/ is the bundle of the sources: run `npm run package` and commit dist/", () => {
    const committed = listFiles(dist);
    const fresh = listFiles(rebuilt);
    expect(committed, "files in dist/").toEqual(fresh);
    const stale = fresh.filter(
      (f) => !readFileSync(join(dist, f)).equals(readFileSync(join(rebuilt, f))),
    );
    expect(stale, "files of dist/ that differ from a fresh `npm run package`").toEqual([]);
  });

  it("does not depend on where the checkout is or where node_modules really lives", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "netcompile-scratch-"));
    temps.push(scratch);
    for (const entry of ["src", "templates", "policies", "docs", "package.json"]) {
      cpSync(join(root, entry), join(scratch, entry), { recursive: true });
    }
    symlinkSync(join(root, "node_modules"), join(scratch, "node_modules"));
    const out = join(scratch, "dist");
    await packageAction(out, scratch);
    for (const f of listFiles(rebuilt)) {
      expect(readFileSync(join(out, f)).equals(readFileSync(join(rebuilt, f))), f).toBe(true);
    }
  });

  it("--from REVISION takes the sources of a commit, with node_modules linked", () => {
    const dir = checkoutSources("HEAD", root);
    temps.push(dir);
    expect(existsSync(join(dir, "src", "action", "index.ts"))).toBe(true);
    expect(existsSync(join(dir, "templates", "ippools.yaml.hbs"))).toBe(true);
    expect(existsSync(join(dir, "node_modules", "esbuild", "package.json"))).toBe(true);
    expect(existsSync(join(dir, "test"))).toBe(false);
  });

  it("inlines every file of templates/ and policies/", () => {
    const bundle = readFileSync(join(rebuilt, "index.js"), "utf8");
    const assets = collectAssets(root);
    expect(Object.keys(assets)).toContain("templates/ippools.yaml.hbs");
    for (const path of Object.keys(assets)) expect(bundle).toContain(JSON.stringify(path));
  });

  it("carries every template precompiled, as the CLI's bundle does", () => {
    const bundle = readFileSync(join(rebuilt, "index.js"), "utf8");
    const templates = Object.entries(collectAssets(root)).filter(([path]) => path.endsWith(".hbs"));
    for (const [path, source] of templates)
      expect(bundle, path).toContain(
        `"${path.slice("templates/".length, -".hbs".length)}": { sha256: "${templateHash(source)}"`,
      );
  });

  it("runs from anywhere: the bundle reads no file beside it", () => {
    const alone = mkdtempSync(join(tmpdir(), "netcompile-alone-"));
    temps.push(alone);
    // .mjs: outside this package there is no "type": "module" to make a .js file ESM.
    copyFileSync(join(rebuilt, "index.js"), join(alone, "index.mjs"));
    const repo = testdir(hostRepo);
    temps.push(repo);
    const r = spawnSync(process.execPath, [join(alone, "index.mjs")], {
      cwd: repo,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", GITHUB_WORKSPACE: repo, RUNNER_TEMP: alone },
    });
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("0 errors, 0 warnings");
    expect(r.status).toBe(0);
  });

  it("never replaces an output tree: no build mutex, swap or native binding is bundled", () => {
    // check-output only reads the tree; emitTree and the exchange's binding (koffi) stay out.
    const bundle = readFileSync(join(rebuilt, "index.js"), "utf8");
    expect(bundle).toContain("function compareTree(");
    for (const writer of ["function emitTree(", "netcompile-build-mutex", "renameat2", "koffi"])
      expect(bundle).not.toContain(writer);
  });

  it("lists the license of every bundled package", () => {
    const text = readFileSync(join(rebuilt, "licenses.txt"), "utf8");
    for (const name of ["@actions/core", "yaml", "handlebars", "ajv"]) {
      expect(text).toMatch(new RegExp(`^${name}@\\d`, "m"));
    }
  });
});
