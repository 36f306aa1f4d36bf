/**
 * The dependency direction: front ends (src/cli, src/action) -> use cases (src/usecases) ->
 * the pipeline (src/pipeline.ts) -> stages. A stage never imports a use case or a front end,
 * and src/util imports nothing of netcompile. Tests (*.test.ts) may import anything.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const src = resolve(import.meta.dirname, "..", "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** Each file's imports of other src files, as src-relative paths without extension. */
const imports = new Map(
  sources(src).map((file) => {
    const text = readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
    const targets = specifiers
      .map((s) => relative(src, resolve(dirname(file), s)).replace(/\.js$/, ""))
      .filter((t) => !t.startsWith(".."));
    return [relative(src, file).replace(/\.ts$/, ""), targets] as const;
  }),
);

const layerOf = (path: string): string =>
  path === "pipeline" ? "pipeline" : path.includes("/") ? path.split("/")[0]! : path;
const FRONT_ENDS = ["cli", "action"];
const ABOVE_STAGES = ["usecases", ...FRONT_ENDS];

function offending(allowed: (from: string, to: string) => boolean): string[] {
  const out: string[] = [];
  for (const [from, targets] of imports)
    for (const to of targets) if (!allowed(from, to)) out.push(`${from} -> ${to}`);
  return out;
}

describe("the dependency direction", () => {
  it("reads the imports of every source file", () => {
    expect(imports.get("cli/commands/validate")).toContain("usecases/index");
  });

  it("a stage imports no use case, no front end, and not the pipeline", () => {
    const stage = (p: string) => ![...ABOVE_STAGES, "pipeline"].includes(layerOf(p));
    expect(
      offending(
        (from, to) =>
          !stage(from) ||
          (!ABOVE_STAGES.includes(layerOf(to)) &&
            // A rule tester (policy/tester, a plan-rule tester) compiles its cases as commands do.
            (layerOf(to) !== "pipeline" || /(^|\/|-)tester$/.test(from))),
      ),
    ).toEqual([]);
  });

  it("the use cases and the pipeline import no front end", () => {
    expect(
      offending(
        (from, to) =>
          !["usecases", "pipeline"].includes(layerOf(from)) || !FRONT_ENDS.includes(layerOf(to)),
      ),
    ).toEqual([]);
  });

  it("one front end does not import the other", () => {
    expect(
      offending(
        (from, to) =>
          !FRONT_ENDS.includes(layerOf(from)) ||
          !FRONT_ENDS.includes(layerOf(to)) ||
          layerOf(from) === layerOf(to),
      ),
    ).toEqual([]);
  });

  it("src/util imports nothing of netcompile but itself", () => {
    expect(offending((from, to) => layerOf(from) !== "util" || layerOf(to) === "util")).toEqual([]);
  });
});
