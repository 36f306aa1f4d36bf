/**
 * parseBlockYaml is only as safe as the parse-back it replaced if it never accepts what `yaml`
 * would refuse or read differently. These tests hold it to that: on every host YAML file the
 * renderers write (fixtures and generated repositories), on random documents written the way
 * the templates write them, and on randomly broken ones — whenever it accepts, `yaml` parses
 * the same text without error to the same value.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateRepository } from "../../bench/generate.js";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { blockYamlPiecesFine, parseBlockYaml } from "./block-yaml.js";
import { parseRenderedYaml } from "./check.js";
import { joinPieces, SharedText, type Piece } from "./pieces.js";
import { yamlScalar } from "../util/quote.js";

const ROOT = join(import.meta.dirname, "../..");
const PARAMS = { seed: Number(process.env.FC_SEED ?? 20261202), endOnFailure: true };

/** What the old check read: `yaml`'s documents (nulls dropped), or its error. */
function viaYaml(content: string): { docs: unknown[]; error?: string } {
  return parseRenderedYaml(content);
}

/** parseBlockYaml accepted `content`: `yaml` must read it, as one document, to the same value. */
function expectSameAsYaml(content: string): void {
  const mine = parseBlockYaml(content);
  expect(mine.error, content).toBeUndefined();
  const theirs = viaYaml(content);
  expect(theirs.error, content).toBeUndefined();
  const value = mine.value;
  expect(theirs.docs, content).toEqual(value === null || value === undefined ? [] : [value]);
}

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

describe("parseBlockYaml reads every host file netcompile writes as yaml does", () => {
  const fixtures = walk(join(ROOT, "fixtures")).filter((p) => /\/hosts\/.*\.ya?ml$/.test(p));

  it("finds the fixtures' host YAML files", () => {
    expect(fixtures.length).toBeGreaterThan(10);
  });

  it.each(fixtures.map((p) => [p.slice(ROOT.length + 1)]))("%s", (path) => {
    expectSameAsYaml(readFileSync(join(ROOT, path), "utf8"));
  });

  it.each([
    ["calico", 40],
    ["static", 24],
  ] as const)("every netplan file of a generated %s repository (%i nodes)", (mode, nodes) => {
    const repo = generateRepository({ nodes, mode, subnets: 3, pools: 2 });
    const result = compile(new MemoryRepoReader(Object.fromEntries(repo.files)), {
      render: "all",
    });
    const yamlFiles = result.files!.filter(
      (f) => f.path.startsWith("hosts/") && /\.ya?ml$/.test(f.path),
    );
    expect(yamlFiles).toHaveLength(nodes);
    for (const f of yamlFiles) expectSameAsYaml(f.content);
  });
});

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Block YAML the way the templates write it: two-space indentation, every scalar through yamlScalar. */
function emit(value: Json, indent = 0): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error("emit: empty arrays are written inline");
    return value
      .map((item) => {
        if (isCollection(item)) {
          if (!Array.isArray(item) && Object.keys(item).length > 0) {
            // "- key: value": the mapping's first key on the dash's line.
            const body = emit(item, indent + 2);
            return `${pad}- ${body.slice(indent + 2)}`;
          }
          return `${pad}-\n${emit(item, indent + 2)}`;
        }
        return `${pad}- ${inline(item)}\n`;
      })
      .join("");
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value)
      .map(([k, v]) =>
        isCollection(v)
          ? `${pad}${yamlScalar(k)}:\n${emit(v, indent + 2)}`
          : `${pad}${yamlScalar(k)}: ${inline(v)}\n`,
      )
      .join("");
  }
  throw new Error("emit: the document is a collection");
}

const isCollection = (v: Json): v is Json[] | { [key: string]: Json } =>
  v !== null &&
  typeof v === "object" &&
  (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);

function inline(v: Json): string {
  if (Array.isArray(v)) return "[]";
  if (v !== null && typeof v === "object") return "{}";
  return yamlScalar(v);
}

