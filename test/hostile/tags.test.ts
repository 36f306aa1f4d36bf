/**
 * What the YAML text itself can smuggle past the loader (issue 18, item 21): tags outside the
 * YAML 1.2 core schema (unknown ones, YAML 1.1's !!set, !!omap, !!binary, !!timestamp), a
 * %YAML 1.1 directive, raw NUL and other characters YAML does not allow, escapes that make no
 * character (a lone surrogate), and a BOM or emoji before a finding (its column).
 */
import { afterEach, describe, expect, it } from "vitest";
import { cli, minimalRepo } from "../support.js";
import { repositories } from "./support.js";

const repos = repositories();
afterEach(() => repos.cleanup());

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  column: number;
  endColumn: number;
}

async function validate(files: Record<string, string>) {
  const dir = repos.make(files);
  const r = await cli(["validate", "--repo", dir, "--format", "json"], dir);
  expect(r.stderr).toBe("");
  const diagnostics = (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
  return { code: r.code, diagnostics, dir };
}

const pool = (specLines: string, metadata = "") => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
${metadata}spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
${specLines}`;

describe("tags", () => {
  it.each([
    ["!!binary aGk=", "!!binary", "binary data"],
    ["!!timestamp 2001-12-14", "!!timestamp", "a timestamp"],
    ["!!set {a, b}", "!!set", "a set"],
    ["!!omap [{a: 1}]", "!!omap", "an ordered mapping"],
    ["!!pairs [{a: 1}]", "!!pairs", "a list of pairs"],
    ["!custom value", "!custom", "a tag of another application"],
    [
      "!<tag:example.com,2024:x> value",
      "!<tag:example.com,2024:x>",
      "a tag of another application",
    ],
  ])("%s is refused with NC1041, naming what it is, at the tag", async (value, tag, what) => {
    const { code, diagnostics } = await validate({
      "pools.yaml": pool(`  natOutgoing: ${value}\n`),
    });
    expect(code).toBe(1);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "NC1041",
        file: "pools.yaml",
        line: 8,
        column: 16,
        message: `the tag ${tag} (${what}) is not one netcompile reads: it reads the YAML 1.2 core schema (strings, numbers, booleans, null, mappings and lists, and the tags !!str, !!int, !!float, !!bool, !!null, !!map, !!seq); write the value without the tag`,
      }),
    ]);
  });

  it("a tagged mapping or list (labels: !!set) is refused, not read as an empty mapping", async () => {
    const { code, diagnostics } = await validate({
      "pools.yaml": pool("", "  labels: !!set {team, tier}\n"),
    });
    expect(code).toBe(1);
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["NC1041", 5, 11]]);
  });

  it("the core schema's own tags are read as they say", async () => {
    const { code, diagnostics } = await validate({
      "pools.yaml": pool("  natOutgoing: !!bool true\n", "  labels: !!map {team: !!str 030}\n"),
    });
    expect(diagnostics).toEqual([]);
    expect(code).toBe(0);
  });

  it("a %YAML 1.1 directive does not switch netcompile to YAML 1.1: 030 stays 30, with a warning", async () => {
    const { diagnostics } = await validate({
      "pools.yaml": `%YAML 1.1\n---\n${pool("  blockSize: 030\n")}`,
    });
    // 30 is not a valid block size for a /16... what matters: read as 30, not 24.
    const blockSize = diagnostics.filter((d) => d.code !== "NC1040");
    expect(blockSize.map((d) => d.message).join("\n")).not.toContain("24");
    expect(diagnostics.find((d) => d.code === "NC1040")?.message).toContain("YAML 1.1");
  });
});

describe("characters YAML does not allow", () => {
  it.each([
    ["a raw NUL", "\0", "U+0000"],
    ["DEL", "\x7f", "U+007F"],
    ["a C1 control", "\x9b", "U+009B"],
    ["ESC", "\x1b", "U+001B"],
    ["U+FFFE", "\ufffe", "U+FFFE"],
  ])("%s in the text is refused with NC1042 at its position", async (_, ch, name) => {
    const { code, diagnostics } = await validate({
      "pools.yaml": pool(`  natOutgoing: true # note${ch}here\n`),
    });
    expect(code).toBe(1);
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: "NC1042",
        line: 8,
        column: 27,
        message: `the text holds the character ${name}, which YAML does not allow in a file (only printable characters, tab and line breaks); write it as an escape in a double-quoted string`,
      }),
    ]);
  });

  it("an escape that makes no character (a lone surrogate) is refused with NC1043", async () => {
    const { code, diagnostics } = await validate({
      "pools.yaml": pool("", '  labels: {team: "a\\ud800b"}\n'),
    });
    expect(code).toBe(1);
    expect(diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([
      [
        "NC1043",
        5,
        18,
        "metadata.labels.team holds \\ud800, half of a UTF-16 surrogate pair and not a character: UTF-8 and Kubernetes cannot carry it; write the whole character (\\U0001F600 or the character itself)",
      ],
    ]);
  });
});

describe("columns", () => {
  it("count from the first character after a byte order mark", async () => {
    const { diagnostics } = await validate({
      "pools.yaml": `\ufeffkind: IPPoool\napiVersion: projectcalico.org/v3\nmetadata:\n  name: p\n`,
    });
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([["NC1004", 1, 7]]);
  });

  it("count UTF-16 code units, as SARIF's columnKind utf16CodeUnits and LSP: an emoji is two", async () => {
    const files = {
      "pools.yaml": pool("", '  labels: {team: "🎉", tier: a}\n  labelz: x\n'),
      "topology.yaml": minimalRepo["topology.yaml"]!.replace(
        "name: lab",
        'name: "🎉"\n  labelz: 1',
      ),
    };
    const { diagnostics, dir } = await validate(files);
    const at = diagnostics.map((d) => [d.file, d.line, d.column, d.endColumn]);
    expect(at).toContainEqual(["pools.yaml", 6, 3, 9]);
    // `  name: "🎉"` then the next line: the emoji's line does not shift the next one.
    expect(at).toContainEqual(["topology.yaml", 5, 3, 9]);
    const sarif = await cli(["validate", "--repo", dir, "--format", "sarif"], dir);
    const log = JSON.parse(sarif.stdout) as { runs: { columnKind?: string }[] };
    expect(log.runs[0]?.columnKind).toBe("utf16CodeUnits");
    // The text excerpt puts the caret under the key, the emoji taking two columns.
    const emoji = repos.make({
      "pools.yaml": pool("", '  labels: {team: "🎉", 🎉: a, zzz: [}\n'),
    });
    const text = await cli(["validate", "--repo", emoji], emoji);
    const lines = text.stdout.split("\n");
    const source = lines.findIndex((l) => l.includes('team: "🎉"'));
    expect(source).toBeGreaterThan(0);
    const caret = lines[source + 1]!;
    const first = lines[source - 1]!;
    const column = Number(/:(\d+): error/.exec(first)![1]);
    const codeUnits = lines[source]!.indexOf("| ") + 2 + column - 1;
    expect(caret.indexOf("^")).toBe(codeUnits);
  });
});
