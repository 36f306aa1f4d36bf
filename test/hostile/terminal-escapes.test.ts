/**
 * Terminal escapes from the repository (issue 18, item 14): names, values and file names that
 * hold newlines, ESC sequences (OSC 52 writes the clipboard, CSI moves the cursor or hides
 * text), C1 controls or bidi overrides reach every human format — text diagnostics, the plan,
 * explain, build --check, GitHub workflow commands, the Action's log — escaped, so a
 * repository can neither forge a `file:line: error` line nor drive the reader's terminal.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as actionsCore from "@actions/core";
import { afterEach, describe, expect, it } from "vitest";
import type { ActionCore } from "../../src/action/core.js";
import { run as runAction } from "../../src/action/main.js";
import { escapeData, escapeProperty, formatGithub } from "../../src/diagnostics/format-github.js";
import { formatText, sourceLinesFrom } from "../../src/diagnostics/format-text.js";
import type { Diagnostic } from "../../src/diagnostics/types.js";
import pc from "picocolors";
import { cli } from "../support.js";
import {
  FORGED_LINE,
  HOSTILE,
  forgedLines,
  rawControl,
  repositories,
  yamlEscaped,
} from "./support.js";

const repos = repositories();
afterEach(() => repos.cleanup());

/** A pool whose name is hostile: pool-name-invalid reports it, quoting the name. */
const hostilePool = (extra = "") => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: ${yamlEscaped(HOSTILE)}
  labels:
    team: ${yamlEscaped(HOSTILE)}
spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
  natOutgoing: true
${extra}`;

/** A file whose name holds a newline, OSC 52 and a forged diagnostic, and a YAML error. */
const HOSTILE_FILE = `bad\x1b]52;c;SGk=\x07\n${FORGED_LINE}\u202e.yaml`;

function expectInert(output: string): void {
  expect(rawControl(output), output).toBeUndefined();
  expect(forgedLines(output)).toEqual([]);
}

describe("text diagnostics", () => {
  it("escapes control characters in messages, file names and source lines", async () => {
    const values = repos.make({ "pools.yaml": hostilePool() });
    const names = repos.make({ [HOSTILE_FILE]: `key: [unclosed ${yamlEscaped(HOSTILE)}\n` });
    const r = await cli(["validate", "--repo", values], values);
    const n = await cli(["validate", "--repo", names], names);
    expect([r.code, n.code]).toEqual([1, 1]);
    expect(r.stdout).toContain("pool-name-invalid");
    expect(n.stdout).toContain("NC1001");
    for (const out of [r.stdout, n.stdout]) {
      expectInert(out);
      // The escapes are visible: a reader sees what the value holds.
      expect(out).toContain("\\x1B]52;c;");
      expect(out).toContain("\\n");
      expect(out).toContain("\\u{202E}");
    }
  });

  it("escapes them in the log of build, render and plan (stderr)", async () => {
    const dir = repos.make({ "pools.yaml": hostilePool() });
    for (const args of [["build"], ["render"], ["plan"]]) {
      const r = await cli([...args, "--repo", dir], dir);
      expect(r.code, args[0]).toBe(1);
      expect(r.stderr + r.stdout, args[0]).toContain("pool-name-invalid");
      expectInert(r.stdout);
      expectInert(r.stderr);
    }
  });

  it("escapes a raw source line (the excerpt) and keeps the caret under the span", () => {
    const text = `name: "\x1b]52;c;SGk=\x07" bad\n`;
    const d: Diagnostic = {
      code: "NC0001",
      severity: "error",
      message: "m",
      file: "f.yaml",
      line: 1,
      column: 22,
      endLine: 1,
      endColumn: 25,
      related: [],
    };
    const out = formatText(
      [d],
      sourceLinesFrom(new Map([["f.yaml", { text }]])),
      pc.createColors(false),
    );
    expectInert(out);
    const [, source, caret] = out.split("\n");
    expect(source).toBe('1 | name: "\\x1B]52;c;SGk=\\x07" bad');
    // The caret sits under "bad" in the escaped line as printed.
    expect(caret!.indexOf("^")).toBe(source!.indexOf("bad"));
    expect(caret).toMatch(/^ {2}\| +\^{3}$/);
  });

  it("caps the echoed source line: a window of at most 160 characters around the span", async () => {
    const long = `${"a".repeat(500_000)}: [unclosed\n`;
    const dir = repos.make({ "long.yaml": long });
    const r = await cli(["validate", "--repo", dir], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(240);
    expect(r.stdout.length).toBeLessThan(2_000);
  });
});

describe("plan, explain and build --check", () => {
  it("plan text escapes object names, values, paths and diff lines from the base tree", async () => {
    // Calico rejects the hostile name and label (no spec.rules lowers that), so the pool that
    // carries them is the base's: a rendered tree is read as it is.
    const dir = repos.make({});
    const against = repos.make(
      {
        "netcompile.lock.json": "{}\n",
        "manifests/ippools.yaml": hostilePool(),
        [`notes/${HOSTILE_FILE}`]: `line one\n${FORGED_LINE}\r\x1b]52;c;SGk=\x07\n`,
      },
      {},
    );
    const r = await cli(["plan", "--repo", dir, "--against", against], dir);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("IPPool");
    // The pool's name, the base's file name and its content, all shown escaped.
    expect(r.stdout).toContain("IPPool x\\nnetcompile.yaml");
    expect(r.stdout).toContain("- notes/bad\\x1B]52;c;SGk=\\x07\\nnetcompile.yaml:1:1");
    expect(r.stdout).toContain("forged\\r\\x1B]52");
    expectInert(r.stdout);
  });

  it("explain escapes subnet names", async () => {
    const dir = repos.make({
      "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: ${yamlEscaped(HOSTILE)}
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: node-2
      address: 10.0.2.10
`,
    });
    const r = await cli(["explain", "--repo", dir, "node-1", "node-2"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("\\x1B]52");
    expectInert(r.stdout);
  });

  it("build --check escapes the names of stale files found in the committed tree", async () => {
    const dir = repos.make({});
    const built = await cli(["build", "--repo", dir], dir);
    expect(built.code).toBe(0);
    mkdirSync(join(dir, "rendered", "manifests"), { recursive: true });
    writeFileSync(join(dir, "rendered", "manifests", HOSTILE_FILE.replace(".yaml", ".txt")), "x");
    const r = await cli(["build", "--check", "--repo", dir], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("stale");
    expectInert(r.stdout);
    expectInert(r.stderr);
  });
});

