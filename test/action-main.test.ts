/**
 * src/action/main.ts in-process, with a typed fake of @actions/core (as
 * actions/typescript-action's __fixtures__/core.ts): inputs in, annotations, outputs, summary
 * and failure out. The bundle itself is run as a runner runs it in test/action.test.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { planAnnotations } from "../src/action/annotations.js";
import { run } from "../src/action/main.js";
import { renderSummary, type SummaryInput } from "../src/action/summary.js";
import { markdownText } from "../src/util/markdown.js";
import type { Diagnostic } from "../src/diagnostics/types.js";
import { hostRepo, minimalRepo, parseJson, removeDir, testdir, type PlanJson } from "./support.js";
import { fakeCore, runnerEnv as makeRunnerEnv } from "./action-support.js";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";

interface SarifLog {
  runs: { results: Record<string, unknown>[] }[];
}

/** The official SARIF 2.1.0 schema (draft-04), as shipped by @microsoft/jest-sarif. */
const validateSarif = (() => {
  const schema = JSON.parse(
    readFileSync(
      join(
        import.meta.dirname,
        "..",
        "node_modules",
        "@microsoft",
        "jest-sarif",
        "lib",
        "schemas",
        "sarif-2.1.0-rtm.5.json",
      ),
      "utf8",
    ),
  ) as object;
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
})();

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
function repo(files: Record<string, string> = {}): string {
  const dir = testdir({ ...hostRepo, ...files });
  dirs.push(dir);
  return dir;
}

/** A runner environment (support's), its temp folder removed after each test. */
function runnerEnv(workspace: string, extra: Record<string, string> = {}) {
  const proc = makeRunnerEnv(workspace, extra);
  dirs.push(proc.env.RUNNER_TEMP);
  return proc;
}

