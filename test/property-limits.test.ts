/**
 * Limits: hostile sizes and shapes become a diagnostic naming the limit, in bounded work and
 * memory. Every limit lives in src/load/limits.ts and is documented in SECURITY.md. The work a
 * limit saves is counted, never timed (speed is `npm run bench`'s): bytes read from disk, files
 * handed to the YAML parser, documents handed to the schema stage, node addresses expanded.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Diagnostic } from "../src/diagnostics/types.js";
import { LIMITS } from "../src/load/limits.js";
import { FsRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";
import { cli, minimalRepo, removeDir, testdir } from "./support.js";

/** What the pipeline did, counted at the functions that do the work. */
const work = vi.hoisted(() => ({
  bytesRead: 0,
  parsedTexts: [] as string[],
  convertedKinds: [] as unknown[],
  schemaDocuments: [] as string[],
  addressesExpanded: 0,
}));

vi.mock(import("node:fs"), async (original) => {
  const fs = await original();
  const readSync = ((...args: Parameters<typeof fs.readSync>) => {
    const n = fs.readSync(...args);
    work.bytesRead += n;
    return n;
  }) as typeof fs.readSync;
  return { ...fs, readSync, default: { ...fs, readSync } };
});
vi.mock(import("yaml"), async (original) => {
  const yaml = await original();
  const parseAllDocuments = (...args: Parameters<typeof yaml.parseAllDocuments>) => {
    work.parsedTexts.push(args[0]);
    const docs = yaml.parseAllDocuments(...args);
    for (const doc of docs) {
      const toJS = doc.toJS.bind(doc);
      doc.toJS = (...options: Parameters<typeof toJS>) => {
        const value = toJS(...options) as unknown;
        work.convertedKinds.push((value as { kind?: unknown } | null)?.kind);
        return value;
      };
    }
    return docs;
  };
  return { ...yaml, parseAllDocuments: parseAllDocuments as typeof yaml.parseAllDocuments };
});
vi.mock(import("../src/schema/validate.js"), async (original) => {
  const validate = await original();
  return {
    ...validate,
    validateDocuments: (documents: Parameters<typeof validate.validateDocuments>[0]) => {
      work.schemaDocuments.push(...documents.map((d) => d.file));
      return validate.validateDocuments(documents);
    },
  };
});
vi.mock(import("../src/model/cidr.js"), async (original) => {
  const cidr = await original();
  return {
    ...cidr,
    addressPlus: (...args: Parameters<typeof cidr.addressPlus>) => {
      work.addressesExpanded++;
      return cidr.addressPlus(...args);
    },
  };
});

beforeEach(() => {
  work.bytesRead = 0;
  work.parsedTexts = [];
  work.convertedKinds = [];
  work.schemaDocuments = [];
  work.addressesExpanded = 0;
});

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function run(files: Record<string, string>, big?: [string, Buffer]) {
  const dir = testdir({ ...minimalRepo, ...files });
  dirs.push(dir);
  if (big) writeFileSync(join(dir, big[0]), big[1]);
  const result = compile(new FsRepoReader(dir), { render: "all" });
  return { dir, result };
}

/** The bytes of the minimal repository: what every run below reads besides the hostile file. */
const minimalBytes = Object.values(minimalRepo).reduce((n, text) => n + Buffer.byteLength(text), 0);

/** Whether the YAML parser was handed a text of this file (the parser sees texts, not names). */
const parsedMarker = (marker: string) => work.parsedTexts.some((t) => t.includes(marker));

function errors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === "error");
}

const pool = (i: number) =>
  `---\napiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p-${i}\nspec:\n  cidr: 10.${128 + ((i >> 8) % 64)}.${i % 256}.0/24\n  vxlanMode: Always\n`;