/** Strings with the characters that matter to YAML and to libyaml, and any others. */
const nasty = fc.constantFrom(
  "",
  " ",
  "-",
  ":",
  ": ",
  "#",
  " #",
  "'",
  '"',
  "\\",
  "\t",
  "\n",
  "\r",
  "\u0085",
  "\u2028",
  "\ufeff",
  "\ud800",
  "\udc00",
  "😀",
  "yes",
  "No",
  "null",
  "~",
  "true",
  "0x1F",
  "010",
  "1e3",
  ".inf",
  "a.",
  "&a",
  "*a",
  "!!str",
  "[a]",
  "{a: 1}",
  "|",
  ">",
  "%YAML",
  "---",
  "...",
  "__proto__",
  "@",
  "`",
);
// A lone surrogate is not a character: yamlScalar refuses it (the loader refuses it before).
const text = fc
  .oneof(
    fc.stringMatching(/^[a-z_][a-z0-9_./-]{0,10}$/),
    fc.string({ maxLength: 12 }),
    fc.string({ unit: "binary", maxLength: 8 }),
    fc.array(nasty, { maxLength: 4 }).map((parts) => parts.join("")),
  )
  .filter((s) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s));
const leaf: fc.Arbitrary<Json> = fc.oneof(
  text,
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.constantFrom(0, 1.5, -2.25, 9001, true, false, null),
  fc.constant([] as Json[]),
  fc.constant({}),
);
const { doc } = fc.letrec<{ doc: { [key: string]: Json }; node: Json }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("node"), { minLength: 1, maxLength: 4 }),
    tie("doc"),
  ),
  doc: fc.dictionary(text, tie("node"), { minKeys: 1, maxKeys: 4 }),
}));

describe("random documents written the way the templates write them", () => {
  it("are read as yaml reads them, or refused for a character libyaml would misread", () => {
    let accepted = 0;
    fc.assert(
      fc.property(doc, (value) => {
        const content = emit(value);
        const mine = parseBlockYaml(content);
        if (mine.error !== undefined) {
          // Refused only for characters outside YAML 1.1's printable set (JSON.stringify leaves
          // them raw), or the one key it refuses.
          expect(
            /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]|__proto__/.test(content),
            `${mine.error}\n${content}`,
          ).toBe(true);
          return;
        }
        accepted++;
        expectSameAsYaml(content);
        expect(mine.value).toEqual(value);
      }),
      { ...PARAMS, numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(200);
  });
});

/** Edits that break YAML in the ways a template bug would. */
const edit = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 6 }),
  insert: fc.oneof(
    nasty,
    fc.constantFrom(
      " ",
      "  ",
      "\n",
      "- ",
      ": ",
      "a: 1\n",
      "  - x\n",
      "a:\n",
      "[",
      "]",
      "{",
      "}",
      ",",
    ),
    fc.string({ maxLength: 3 }),
  ),
});

describe("randomly broken documents", () => {
  it("are refused unless yaml reads them to the same value", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(doc, fc.array(edit, { minLength: 1, maxLength: 3 }), (value, edits) => {
        let content = emit(value);
        for (const e of edits) {
          const at = e.at % (content.length + 1);
          content = content.slice(0, at) + e.insert + content.slice(at + e.cut);
        }
        const mine = parseBlockYaml(content);
        if (mine.error !== undefined) {
          refused++;
          return;
        }
        accepted++;
        expectSameAsYaml(content);
      }),
      { ...PARAMS, numRuns: 3000 },
    );
    // Both sides are exercised: some edits keep the document in the subset, most break it.
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(500);
  });
});

