/**
 * netcompile's SARIF as GitHub code scanning reads it, for the CLI (URIs from the repository
 * root) and the Action (from the workspace): every rule and NC code with a full description and
 * help, files located only where they exist, related locations linked from the message.
 * Checked twice: by codeScanningProblems (test/sarif-schema.ts: what GitHub's "SARIF support for
 * code scanning" asks), always; and by Microsoft's SARIF multitool (`validate --rule-kind Gh`,
 * then its SARIF rules), a devDependency, when its self-contained binary runs here — skipped
 * with the reason otherwise.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog } from "../src/diagnostics/catalog.js";
import { formatSarif } from "../src/diagnostics/format-sarif.js";
import type { Diagnostic } from "../src/diagnostics/types.js";
import { ruleDescriptors } from "../src/policy/descriptors.js";
import { rules } from "../src/policy/rules/index.js";
import { formatDiagnostics } from "../src/diagnostics/output.js";
import { planRepo, repoAt, reportOptions } from "../src/usecases/index.js";
import { REPOSITORY_URL, VERSION } from "../src/version.js";
import { codeScanningProblems, expectCodeScanningSarif, type Log } from "./sarif-schema.js";
import { cli, minimalRepo, parseJson, testdir } from "./support.js";

/** The one run of a SARIF log netcompile wrote (a test fails when there is none). */
function runOf(text: string): Log["runs"][number] {
  const [run] = parseJson<Log>(text).runs;
  if (!run) throw new Error("the SARIF log has no run");
  return run;
}

