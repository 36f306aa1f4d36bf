/**
 * One repository with several findings, one of them waived
 * (fixtures/cases/rules-several-findings), in every format: text is checked by
 * cases.test.ts (expected/validate.txt); here json, sarif and github, each against its
 * golden file, and the SARIF against the official schema. Regenerate with
 * `UPDATE_GOLDENS=1 npx vitest run test/rules-formats.test.ts` and review the diff.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectCodeScanningSarif } from "./sarif-schema.js";
import { cli, parseJson, type DiagnosticsJson } from "./support.js";
import { golden } from "./golden.js";

const caseDir = join(import.meta.dirname, "..", "fixtures", "cases", "rules-several-findings");

interface SarifPhysical {
  artifactLocation: { uri: string; uriBaseId?: string };
  region: { startLine: number };
}
interface SarifLog {
  runs: {
    originalUriBaseIds?: Record<string, { uri?: string; uriBaseId?: string }>;
    results: {
      locations: { physicalLocation: SarifPhysical }[];
      relatedLocations?: { physicalLocation: SarifPhysical }[];
    }[];
  }[];
}

const goldenAt = (name: string, actual: string): void =>
  golden(join(caseDir, "expected", name), actual);

describe("validate --format, on a repository with several findings, one waived", () => {
  it.each([
    ["json", "validate.json"],
    ["sarif", "validate.sarif"],
    ["github", "validate.github"],
  ])("%s matches its golden", async (format, file) => {
    const result = await cli(["validate", "--repo", "input", "--format", format], caseDir);
    expect(result.stderr).toBe("");
    goldenAt(file, `${result.stdout}`);
    expect(result.code).toBe(1);
    if (format === "sarif") expectCodeScanningSarif(result.stdout);
  });

  it("json counts the waived finding in the summary and marks it", async () => {
    const { stdout } = await cli(["validate", "--repo", "input", "--format", "json"], caseDir);
    const body = JSON.parse(stdout) as {
      diagnostics: { code: string; severity: string; waived: { reason: string } | null }[];
      summary: Record<string, number>;
    };
    expect(body.summary).toEqual({ errors: 2, warnings: 1, infos: 3, waived: 1 });
    const waived = body.diagnostics.filter((d) => d.waived);
    expect(waived.map((d) => [d.code, d.severity, d.waived!.reason])).toEqual([
      ["aws-src-dst-check", "warning", "the launch template disables the check (INFRA-77)"],
    ]);
  });
});

describe("every format names a file the same way", () => {
  /** Each format's "file:line" of every finding (and related location), in output order. */
  async function places(format: string, args: readonly string[], cwd: string): Promise<string[]> {
    const { stdout } = await cli(["validate", ...args, "--format", format], cwd);
    if (format === "json") {
      const body = JSON.parse(stdout) as {
        diagnostics: { file: string; line: number; related: { file: string; line: number }[] }[];
      };
      return body.diagnostics.flatMap((d) => [
        `${d.file}:${d.line}`,
        ...d.related.map((r) => `${r.file}:${r.line}`),
      ]);
    }
    if (format === "github") {
      return stdout
        .split("\n")
        .filter((l) => l.startsWith("::"))
        .flatMap((l) => {
          const [, file, line] = /file=([^,]+),line=(\d+)/.exec(l)!;
          const notes = [...l.matchAll(/%0A([^%]+?):(\d+):\d+: note:/g)].map(
            ([, f, n]) => `${f}:${n}`,
          );
          return [`${file}:${line}`, ...notes];
        });
    }
    const log = JSON.parse(stdout) as SarifLog;
    const run = log.runs[0]!;
    const resolve = (loc: SarifPhysical) => {
      const base = run.originalUriBaseIds?.[loc.artifactLocation.uriBaseId ?? ""];
      const prefix = base?.uri && base.uriBaseId === "%SRCROOT%" ? base.uri : "";
      return `${decodeURI(`${prefix}${loc.artifactLocation.uri}`).replace(/^\.\//, "")}:${loc.region.startLine}`;
    };
    return run.results.flatMap((r) => [
      resolve(r.locations[0]!.physicalLocation),
      ...(r.relatedLocations ?? []).map((l) => resolve(l.physicalLocation)),
    ]);
  }

  it.each([
    ["a folder below the working directory", ["--repo", "input"], "input/"],
    ["the working directory", [], ""],
  ])("the repository as %s", async (_, args, prefix) => {
    const cwd = args.length ? caseDir : join(caseDir, "input");
    const text = await places("github", args, cwd);
    expect(text[0]).toBe(`${prefix}netcompile.yaml:9`);
    expect(await places("json", args, cwd)).toEqual(text);
    expect(await places("sarif", args, cwd)).toEqual(text);
  });
});

describe("validate --fail-on", () => {
  const fixture = (name: string) => join(import.meta.dirname, "..", "fixtures", "cases", name);

  it("fails on errors by default, and on warnings when asked", async () => {
    // ipip-always has one info; rules-several-findings has errors.
    expect((await cli(["validate", "--repo", "input"], fixture("ipip-always"))).code).toBe(0);
    expect(
      (await cli(["validate", "--repo", "input", "--fail-on", "warning"], fixture("ipip-always")))
        .code,
    ).toBe(0);
    expect((await cli(["validate", "--repo", "input", "--fail-on", "error"], caseDir)).code).toBe(
      1,
    );
  });

  it("counts unwaived warnings with --fail-on warning, never waived ones", async () => {
    const dir = fixture("rules-several-findings");
    const { stdout } = await cli(
      ["validate", "--repo", "input", "--format", "json", "--fail-on", "warning"],
      dir,
    );
    expect(parseJson<DiagnosticsJson>(stdout).summary.warnings).toBe(1);
  });

  it("refuses another value", async () => {
    const result = await cli(["validate", "--fail-on", "info"], caseDir);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("Allowed choices are error, warning");
  });
});
