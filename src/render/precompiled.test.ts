/**
 * The templates the bundles carry precompiled (precompile.ts) render byte for byte what the
 * templates compiled at run time render, on every golden case and example; a precompiled
 * template whose file has changed since is not used; a template the engine refuses fails the
 * build. Each way runs in a fresh module graph: the engine caches templates per process.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { precompiledModule } from "./precompile.js";

const root = join(import.meta.dirname, "..", "..");
const templatesDir = join(root, "templates");
const templateNames = readdirSync(templatesDir)
  .filter((f) => f.endsWith(".hbs"))
  .map((f) => f.slice(0, -".hbs".length))
  .sort();
const fixtures = join(root, "fixtures");
const repos = [
  ...readdirSync(join(fixtures, "cases"))
    .sort()
    .map((name) => join(fixtures, "cases", name, "input")),
  join(fixtures, "examples", "basic"),
].filter((dir) => existsSync(join(dir, "netcompile.yaml")));

const work = mkdtempSync(join(tmpdir(), "netcompile-precompiled-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes the precompiled module made from `dir` (templates/ by default) and returns its URL. */
function writeModule(file: string, dir = templatesDir): string {
  const path = join(work, file);
  writeFileSync(path, precompiledModule(dir));
  return pathToFileURL(path).href;
}

/**
 * Renders every repository (build's files) in a fresh module graph whose precompiled.ts is the
 * module at `precompiled`, or the source's (none) when undefined; and how each template was made.
 */
async function renderAllRepos(precompiled: string | undefined) {
  vi.resetModules();
  if (precompiled === undefined) vi.doUnmock("./precompiled.js");
  else vi.doMock("./precompiled.js", () => import(precompiled));
  const { compileRepo, repoAt } = await import("../usecases/repo.js");
  const { templateOrigins } = await import("./engine.js");
  const rendered = repos.map((dir) => {
    const files = compileRepo(repoAt(dir, "."), { render: "all" }).files ?? [];
    return [dir, files.map((f) => [f.path, f.content])] as const;
  });
  return { rendered, origins: Object.fromEntries(templateOrigins()) };
}

const all = (how: "precompiled" | "compiled") =>
  Object.fromEntries(templateNames.map((name) => [name, how]));

describe("precompiled templates", () => {
  it("render byte for byte what the templates compiled at run time render", async () => {
    const compiled = await renderAllRepos(undefined);
    const precompiled = await renderAllRepos(writeModule("current.mjs"));
    // Every template is used by some case, and made each way only.
    expect(compiled.origins).toEqual(all("compiled"));
    expect(precompiled.origins).toEqual(all("precompiled"));
    expect(precompiled.rendered.flatMap(([, files]) => files).length).toBeGreaterThan(500);
    expect(precompiled.rendered).toEqual(compiled.rendered);
  });

  it("are not used when the template's file differs from what was precompiled", async () => {
    // Precompiled from an edited copy: the file on disk is what the user has, so it wins.
    const edited = join(work, "edited");
    cpSync(templatesDir, edited, { recursive: true });
    writeFileSync(
      join(edited, "ippools.yaml.hbs"),
      `# not the file on disk\n${readTemplate("ippools.yaml")}`,
    );
    const compiled = await renderAllRepos(undefined);
    const stale = await renderAllRepos(writeModule("stale.mjs", edited));
    expect(stale.origins).toEqual({ ...all("precompiled"), "ippools.yaml": "compiled" });
    expect(stale.rendered).toEqual(compiled.rendered);
  });

  it("fail the build for a template the engine refuses", () => {
    const bad = join(work, "bad");
    cpSync(templatesDir, bad, { recursive: true });
    writeFileSync(join(bad, "zz.yaml.hbs"), "{{#eachItem list}}{{q ../x}}{{/eachItem}}\n");
    expect(() => precompiledModule(bad)).toThrow(
      "templates/zz.yaml.hbs:1: an eachItem block reads ../x, not its item",
    );
  });

  it("are generated the same twice, in name order", () => {
    const made = precompiledModule(templatesDir);
    expect(precompiledModule(templatesDir)).toBe(made);
    const names = [...made.matchAll(/^ {2}"([^"]+)": \{ sha256: "[0-9a-f]{64}", spec: /gm)].map(
      (m) => m[1],
    );
    expect(names).toEqual(templateNames);
  });
});

function readTemplate(name: string): string {
  return readFileSync(join(templatesDir, `${name}.hbs`), "utf8");
}