const root = join(import.meta.dirname, "..");
const casesDir = join(root, "fixtures", "cases");
const work = mkdtempSync(join(tmpdir(), "netcompile-sarif-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every SARIF file the tests below make, by name: all are also given to the multitool. */
const made = new Map<string, string>();
function keep(name: string, sarif: string): string {
  made.set(name, sarif);
  return sarif;
}

/** One finding per built-in rule and NC code: their descriptors in one log. */
function everyCode(): string {
  const codes = [...rules.map((r) => r.id), ...Object.keys(catalog)];
  const at = (code: string, i: number): Diagnostic => ({
    code,
    severity: "error",
    message: `finding ${i}`,
    file: "pools.yaml",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 2,
    related: [],
  });
  return formatSarif(codes.map(at), {
    toolVersion: VERSION,
    informationUri: REPOSITORY_URL,
    rules: ruleDescriptors(undefined, codes),
    pathPrefix: ".",
  });
}

describe("SARIF for code scanning", () => {
  it("every built-in rule and NC code has a full description, help and a link", () => {
    expectCodeScanningSarif(keep("every-code", everyCode()));
    const run = runOf(made.get("every-code") ?? "");
    expect(run.tool.driver.rules).toHaveLength(rules.length + Object.keys(catalog).length);
  });

  it("validate --format sarif: findings, a waived one, related locations", async () => {
    const caseDir = join(casesDir, "rules-several-findings");
    const r = await cli(["validate", "--repo", "input", "--format", "sarif"], caseDir);
    expectCodeScanningSarif(keep("several-findings", r.stdout));
  });

  it("validate --format sarif on a repository outside the working directory", async () => {
    const repo = testdir({ ...minimalRepo, "pools.yaml": "apiVersion: [\n" });
    const elsewhere = testdir({});
    try {
      const r = await cli(["validate", "--repo", repo, "--format", "sarif"], elsewhere);
      expectCodeScanningSarif(keep("outside", r.stdout));
      const run = runOf(r.stdout);
      expect(run.results[0]?.locations?.[0]?.physicalLocation?.artifactLocation).toEqual({
        uri: "pools.yaml",
        uriBaseId: "REPOROOT",
      });
      expect(run.originalUriBaseIds?.REPOROOT?.uri).toBe(`file://${repo}/`);
    } finally {
      rmSync(repo, { recursive: true, force: true });
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it("the Action's SARIF: URIs from the workspace, a missing output file located on none", async () => {
    const workspace = join(work, "workspace");
    const repoDir = join(workspace, "clusters", "prod");
    mkdirSync(repoDir, { recursive: true });
    for (const [path, content] of Object.entries(minimalRepo))
      writeFileSync(join(repoDir, path), content);
    expect((await cli(["build", "--repo", "clusters/prod"], workspace)).code).toBe(0);
    rmSync(join(repoDir, "rendered", "manifests", "ippools.yaml"));
    writeFileSync(
      join(repoDir, "pools.yaml"),
      `${minimalRepo["pools.yaml"]}  nodeSelector: role == "db"\n`,
    );
    // As the Action does it (src/action/main.ts): the same use case and report options.
    const result = planRepo(repoAt(workspace, "clusters/prod"), {
      base: undefined,
      checkOutput: true,
    });
    const sarif = formatDiagnostics(
      "sarif",
      result.diagnostics,
      reportOptions(result.current, {
        pathPrefix: "clusters/prod",
        repoDir,
        sarifBase: "working-directory",
      }),
    );
    expectCodeScanningSarif(keep("action", sarif));
    const { results } = runOf(sarif);
    const uris = results.map((x) => x.locations?.[0]?.physicalLocation?.artifactLocation.uri);
    expect(uris).toContain("clusters/prod/pools.yaml");
    const missing = results.find((x) => x.message.text.includes("ippools.yaml is missing"));
    expect(missing?.locations).toEqual([
      { logicalLocations: [{ fullyQualifiedName: "repository", kind: "module" }] },
    ]);
  });

  it("the structural check notices what code scanning would reject", () => {
    const broken = parseJson<Log>(made.get("several-findings") ?? everyCode());
    const run = broken.runs[0];
    const rule = run?.tool.driver.rules[0];
    const result = run?.results[0];
    if (!rule || !result) throw new Error("the log has no rule or no result");
    delete rule.fullDescription;
    result.locations = [];
    result.partialFingerprints = {};
    expect(codeScanningProblems(JSON.stringify(broken))).toEqual(
      expect.arrayContaining([
        `rule ${rule.id}: no fullDescription`,
        `result 0 (${result.ruleId}): not one location`,
        `result 0 (${result.ruleId}): no primaryLocationLineHash`,
      ]),
    );
  });
});

/** The multitool's binary, or why it cannot run here. */
function multitool(): { path: string } | { missing: string } {
  let path: string;
  try {
    path = createRequire(import.meta.url)("@microsoft/sarif-multitool") as string;
  } catch (error) {
    return { missing: `@microsoft/sarif-multitool is not installed (${String(error)})` };
  }
  const probe = spawnSync(path, ["--version"], { encoding: "utf8", env: MULTITOOL_ENV });
  if (probe.status !== 0) {
    const why = (probe.error?.message ?? probe.stderr ?? "").split("\n")[0];
    return { missing: `the SARIF multitool does not run here: ${why}` };
  }
  return { path };
}

// The self-contained .NET binary needs ICU unless told to work without it (a CI image may lack it).
const MULTITOOL_ENV = { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1" };

describe("Microsoft's SARIF multitool", () => {
  const tool = multitool();
  let dir = "";
  beforeAll(() => {
    dir = join(work, "multitool");
    mkdirSync(dir, { recursive: true });
  });

  it.for(["Gh", "Sarif"])("finds no error or warning with --rule-kind %s", (kind, ctx) => {
    if ("missing" in tool) return ctx.skip(tool.missing);
    if (!made.has("every-code")) keep("every-code", everyCode());
    const files = [...made].map(([name, sarif]) => {
      const file = join(dir, `${name}.sarif`);
      writeFileSync(file, sarif);
      return file;
    });
    const output = join(dir, `${kind}.out.sarif`);
    const run = spawnSync(
      tool.path,
      ["validate", ...files, "--output", output, "--rule-kind", kind],
      { encoding: "utf8", env: MULTITOOL_ENV },
    );
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const findings = (
      parseJson<{
        runs: {
          results: {
            ruleId: string;
            level?: string;
            message: { text?: string; arguments?: string[] };
            locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
          }[];
        }[];
      }>(readFileSync(output, "utf8")).runs[0]?.results ?? []
    )
      .filter((r) => r.level === "error" || r.level === "warning" || r.level === undefined)
      .map(
        (r) =>
          `${r.ruleId} ${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ""}: ${r.message.arguments?.join(" | ") ?? r.message.text}`,
      );
    expect(findings).toEqual([]);
    // The multitool read every file given to it.
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
});