describe("what parseBlockYaml refuses", () => {
  it.each([
    ["a tab indentation", "a:\n\tb: 1\n"],
    ["a single-quoted scalar", "a: 'x'\n"],
    ["an anchor", "a: &x 1\n"],
    ["an alias", "a: *x\n"],
    ["a tag", "a: !!str 1\n"],
    ["a block scalar", "a: |\n  x\n"],
    ["a flow sequence with content", "a: [1]\n"],
    ["a flow mapping with content", "a: {b: 1}\n"],
    ["a trailing comment", "a: 1 # one\n"],
    ["a document marker", "---\na: 1\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a YAML 1.1 boolean word", "a: yes\n"],
    ["a leading-zero number (octal to YAML 1.1)", "a: 010\n"],
    ["an exponent", "a: 1e3\n"],
    ["a plain word ending in a dot", "a: b.\n"],
    ["a missing space after the colon", "a:1\n"],
    ["a continuation line", "a: b\n  c\n"],
    ["an indented document", "  a: 1\n"],
    ["a sequence beside a mapping", "a: 1\n- b\n"],
    ["a wrongly indented key", "a:\n    b: 1\n  c: 2\n"],
    ["a number as a key", "1: a\n"],
    ["a boolean as a key", "true: a\n"],
    ["a __proto__ key", '"__proto__": 1\n'],
    ["U+0085 in a quoted string", 'a: "x\u0085y"\n'],
    ["U+2028 in a comment", "# x\u2028y\na: 1\n"],
    ["a lone surrogate", 'a: "\ud800"\n'],
    ["a raw tab in a quoted string", 'a: "x\ty"\n'],
    ["an unterminated quoted key", '"a: 1\n'],
    ["a carriage return", "a: 1\r\n"],
    ["no newline at the end", "a: 1"],
    ["a line of spaces", "a: 1\n  \n"],
  ])("%s", (_, content) => {
    expect(parseBlockYaml(content).error).toBeDefined();
  });

  it("reads comments, empty collections, quoted keys and values, and nesting", () => {
    const content = [
      "# a comment",
      "network:",
      "  version: 2",
      "    # a comment at any indentation",
      '  "ethernets":',
      '    "eth 0":',
      "      addresses:",
      '        - "10.0.0.1/24"',
      "      routes:",
      "        - to: default",
      '          via: "10.0.0.1"',
      "        - to: x",
      "          on-link: true",
      "      link-local: []",
      "      mtu: 1500",
      "      x: {}",
      "      w: null",
      "      z:",
      "",
    ].join("\n");
    expectSameAsYaml(content);
    expect(parseBlockYaml(content).value).toEqual({
      network: {
        version: 2,
        ethernets: {
          "eth 0": {
            addresses: ["10.0.0.1/24"],
            routes: [
              { to: "default", via: "10.0.0.1" },
              { to: "x", "on-link": true },
            ],
            "link-local": [],
            mtu: 1500,
            x: {},
            w: null,
            z: null,
          },
        },
      },
    });
  });

  it("a file of comments only has no value", () => {
    expect(parseBlockYaml("# only\n")).toEqual({ value: undefined });
    expect(parseBlockYaml("")).toEqual({ value: undefined });
  });
});

describe("blockYamlPiecesFine (a file decided from its pieces, each shared text read once)", () => {
  const broken = (text: string, edits: readonly { at: number; cut: number; insert: string }[]) => {
    let out = text;
    for (const e of edits) {
      const at = e.at % (out.length + 1);
      out = out.slice(0, at) + e.insert + out.slice(at + e.cut);
    }
    return out;
  };
  const maybeBroken = (text: fc.Arbitrary<string>) =>
    fc
      .tuple(text, fc.array(edit, { maxLength: 1 }), fc.nat({ max: 9 }))
      .map(([t, edits, r]) => (r === 0 ? broken(t, edits) : t));
  // A file: a mapping, a key whose value is a run of items (one per peer), more of the mapping.
  const file = fc
    .tuple(
      maybeBroken(doc.map((d) => emit(d))),
      fc.oneof(
        { weight: 8, arbitrary: fc.constant("routes:\n") },
        { weight: 1, arbitrary: fc.constantFrom("  routes:\n", "routes: x\n", "routes:") },
      ),
      fc.array(maybeBroken(leaf.chain((v) => fc.constant(emit([v], 2)))), {
        minLength: 1,
        maxLength: 4,
      }),
      fc.array(maybeBroken(doc.map((d) => emit([d], 2))), { maxLength: 2 }),
      fc.integer({ min: -1, max: 4 }),
      maybeBroken(doc.map((d) => emit(d))),
    )
    .map(([head, key, items, nested, skip, tail]): Piece[] => {
      const texts = [...items, ...nested];
      const n = texts.length;
      const ranges = (
        skip >= 0 && skip < n
          ? [
              [0, skip],
              [skip + 1, n],
            ]
          : [[0, n]]
      ).filter(([a, b]) => a! < b!) as [number, number][];
      return [head + key, { source: new SharedText(texts), ranges }, tail];
    });

  it("says fine only when the whole file reads, as yaml reads it", () => {
    let fine = 0;
    let refused = 0;
    fc.assert(
      fc.property(file, (pieces) => {
        if (!blockYamlPiecesFine(pieces, (c) => parseBlockYaml(c).error)) {
          refused++;
          return;
        }
        fine++;
        expectSameAsYaml(joinPieces(pieces));
      }),
      { ...PARAMS, numRuns: 2000 },
    );
    expect(fine).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(200);
  });
});
