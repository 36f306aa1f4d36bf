/**
 * The repository refers only to documents it holds: a reader of a clone (or of a rule page that
 * SARIF ships as help) never meets a name that leads nowhere. Checked in every text file:
 *  - a document named in capitals (`SECURITY.md`) exists somewhere in the repository;
 *  - a path to a Markdown file (`policies/docs/x.md`) exists from the file or from the root;
 *  - a Markdown link to a relative target (`[x](../y.md#z)`) exists from the file;
 *  - no absolute path into the machine the repository was written on (`/work/...`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const SKIPPED_DIRS = new Set(["node_modules", "lib", "dist", "rendered", "coverage"]);
const TEXT = /\.(md|ts|js|mjs|json|ya?ml|hbs|txt)$|^Dockerfile$|^run$/;

function repositoryFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") && entry.name !== ".ci") continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && TEXT.test(entry.name) && entry.name !== "package-lock.json") {
        out.push(path);
      }
    }
  };
  walk(root);
  return out.sort();
}

/** A path to a Markdown file from a top-level folder of the repository or from `./`, `../`. */
const ROOTED_MARKDOWN_PATH =
  /(?<![\w/.-])(?:(?:\.{1,2}\/)+|(?:docs|policies|src|test|fixtures|argocd|bench|scripts)\/)(?:[\w.-]+\/)*[\w.-]+\.md\b/g;

// This file names broken references on purpose, to show they are found.
const files = repositoryFiles().filter((f) => f !== import.meta.filename);
const names = new Set(files.map((f) => basename(f)));
const exists = (from: string, target: string) =>
  existsSync(join(dirname(from), target)) || existsSync(join(root, target));

/** Every reference in a file's text that leads nowhere, as `file:line: what`. */
function brokenReferences(file: string, text = readFileSync(file, "utf8")): string[] {
  const broken: string[] = [];
  const shown = relative(root, file);
  text.split("\n").forEach((line, i) => {
    const at = `${shown}:${i + 1}`;
    for (const [name] of line.matchAll(/\b[A-Z][A-Z0-9_-]*\.md\b/g))
      if (!names.has(name)) broken.push(`${at}: ${name} is not in the repository`);
    for (const [path] of line.matchAll(ROOTED_MARKDOWN_PATH))
      if (!exists(file, path)) broken.push(`${at}: ${path} does not exist`);
    if (file.endsWith(".md"))
      for (const [, target] of line.matchAll(/\]\(([^)\s]+)\)/g)) {
        const path = target!.replace(/#.*$/, "");
        if (path === "" || /^[a-z]+:/.test(path)) continue;
        if (!existsSync(join(dirname(file), path))) broken.push(`${at}: link to ${target}`);
      }
    for (const [path] of line.matchAll(/(?<![\w.-])\/work\/[\w./-]*/g))
      broken.push(`${at}: absolute path ${path}`);
  });
  return broken;
}

describe("the repository is self-contained", () => {
  it("finds the files it checks", () => {
    expect(files.map((f) => relative(root, f))).toEqual(
      expect.arrayContaining(["README.md", "SECURITY.md", "docs/diagnostics.md", ".ci/run"]),
    );
  });

  it("refers to no document, path or link that is not in it", () => {
    expect(files.flatMap((f) => brokenReferences(f))).toEqual([]);
  });

  it("tells no one to run netcompile through npx: it is not on the npm registry", () => {
    const npx = files.filter((f) => /\bnpx netcompile\b/.test(readFileSync(f, "utf8")));
    expect(npx.map((f) => relative(root, f))).toEqual([]);
  });

  it("notices each kind of reference that leads nowhere", () => {
    const page = join(root, "docs", "page.md");
    const text = [
      "See SECURITY.md and NOWHERE.md.",
      "Rules: policies/docs/pool-overlap.md, policies/docs/nowhere.md.",
      "[fine](diagnostics.md#nc1001) [gone](missing.md) [web](https://example.com/x.md)",
      "as measured in /work/shared/notes",
    ].join("\n");
    expect(brokenReferences(page, text)).toEqual([
      "docs/page.md:1: NOWHERE.md is not in the repository",
      "docs/page.md:2: policies/docs/nowhere.md does not exist",
      "docs/page.md:3: link to missing.md",
      "docs/page.md:4: absolute path /work/shared/notes",
    ]);
  });
});