/** `count` pools that each set both encapsulations: one pool-encapsulation-exclusive each. */
function mixedPools(count: number): string {
  return Array.from(
    { length: count },
    (_, i) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-${i + 1}
spec:
  cidr: 10.${100 + i}.0.0/16
  ipipMode: Always
  vxlanMode: Always
`,
  ).join("---\n");
}

describe("run() fails the step on anything thrown", () => {
  it.each([
    ["an Error", new Error("disk on fire"), "netcompile: internal error: disk on fire"],
    ["a string", "just a string", "netcompile: internal error: just a string"],
    ["undefined", undefined, "netcompile: internal error: undefined"],
    ["an object", { code: 42 }, 'netcompile: internal error: {"code":42}'],
  ])("%s", async (_what, thrown, message) => {
    const core = fakeCore();
    core.getInput = () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the Action must report whatever is thrown, Error or not
      throw thrown;
    };
    await run(core, runnerEnv(repo()));
    expect(core.failed).toEqual([message]);
  });

  it("a mistake in the inputs fails with the input named, not as an internal error", async () => {
    const core = fakeCore({ "fail-on": "info" });
    await run(core, runnerEnv(repo()));
    expect(core.failed).toEqual([
      'netcompile: input "fail-on" must be "error" or "warning", not "info"',
    ]);
  });

  it("check-output takes true or false only", async () => {
    const core = fakeCore({ "check-output": "yes" });
    await run(core, runnerEnv(repo()));
    expect(core.failed).toEqual([
      'netcompile: input "check-output" must be "true" or "false", not "yes"',
    ]);
  });

  it("a repository that is not there fails naming it", async () => {
    const core = fakeCore({ repository: "clusters/nowhere" });
    await run(core, runnerEnv(repo()));
    expect(core.failed[0]).toMatch(/input "repository": .*clusters\/nowhere is not a folder/);
  });

  it("a folder without netcompile.yaml fails naming it, not as a finding in a file that is not there", async () => {
    const workspace = repo();
    mkdirSync(join(workspace, "docs"));
    const core = fakeCore({ repository: "docs" });
    await run(core, runnerEnv(workspace));
    expect(core.failed).toEqual([
      expect.stringMatching(/^netcompile: input "repository": .*\/docs: no netcompile\.yaml in it/),
    ]);
    expect(core.annotations).toEqual([]);
  });
});

describe("run() without a base (not a pull request)", () => {
  it("validates only, says why there is no plan, and passes a valid repository", async () => {
    const core = fakeCore();
    await run(core, runnerEnv(repo()));
    expect(core.failed).toEqual([]);
    expect(core.annotations).toEqual([]);
    expect(core.outputs).toMatchObject({ errors: 0, warnings: 0, changes: 0, disruptive: 0 });
    expect(core.summaryText.join("")).toContain("No base to compare with (event push");
  });

  it("emits at most 10 error annotations, the most severe first, and counts the rest", async () => {
    const core = fakeCore();
    await run(core, runnerEnv(repo({ "pools.yaml": mixedPools(12) })));
    const errors = core.annotations.filter((a) => a.level === "error");
    expect(errors).toHaveLength(10);
    expect(errors[0]!.properties).toMatchObject({
      file: "pools.yaml",
      title: expect.any(String) as unknown,
    });
    expect(core.outputs.errors).toBe(12);
    const summary = core.summaryText.join("");
    expect(summary).toContain(
      "at most 10 annotations of each level on the files: 2 more errors are not annotated;",
    );
    expect(summary.match(/<tr><td>❌ error/g)).toHaveLength(12);
    expect(core.failed).toEqual([
      "netcompile: 12 errors — see the annotations and the job summary",
    ]);
  });

  it("paths in annotations are relative to the workspace, not the repository", async () => {
    const workspace = testdir(
      Object.fromEntries(
        Object.entries({ ...hostRepo, "pools.yaml": mixedPools(1) }).map(([p, c]) => [
          `net/prod/${p}`,
          c,
        ]),
      ),
    );
    dirs.push(workspace);
    const core = fakeCore({ repository: "net/prod" });
    await run(core, runnerEnv(workspace));
    expect(core.annotations[0]!.properties?.file).toBe("net/prod/pools.yaml");
    const sarif = JSON.parse(readFileSync(String(core.outputs.sarif), "utf8")) as SarifLog;
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(sarif.runs[0]!.results[0]).toMatchObject({
      ruleId: "pool-encapsulation-exclusive",
      level: "error",
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "net/prod/pools.yaml", uriBaseId: "%SRCROOT%" },
            region: { startLine: 8 },
          },
        },
      ],
    });
  });

  it("fail-on warning fails on a warning; fail-on error does not", async () => {
    const warningOnly = {
      "pools.yaml": `${hostRepo["pools.yaml"]}---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-unused
spec:
  cidr: 172.16.0.0/16
  vxlanMode: CrossSubnet
  nodeSelector: rack == "nowhere"
`,
    };
    const lenient = fakeCore({ "fail-on": "error" });
    await run(lenient, runnerEnv(repo(warningOnly)));
    expect(lenient.outputs).toMatchObject({ errors: 0, warnings: 1 });
    expect(lenient.failed).toEqual([]);
    expect(lenient.annotations.map((a) => a.level)).toEqual(["warning"]);

    const strict = fakeCore({ "fail-on": "warning" });
    await run(strict, runnerEnv(repo(warningOnly)));
    expect(strict.failed).toEqual([
      "netcompile: 1 warning (fail-on: warning) — see the annotations and the job summary",
    ]);
  });

  it("prints the findings to the log between stop-commands markers", async () => {
    const core = fakeCore();
    await run(core, runnerEnv(repo({ "pools.yaml": mixedPools(1) })));
    const start = core.log.findIndex((l) => l.startsWith("::stop-commands::"));
    expect(start).toBeGreaterThanOrEqual(0);
    const token = core.log[start]!.slice("::stop-commands::".length);
    expect(core.log[start + 1]).toMatch(/pools\.yaml:\d+:\d+: error pool-encapsulation-exclusive/);
    expect(core.log[start + 2]).toBe(`::${token}::`);
  });

  it("writes no summary when the runner gives no GITHUB_STEP_SUMMARY", async () => {
    const core = fakeCore();
    const proc = runnerEnv(repo());
    delete (proc.env as Record<string, string | undefined>).GITHUB_STEP_SUMMARY;
    await run(core, proc);
    expect(core.summaryText).toEqual([]);
    expect(core.failed).toEqual([]);
  });
});

describe("run() with a base", () => {
  function gitCheckout(files: Record<string, string>): string {
    const dir = repo(files);
    for (const args of [
      ["init", "-q", "-b", "main"],
      ["add", "-A"],
      [
        "-c",
        "user.email=t@example.com",
        "-c",
        "user.name=t",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "x",
      ],
    ]) {
      const r = spawnSync("git", args, { cwd: dir, encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
    }
    return dir;
  }

  it("a base missing from the checkout fails the step and says how to fetch it", async () => {
    const core = fakeCore({ base: "0123456789abcdef0123456789abcdef01234567" });
    await run(core, runnerEnv(gitCheckout({})));
    expect(core.failed).toHaveLength(1);
    expect(core.failed[0]).toMatch(/cannot read the base 0123456789abcdef.*fetch-depth: 0/);
  });

  it("counts disruptive changes as the plan lists them: acknowledged never exceeds disruptive", async () => {
    const dir = gitCheckout({});
    const baseSha = spawnSync("git", ["rev-parse", "HEAD"], {
      cwd: dir,
      encoding: "utf8",
    }).stdout.trim();
    // IPIP CrossSubnet -> VXLAN CrossSubnet: the encapsulation, the derived backend and the
    // derived pod MTU change: three disruptions, carried by two rendered objects.
    writeFileSync(
      join(dir, "pools.yaml"),
      minimalRepo["pools.yaml"]!.replace("ipipMode", "vxlanMode"),
    );
    writeFileSync(
      join(dir, "netcompile.yaml"),
      `${minimalRepo["netcompile.yaml"]}  acknowledgements:
    - {resource: IPPool/pool-1, field: encapsulation, from: IPIPCrossSubnet, to: VXLANCrossSubnet, reason: window}
    - {resource: Cluster/test, field: networking.backend, from: bird, to: vxlan, reason: window}
    - {resource: Cluster/test, field: networking.podMTU, from: "1480", to: "1450", reason: window}
`,
    );
    const core = fakeCore({ base: baseSha });
    await run(core, runnerEnv(dir));
    expect(core.failed).toEqual([]);
    const plan = parseJson<PlanJson>(readFileSync(String(core.outputs["plan-json"]), "utf8"));
    expect(plan.disruptions).toHaveLength(3);
    expect(core.outputs).toMatchObject({ disruptive: 3, acknowledged: 3 });
  });

  it("a change that fixes a broken base passes, with a warning that no plan was made", async () => {
    const dir = gitCheckout({ "pools.yaml": "apiVersion: [unclosed\n" });
    const baseSha = spawnSync("git", ["rev-parse", "HEAD"], {
      cwd: dir,
      encoding: "utf8",
    }).stdout.trim();
    writeFileSync(join(dir, "pools.yaml"), hostRepo["pools.yaml"]!);
    const core = fakeCore({ base: baseSha });
    await run(core, runnerEnv(dir));
    expect(core.failed).toEqual([]);
    expect(core.annotations).toEqual([
      {
        level: "warning",
        message: expect.stringMatching(
          /^The base [0-9a-f]+ does not load .*disruptive changes were not checked/,
        ) as unknown,
        properties: { title: "netcompile: no plan" },
      },
    ]);
    expect(core.outputs.base).toBe("");
  });

  it("a pull_request event without a base sha is a mistake, not a silent skip", async () => {
    const dir = gitCheckout({});
    const event = join(dir, "..", `${dir.split("/").at(-1)}-event.json`);
    writeFileSync(event, JSON.stringify({ pull_request: { number: 1 } }));
    dirs.push(event);
    const core = fakeCore();
    await run(
      core,
      runnerEnv(dir, { GITHUB_EVENT_NAME: "pull_request", GITHUB_EVENT_PATH: event }),
    );
    expect(core.failed[0]).toMatch(/has no pull_request\.base\.sha; set the "base" input/);
  });
});

describe("annotations", () => {
  const d = (severity: Diagnostic["severity"], line: number, extra: Partial<Diagnostic> = {}) => ({
    code: `code-${severity}`,
    severity,
    message: `${severity} at ${line}`,
    file: "pools.yaml",
    line,
    column: 3,
    endLine: line,
    endColumn: 9,
    related: [],
    ...extra,
  });

  it("errors first, then warnings, then notices (infos and waived findings)", () => {
    const plan = planAnnotations(
      [
        d("info", 1),
        d("warning", 2),
        d("error", 9, { waived: { reason: "r", file: "a", line: 1, column: 1 } }),
        d("error", 4),
      ],
      "",
    );
    expect(plan.shown.map((a) => [a.level, a.properties.startLine])).toEqual([
      ["error", 4],
      ["warning", 2],
      ["notice", 1],
      ["notice", 9],
    ]);
  });

  it("sends columns only for a span on one line (GitHub refuses them otherwise)", () => {
    const [one, many] = planAnnotations([d("error", 2), d("error", 3, { endLine: 5 })], "x").shown;
    expect(one!.properties).toEqual({
      title: "code-error",
      file: "x/pools.yaml",
      startLine: 2,
      endLine: 2,
      startColumn: 3,
      endColumn: 9,
    });
    expect(many!.properties).toEqual({
      title: "code-error",
      file: "x/pools.yaml",
      startLine: 3,
      endLine: 5,
    });
  });
});

describe("the job summary", () => {
  const base: SummaryInput = {
    failed: false,
    verdict: ["0 errors"],
    repo: ".",
    diagnostics: [],
    notAnnotated: { error: 0, warning: 0, notice: 0 },
    planMarkdown: () => "plan",
    location: (x) => ({ text: `${x.file}:${x.line}`, href: undefined }),
  };

  it("escapes every value from the repository", () => {
    expect(markdownText(`<img src=x onerror=alert(1)> | \`code\` & "q"\nnext\rlast`)).toBe(
      "&#60;img src=x onerror=alert(1)&#62; &#124; &#96;code&#96; &#38; &#34;q&#34;<br>next<br>last",
    );
    const out = renderSummary({
      ...base,
      repo: "<b>repo</b>",
      diagnostics: [
        {
          code: "x",
          severity: "error",
          message: "<script>alert(1)</script>",
          file: "a|b.yaml",
          line: 1,
          column: 1,
          endLine: 1,
          endColumn: 2,
          related: [],
        },
      ],
    });
    expect(out).not.toContain("<script>");
    expect(out).not.toContain("<b>repo</b>");
    expect(out).toContain("<code>a&#124;b.yaml:1</code>");
  });

  it("stays under 1 MiB: the plan gets what the findings leave, and fills it at most", () => {
    const out = renderSummary({ ...base, planMarkdown: (limit) => "x".repeat(limit) });
    expect(Buffer.byteLength(out)).toBeLessThan(1024 * 1024);
    expect(Buffer.byteLength(out)).toBeGreaterThan(900 * 1024);
  });

  it("when the findings fill the summary, the plan is a pointer to the log and the JSON", () => {
    const out = renderSummary({ ...base, planMarkdown: (limit) => "x".repeat(limit) }, 5000);
    expect(Buffer.byteLength(out)).toBeLessThan(5000);
    expect(out).toContain("the plan is in the log of this step and in the plan JSON file");
  });

  it("says how many findings of each level were not annotated", () => {
    const d = {
      code: "x",
      severity: "error" as const,
      message: "m",
      file: "a.yaml",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      related: [],
    };
    const two = renderSummary({
      ...base,
      diagnostics: [d],
      notAnnotated: { error: 2, warning: 1, notice: 0 },
    });
    expect(two).toContain("2 more errors and 1 more warning are not annotated");
    const one = renderSummary({
      ...base,
      diagnostics: [d],
      notAnnotated: { error: 0, warning: 0, notice: 1 },
    });
    expect(one).toContain("1 more notice is not annotated");
  });

  it("lists at most 500 findings in the table, and says how many more", () => {
    const many = Array.from({ length: 600 }, (_, i) => ({
      code: "x",
      severity: "warning" as const,
      message: `m${i}`,
      file: "a.yaml",
      line: i + 1,
      column: 1,
      endLine: i + 1,
      endColumn: 2,
      related: [],
    }));
    const out = renderSummary({ ...base, diagnostics: many });
    expect(out.match(/<tr><td>/g)).toHaveLength(500);
    expect(out).toContain("100 more findings are not listed here");
  });
});

