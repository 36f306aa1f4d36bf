/**
 * No broken file is ever written. Host files are checked by single-pass readers (INI, and
 * netplan's YAML subset), not parsed back with `yaml`; this holds them to the promise the
 * parse-back gave: a rendered file that a reader refuses — a whole file, a text many hosts
 * share, or a static-mode list shared between hosts — is an NC5001 at that file, the build
 * writes nothing and the previous tree stays. Renderers cannot be made to print a broken file
 * from a repository (every value is quoted), so renderAll is wrapped to break one on purpose.
 */
import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RenderedFile } from "../src/render/types.js";
import { readTree, removeDir, testdir } from "./support.js";

const breakage = vi.hoisted(() => ({
  current: undefined as ((files: RenderedFile[]) => RenderedFile[]) | undefined,
  /** The paths of the files it broke. */
  broken: new Set<string>(),
}));

vi.mock("../src/render/index.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/render/index.js")>();
  return {
    ...original,
    renderAll: (...args: Parameters<typeof original.renderAll>) => {
      const files = original.renderAll(...args);
      return breakage.current ? breakage.current(files) : files;
    },
  };
});

const { buildRepo, repoAt } = await import("../src/usecases/index.js");
const { fileFromPieces, piecesOf, SharedText } = await import("../src/render/pieces.js");

const dirs: string[] = [];
afterEach(() => {
  breakage.current = undefined;
  breakage.broken.clear();
  dirs.splice(0).forEach(removeDir);
});

/** A copy of a fixture repository, and the tree a clean build of it writes. */
function built(fixture: string): { repo: string; out: string; before: Record<string, string> } {
  const repo = testdir({});
  dirs.push(repo);
  cpSync(fixture, repo, { recursive: true });
  const out = join(repo, "out");
  expect(buildRepo(repoAt(repo, "."), { out }).outcome).toBe("written");
  return { repo, out, before: readTree(out) };
}

/** Replaces the content of each file `pick` chooses. */
const replace =
  (pick: (f: RenderedFile) => boolean, content: (old: string) => string) =>
  (files: RenderedFile[]) =>
    files.map((f) => {
      if (!pick(f)) return f;
      breakage.broken.add(f.path);
      return { path: f.path, content: content(f.content) };
    });

const CALICO = "fixtures/examples/basic";
const STATIC = "fixtures/cases/static-vxlan-always/input";

function expectRefused(
  fixture: string,
  breakIt: (files: RenderedFile[]) => RenderedFile[],
  broken: RegExp,
  detail: RegExp,
): number {
  const { repo, out, before } = built(fixture);
  breakage.current = breakIt;
  const result = buildRepo(repoAt(repo, "."), { out });
  const nc5001 = result.compiled.diagnostics.filter((d) => d.code === "NC5001");
  expect(result.outcome).toBe("invalid");
  expect(nc5001.length).toBeGreaterThan(0);
  for (const d of nc5001) {
    expect(d.file).toMatch(broken);
    expect(d.message).toMatch(detail);
  }
  expect(readTree(out)).toEqual(before);
  expect(readdirSync(repo).filter((name) => name.startsWith(".out"))).toEqual([]);
  // Every file broken is reported, each once.
  expect(nc5001.map((d) => d.file).sort()).toEqual([...breakage.broken].sort());
  return nc5001.length;
}

describe("a rendered file its reader refuses is never written", () => {
  it("netplan YAML that does not parse", () => {
    expectRefused(
      CALICO,
      replace(
        (f) => f.path.endsWith("/netplan/60-netcompile.yaml"),
        (c) => `${c}      routes: [\n`,
      ),
      /\/netplan\/60-netcompile\.yaml$/,
      /./,
    );
  });

  it("netplan YAML that is not one netplan version 2 document", () => {
    expectRefused(
      CALICO,
      replace(
        (f) => f.path.endsWith("/netplan/60-netcompile.yaml"),
        (c) => c.replace("version: 2", "version: 3"),
      ),
      /\/netplan\/60-netcompile\.yaml$/,
      /netplan version 2/,
    );
  });

  it("an INI line that is not Key=Value, in a text every host shares: every host's copy is reported", () => {
    const shared = (f: RenderedFile) => f.path.endsWith("/05-netcompile-calico.network");
    const text = "[Match]\nName=cali*\nnot an assignment\n";
    const copies = expectRefused(
      CALICO,
      replace(shared, () => text),
      /\/05-netcompile-calico\.network$/,
      /line 3 is not Key=Value/,
    );
    expect(copies).toBeGreaterThan(1);
  });

  it("a static-mode peer list, shared between hosts, with one broken entry", () => {
    let changed = 0;
    expectRefused(
      STATIC,
      (files) =>
        files.map((f) => {
          const pieces = piecesOf(f);
          if (!pieces || !f.path.endsWith(".yaml")) return f;
          // Item 0 is a host of the subnet: in its own file it is left out, so not broken.
          if (pieces.some((p) => typeof p !== "string" && p.ranges.some(([a]) => a === 0)))
            breakage.broken.add(f.path);
          changed++;
          const broken = pieces.map((p) =>
            typeof p === "string"
              ? p
              : {
                  ...p,
                  source: new SharedText(
                    p.source.texts.map((t, i) => (i === 0 ? `${t}  - [\n` : t)),
                  ),
                },
          );
          return fileFromPieces(f.path, broken);
        }),
      /\/netplan\/60-netcompile\.yaml$/,
      /./,
    );
    expect(changed).toBeGreaterThan(0);
  });
});