describe("input limits", () => {
  it("a 50 MB file: NC1014 naming the 8 MiB limit, without reading it", async () => {
    const { dir, result } = run({}, ["huge.yaml", Buffer.alloc(50 * 1024 * 1024, "a")]);
    const e = errors(result.diagnostics);
    expect(e.map((d) => [d.code, d.file])).toEqual([["NC1014", "huge.yaml"]]);
    expect(e[0]!.message).toBe(
      `huge.yaml is ${50 * 1024 * 1024} bytes; the limit is ${LIMITS.maxFileBytes} bytes`,
    );
    // Not one byte of it: only the minimal repository's files were read.
    expect(work.bytesRead).toBe(minimalBytes);
    const r = await cli(["validate", "--repo", dir], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("huge.yaml:1:1: error NC1014");
  });

  it("files under the per-file limit that add up past the total: one NC1014 naming it", () => {
    const chunk = `# ${"x".repeat(7 * 1024 * 1024)}\n`;
    const files = Object.fromEntries(
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => [`c${i}.yaml`, chunk]),
    );
    const { result } = run(files);
    const e = errors(result.diagnostics);
    expect(e.map((d) => d.code)).toEqual(["NC1014"]);
    expect(e[0]!.message).toContain("the repository's YAML files together");
    expect(e[0]!.message).toContain(`the limit is ${LIMITS.maxTotalBytes} bytes`);
    // The file that does not fit is never read: the bytes read stay within the limit.
    expect(work.bytesRead).toBe(minimalBytes + 9 * Buffer.byteLength(chunk));
    expect(work.bytesRead).toBeLessThanOrEqual(LIMITS.maxTotalBytes);
  });

  it.each([
    ["flow", `apiVersion: v1\nkind: X\nspec: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`],
    ["mapping", `apiVersion: v1\nkind: X\nspec: ${"{a: ".repeat(10_000)}1${"}".repeat(10_000)}\n`],
    [
      "block, 100 deep",
      `apiVersion: v1\nkind: X\nspec:\n${Array.from({ length: 100 }, (_, i) => `${" ".repeat(i + 1)}- `).join("\n")}x\n`,
    ],
  ])("10,000-deep nesting (%s): NC1015 naming the depth limit", (_, text) => {
    const { result } = run({ "deep.yaml": text });
    const e = errors(result.diagnostics);
    expect(e.length).toBeGreaterThan(0);
    for (const d of e) expect([d.code, d.file]).toEqual(["NC1015", "deep.yaml"]);
    expect(e[0]!.message).toBe(`document nests deeper than ${LIMITS.maxDepth} levels`);
    // The too-deep document goes no further than the parser: never converted, never walked.
    expect(work.convertedKinds.length).toBeGreaterThan(0);
    expect(work.convertedKinds).not.toContain("X");
    expect(work.schemaDocuments).not.toContain("deep.yaml");
  });

  it("an alias bomb (billion laughs): NC1009 naming the alias limit", () => {
    const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const text = `apiVersion: netcompile.dev/v1alpha1\nkind: Policy\nmetadata:\n  name: bomb\nspec:\n${levels.map((l) => `  ${l}`).join("\n")}\n`;
    const { result } = run({ "bomb.yaml": text });
    // The expansion is never handed on: no later stage walks its 10^10 leaves.
    expect(work.schemaDocuments).not.toContain("bomb.yaml");
    const e = errors(result.diagnostics);
    expect(e.map((d) => [d.code, d.file, d.line])).toEqual([["NC1009", "bomb.yaml", 1]]);
    expect(e[0]!.message).toContain(`limit ${LIMITS.maxAliasCount}`);
  });

  it("a million nodes in a nodeGroup: NC3010 at count naming the node limit", () => {
    const topology = minimalRepo["topology.yaml"]!.replace(
      "  nodes:",
      "    - name: big\n      cidr: 10.0.0.0/8\n  nodeGroups:\n    - namePrefix: w-\n      count: 1000000\n      subnet: big\n      firstAddress: 10.1.0.1\n  nodes:",
    );
    const { result } = run({ "topology.yaml": topology });
    const e = errors(result.diagnostics);
    expect(e.map((d) => [d.code, d.line, d.column])).toEqual([["NC3010", 15, 14]]);
    expect(e[0]!.data).toEqual({
      group: "w-",
      count: 1_000_000,
      first: "10.1.0.1",
      limit: LIMITS.maxNodes,
    });
    // Refused from the count: the group's last address is computed, none of its members are.
    expect(work.addressesExpanded).toBe(1);
  });

  it("5,000 IPPools: NC1017 naming maxPools, at the first pool past it", () => {
    const { result } = run({
      "pools.yaml": Array.from({ length: 5000 }, (_, i) => pool(i)).join(""),
    });
    const e = errors(result.diagnostics);
    expect(e.map((d) => [d.code, d.file])).toEqual([["NC1017", "pools.yaml"]]);
    expect(e[0]!.data).toEqual({
      count: 5000,
      what: "IPPools",
      limit: LIMITS.maxPools,
      limitName: "maxPools",
    });
    expect(e[0]!.line).toBe(LIMITS.maxPools * 8 + 2);
    // Past a count limit nothing else is checked: no document reaches the schema stage.
    expect(work.schemaDocuments).toEqual([]);
  });

  it("20,000 subnets: NC1017 naming maxSubnets, at the Topology's subnets", () => {
    const subnets = Array.from(
      { length: 20_000 },
      (_, i) => `    - { name: s-${i}, cidr: 172.${16 + (i >> 8)}.${i % 256}.0/24 }\n`,
    ).join("");
    const { result } = run({
      "topology.yaml": minimalRepo["topology.yaml"]!.replace(
        "  subnets:\n",
        `  subnets:\n${subnets}`,
      ),
    });
    const e = errors(result.diagnostics);
    expect(e.map((d) => [d.code, d.file, d.line])).toEqual([["NC1017", "topology.yaml", 7]]);
    expect(e[0]!.data).toEqual({
      count: 20_002,
      what: "subnets",
      limit: LIMITS.maxSubnets,
      limitName: "maxSubnets",
    });
    expect(work.schemaDocuments).toEqual([]);
  });

  it("30,000 documents in one file: NC1016 naming maxDocuments, before parsing", () => {
    const doc = (i: number) =>
      `---\napiVersion: netcompile.dev/v1alpha1\nkind: Policy\nmetadata: {name: p${i}}\n`;
    const { result } = run({
      "many.yaml": Array.from({ length: 30_000 }, (_, i) => doc(i)).join(""),
    });
    // Counted before parsing: the YAML parser never sees the file.
    expect(work.parsedTexts.length).toBeGreaterThan(0);
    expect(parsedMarker("metadata: {name: p0}")).toBe(false);
    const e = errors(result.diagnostics);
    expect(e.map((d) => [d.code, d.data])).toEqual([
      ["NC1016", { file: "many.yaml", limit: LIMITS.maxDocuments }],
    ]);
  });

  it("8 MiB of empty documents: NC1016 naming maxDocuments, before parsing", () => {
    const empty = "---\n".repeat(2 * 1024 * 1024 - 1);
    const { result } = run({ "empty.yaml": empty });
    // Counted before parsing: the YAML parser never sees the file.
    expect(work.parsedTexts.length).toBeGreaterThan(0);
    expect(work.parsedTexts).not.toContain(empty);
    const e = errors(result.diagnostics);
    expect(e.map((d) => [d.code, d.file, d.data])).toEqual([
      ["NC1016", "empty.yaml", { file: "empty.yaml", limit: LIMITS.maxDocuments }],
    ]);
  });

  it("20,001 documents over several files: NC1017 naming maxDocuments, at the first past it", () => {
    const doc = (i: number) =>
      `---\napiVersion: netcompile.dev/v1alpha1\nkind: Policy\nmetadata: {name: p${i}}\n`;
    const files = Object.fromEntries(
      [0, 1, 2].map((f) => [
        `many-${f}.yaml`,
        Array.from({ length: 7_000 }, (_, i) => doc(f * 7_000 + i)).join(""),
      ]),
    );
    const { result } = run(files);
    const e = errors(result.diagnostics);
    expect(e.map((d) => [d.code, d.data])).toEqual([
      [
        "NC1017",
        {
          count: 21_000 + 3,
          what: "documents",
          limit: LIMITS.maxDocuments,
          limitName: "maxDocuments",
        },
      ],
    ]);
  });
});