describe("run() with a live snapshot (the live input)", () => {
  const liveNode = (name: string, ipv4: string) =>
    `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  annotations:\n    projectcalico.org/IPv4Address: ${ipv4}\n    projectcalico.org/IPv4IPIPTunnelAddr: 192.168.${name.slice(-1)}.1\n`;
  /** A workspace holding the repository in repo/ and a snapshot in snapshot/. */
  const workspaceWith = (node1: string) => {
    const files: Record<string, string> = {
      "snapshot/node-1.yaml": liveNode("node-1", node1),
      "snapshot/node-2.yaml": liveNode("node-2", "10.0.2.10/24"),
    };
    for (const [path, content] of Object.entries(hostRepo)) files[`repo/${path}`] = content;
    const workspace = testdir(files);
    dirs.push(workspace);
    return workspace;
  };

  it("verifies the repository against it and passes when they agree", async () => {
    const core = fakeCore({ repository: "repo", live: "snapshot" });
    await run(core, runnerEnv(workspaceWith("10.0.1.10/24")));
    expect(core.failed).toEqual([]);
    expect(core.annotations).toEqual([]);
    expect(core.log).toContain("netcompile: live snapshot snapshot (2 files): read 2 Node");
  });

  it("annotates a live finding on the repository's line, with the snapshot's in the message, and fails", async () => {
    const core = fakeCore({ repository: "repo", live: "snapshot" });
    await run(core, runnerEnv(workspaceWith("10.0.1.10/16")));
    expect(core.failed).toEqual(["netcompile: 1 error — see the annotations and the job summary"]);
    expect(core.annotations).toHaveLength(1);
    const a = core.annotations[0]!;
    expect(a.level).toBe("error");
    expect(a.properties).toMatchObject({
      file: "repo/topology.yaml",
      startLine: 15, // hostRepo: two gateway lines above the nodes
      title: "live-prefix-wider (Node/node-1)",
    });
    expect(a.message).toContain(
      "snapshot/node-1.yaml:6:36: Node node-1: projectcalico.org/IPv4Address 10.0.1.10/16",
    );
    expect(core.outputs.errors).toBe(1);
    const sarif = JSON.parse(readFileSync(String(core.outputs.sarif), "utf8")) as SarifLog;
    expect(validateSarif(sarif), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(["live-prefix-wider"]);
    expect(JSON.stringify(sarif)).toContain('"uri":"snapshot/node-1.yaml"');
    expect(core.summaryText.join("")).toContain("live-prefix-wider");
  });

  it("a snapshot inside the repository is not read as the repository's own YAML", async () => {
    const workspace = repo({
      "live/node-1.yaml": liveNode("node-1", "10.0.1.10/24"),
      "live/node-2.yaml": liveNode("node-2", "10.0.2.10/24"),
    });
    const core = fakeCore({ live: "live" });
    await run(core, runnerEnv(workspace));
    expect(core.failed).toEqual([]);
    expect(core.log).toContain("netcompile: live snapshot live (2 files): read 2 Node");
  });

  it("a snapshot that is not there fails naming the input", async () => {
    const core = fakeCore({ live: "snapshot" });
    await run(core, runnerEnv(repo()));
    expect(core.failed[0]).toMatch(/^netcompile: input "live": .*snapshot does not exist/);
  });
});
