/**
 * Golden cases: fixtures/cases/<behaviour>/ holds `input/` (a repository) and `expected/`:
 *   expected/validate.txt   `netcompile validate` stdout, then a line `[exit N]`
 *   expected/build.txt      `netcompile build` stdout and stderr, then `[exit N]`
 *   expected/rendered/      the exact tree build writes (the set of files and their bytes);
 *                           absent when the build must fail, and then nothing may be written
 * Every case has a one-line README.md saying what it shows. Cases with `previous/` or `steps/`
 * are plan cases (see test/plan-cases.test.ts), cases with `live/` live cases
 * (test/live-cases.test.ts). Regenerate with `UPDATE_GOLDENS=1 npm test` and review
 * the diff like code.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, readTree, removeDir, testdir, updateGoldens } from "./support.js";
import { golden } from "./golden.js";

const casesDir = join(import.meta.dirname, "..", "fixtures", "cases");
const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter(
    (e) =>
      e.isDirectory() &&
      !existsSync(join(casesDir, e.name, "previous")) &&
      !existsSync(join(casesDir, e.name, "steps")) &&
      !existsSync(join(casesDir, e.name, "live")),
  )
  .map((e) => e.name)
  .sort();

describe.each(cases)("case %s", (name) => {
  const caseDir = join(casesDir, name);
  const expectedDir = join(caseDir, "expected");

  it("validates as the golden says", async () => {
    const result = await cli(["validate", "--repo", "input"], caseDir);
    golden(join(expectedDir, "validate.txt"), `${result.stdout}[exit ${result.code}]\n`);
  });

  it("builds exactly the golden tree, or writes nothing", async () => {
    // Build a copy so the fixture itself is never written to.
    const work = testdir({});
    try {
      cpSync(join(caseDir, "input"), join(work, "input"), { recursive: true });
      const result = await cli(["build", "--repo", "input", "--out", "out"], work);
      golden(
        join(expectedDir, "build.txt"),
        `${result.stdout}${result.stderr}[exit ${result.code}]\n`,
      );
      const tree = readTree(join(work, "out"));
      const renderedDir = join(expectedDir, "rendered");
      if (updateGoldens) {
        rmSync(renderedDir, { recursive: true, force: true });
        for (const [path, content] of Object.entries(tree)) {
          mkdirSync(join(renderedDir, path, ".."), { recursive: true });
          writeFileSync(join(renderedDir, path), content);
        }
        return;
      }
      if (result.code === 0) expect(tree).toEqual(readTree(renderedDir));
      else {
        expect(tree, "a failed build writes nothing").toEqual({});
        expect(existsSync(renderedDir), "a failing case has no expected/rendered/").toBe(false);
      }
    } finally {
      removeDir(work);
    }
  });
});

describe("every golden case says what it shows", () => {
  const all = readdirSync(casesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  it.each(all)("%s/README.md is one line", (name) => {
    const note = join(casesDir, name, "README.md");
    expect(existsSync(note), `${name} has no README.md saying what the case shows`).toBe(true);
    const lines = readFileSync(note, "utf8").split("\n");
    expect(lines.length === 2 && lines[1] === "" && lines[0]!.trim().length > 10, note).toBe(true);
  });
});