describe("GitHub workflow commands (--format github)", () => {
  it("one command line per finding, values escaped, nothing forged", async () => {
    const dir = repos.make({
      "pools.yaml": hostilePool(),
      [HOSTILE_FILE]: "key: [unclosed\n",
    });
    const r = await cli(["validate", "--format", "github", "--repo", dir], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split("\n");
    // Every line but the summary is a workflow command; no value starts a line of its own.
    expect(lines.slice(0, -1).every((l) => /^::(error|warning|notice) /.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^\d+ errors?, /);
    expectInert(r.stdout);
  });

  it("escapes data and properties exactly as @actions/core does", () => {
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk: string) => (written.push(String(chunk)), true);
    const samples = ["a%b\r\nc:d,e", "100%\n::error::x", ":,%\r"];
    try {
      for (const s of samples) actionsCore.error(s, { title: s, file: s });
    } finally {
      process.stdout.write = write;
    }
    const ours = samples.map(
      (s) => `::error title=${escapeProperty(s)},file=${escapeProperty(s)}::${escapeData(s)}`,
    );
    expect(written.map((w) => w.trimEnd())).toEqual(ours);
  });

  it("a Policy id (any metadata.name) cannot break out of the title property", () => {
    const d: Diagnostic = {
      code: `evil,file=/etc/passwd::\n::error::${FORGED_LINE}`,
      severity: "error",
      message: "m",
      file: "f.yaml",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 2,
      related: [],
    };
    const out = formatGithub([d]);
    const [first] = out.split("\n");
    expect(first!.split("::").length).toBe(3);
    expect(first).toMatch(/title=evil%2Cfile=\/etc\/passwd%3A%3A/);
    expectInert(out);
  });
});

describe("the Action's log", () => {
  function fakeCore(inputs: Record<string, string>): ActionCore & { lines: string[] } {
    const lines: string[] = [];
    const record = (prefix: string) => (message: string | Error) =>
      void lines.push(`${prefix}${String(message)}`);
    return {
      lines,
      getInput: (name: string) => inputs[name] ?? "",
      setOutput: () => undefined,
      setFailed: record("failed: "),
      error: record("error: "),
      warning: record("warning: "),
      notice: record("notice: "),
      info: record(""),
      debug: () => undefined,
      startGroup: () => undefined,
      endGroup: () => undefined,
      summary: { addRaw: () => undefined, write: () => Promise.resolve(undefined) },
    };
  }

  it("prints the base ref and everything else escaped", async () => {
    const dir = repos.make({ "pools.yaml": hostilePool() });
    spawnSync("git", ["init", "-q", dir]);
    const core = fakeCore({ repository: ".", base: `main\x1b]52;c;SGk=\x07\n${FORGED_LINE}` });
    await runAction(core, { env: { GITHUB_WORKSPACE: dir, RUNNER_TEMP: dir }, cwd: dir });
    const log = core.lines.join("\n");
    expect(log).toContain("netcompile: repository");
    expect(log).toContain("\\x1B]52");
    for (const line of core.lines) expectInert(line);
  });
});
