/**
 * Golden live cases: fixtures/cases/live-<behaviour>/ holds `input/` (a repository), `live/` (a
 * snapshot of the cluster, as kubectl and calicoctl print it) and `expected/`:
 *   expected/verify.txt   `netcompile verify --repo input --live live` stdout and stderr, then `[exit N]`
 *   expected/verify.json, .sarif, .github   the same in the other formats (live-prefix-wider)
 *   expected/plan.txt     `netcompile plan --live live` (live-pool-drift-unmanaged)
 * Each disagreement verify finds has its case; live-malformed-snapshot shows a broken snapshot.
 * Regenerate with `UPDATE_GOLDENS=1 npx vitest run test/live-cases.test.ts` and review the diff.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { golden } from "./golden.js";
import { expectValidSarif } from "./sarif-schema.js";
import { cli } from "./support.js";

const casesDir = join(import.meta.dirname, "..", "fixtures", "cases");
const cases = readdirSync(casesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(casesDir, e.name, "live")))
  .map((e) => e.name)
  .sort();

const verify = (caseDir: string, ...extra: string[]) =>
  cli(["verify", "--repo", "input", "--live", "live", ...extra], caseDir);

describe.each(cases)("live case %s", (name) => {
  const caseDir = join(casesDir, name);
  it("verifies as the golden says", async () => {
    const r = await verify(caseDir);
    golden(
      join(caseDir, "expected", "verify.txt"),
      `${r.stdout}--- stderr\n${r.stderr}[exit ${r.code}]\n`,
    );
  });
});

describe("one live finding in every diagnostics format", () => {
  const caseDir = join(casesDir, "live-prefix-wider");
  it.each([
    ["json", "verify.json"],
    ["sarif", "verify.sarif"],
    ["github", "verify.github"],
  ])("%s matches its golden", async (format, file) => {
    const r = await verify(caseDir, "--format", format);
    expect(r.code).toBe(1);
    golden(join(caseDir, "expected", file), r.stdout);
    if (format === "sarif") expectValidSarif(r.stdout);
  });

  it("json: the finding on the repository's line, the live object in related", async () => {
    const { stdout } = await verify(caseDir, "--format", "json");
    const body = JSON.parse(stdout) as {
      diagnostics: {
        code: string;
        file: string;
        line: number;
        related: { file: string; line: number }[];
      }[];
    };
    expect(
      body.diagnostics.map((d) => [
        d.code,
        d.file,
        d.line,
        d.related.map((r) => `${r.file}:${r.line}`),
      ]),
    ).toEqual([["live-prefix-wider", "input/topology.yaml", 18, ["live/nodes.json:334"]]]);
  });
});

describe("plan --live", () => {
  it("plans the repository against the running pools", async () => {
    const caseDir = join(casesDir, "live-pool-drift-unmanaged");
    const r = await cli(["plan", "--repo", "input", "--live", "live"], caseDir);
    golden(
      join(caseDir, "expected", "plan.txt"),
      `${r.stdout}--- stderr\n${r.stderr}[exit ${r.code}]\n`,
    );
  });
});
