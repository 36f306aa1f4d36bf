/**
 * parseBlockYaml is only as safe as the parse-back it replaced if it never accepts what `yaml`
 * would refuse or read differently. These tests hold it to that: on every host YAML file the
 * renderers write (fixtures and generated repositories), on random documents written the way
 * the templates write them, and on randomly broken ones — whenever it accepts, `yaml` parses
 * the same text without error to the same value.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { generateRepository } from "../../bench/generate.js";
import { FsRepoReader, MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import {
  blockYamlPiecesFine,
  parseBlockYaml,
  parseBlockYamlStream,
  type Subset,
} from "./block-yaml.js";
import { checkRenderedFiles, kubernetesObjectProblem, parseRenderedYaml } from "./check.js";
import { joinPieces, SharedText, type Piece } from "./pieces.js";
import { yamlScalar } from "../util/quote.js";

const ROOT = join(import.meta.dirname, "../..");
const PARAMS = { seed: Number(process.env.FC_SEED ?? 20261202), endOnFailure: true };

/** What the old check read: `yaml`'s documents (nulls dropped), or its error. */
function viaYaml(content: string): { docs: unknown[]; error?: string } {
  return parseRenderedYaml(content);
}

/**
 * One value as `yaml` reads it with YAML 1.1's types (yes/no, 010, 1:20, 1e3, timestamps,
 * .inf), as go-yaml (kubectl, Argo CD) and libyaml (netplan) resolve plain scalars. `yaml`'s
 * 1.1 schema reads more as numbers than they do (`e5` is NaN to it, a string to go-yaml and
 * PyYAML), so it is asked only about the scalars the manifest subset adds.
 */
function viaYaml11(content: string): unknown {
  const doc = parseAllDocuments(content, { uniqueKeys: true, version: "1.1" });
  const list = Array.isArray(doc) ? doc : [doc];
  expect(list).toHaveLength(1);
  expect(list[0]!.errors, content).toEqual([]);
  return list[0]!.toJS({ maxAliasCount: 0 }) as unknown;
}

/** The reader gave `docs` for `content`: `yaml` reads the same documents, in the same key order. */
function expectDocsAsYaml(content: string, docs: unknown[]): void {
  const theirs = viaYaml(content);
  expect(theirs.error, content).toBeUndefined();
  expect(theirs.docs, content).toEqual(docs);
  expect(JSON.stringify(theirs.docs), content).toBe(JSON.stringify(docs));
}

/** parseBlockYaml accepted `content`: `yaml` must read it, as one document, to the same value. */
function expectSameAsYaml(content: string, subset: Subset = "host"): void {
  const mine = parseBlockYaml(content, subset);
  expect(mine.error, content).toBeUndefined();
  const value = mine.value;
  expectDocsAsYaml(content, value === null || value === undefined ? [] : [value]);
}

/** parseBlockYamlStream accepted `content`: `yaml` must read the same list of documents. */
function expectStreamAsYaml(content: string): void {
  const mine = parseBlockYamlStream(content);
  expect(mine.error, content).toBeUndefined();
  expectDocsAsYaml(content, mine.docs!);
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

/**
 * Block YAML the way the templates write it: two-space indentation, every scalar through
 * yamlScalar; in the manifest style also the templates' hand-written text (HAND_WRITTEN).
 */
function emit(value: Json, indent = 0, style: Subset = "host"): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error("emit: empty arrays are written inline");
    return value
      .map((item) => {
        if (isCollection(item) && !isFlowList(item, style)) {
          if (!Array.isArray(item) && Object.keys(item).length > 0) {
            // "- key: value": the mapping's first key on the dash's line.
            const body = emit(item, indent + 2, style);
            return `${pad}- ${body.slice(indent + 2)}`;
          }
          return `${pad}-\n${emit(item, indent + 2, style)}`;
        }
        return `${pad}- ${inline(item, style)}\n`;
      })
      .join("");
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value)
      .map(([k, v]) =>
        isCollection(v) && !isFlowList(v, style)
          ? `${pad}${yamlScalar(k)}:\n${emit(v, indent + 2, style)}`
          : `${pad}${yamlScalar(k)}: ${inline(v, style)}\n`,
      )
      .join("");
  }
  throw new Error("emit: the document is a collection");
}

const isCollection = (v: Json): v is Json[] | { [key: string]: Json } =>
  v !== null &&
  typeof v === "object" &&
  (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);

/**
 * The manifest templates' own text, as Calico writes it: absolute paths, flags, quantities and
 * percentages plain, and some lists of strings as flow sequences (`command: ["a", "-b"]`).
 */
const HAND_WRITTEN =
  /^(?:\/[a-z0-9_./-]*|-[a-z][a-z0-9_.-]*|(?:0|[1-9][0-9]*)(?:%|m|Ki|Mi|Gi|Ti))$/;
const handWritten = fc.oneof(
  fc.stringMatching(/^\/[a-z0-9_./-]{0,10}$/),
  fc.stringMatching(/^-[a-z][a-z0-9_.-]{0,8}$/),
  fc.stringMatching(/^(?:0|[1-9][0-9]{0,3})(?:%|m|Ki|Mi|Gi|Ti)$/),
);

/** In the manifest style, a list of strings whose first is of even length is written `["a", "b"]`. */
const isFlowList = (v: Json, style: Subset): v is string[] =>
  style === "manifests" &&
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((s) => typeof s === "string") &&
  (v[0] as string).length % 2 === 0;

function inline(v: Json, style: Subset = "host"): string {
  if (isFlowList(v, style)) return `[${v.map((s) => JSON.stringify(s)).join(", ")}]`;
  if (style === "manifests" && typeof v === "string" && HAND_WRITTEN.test(v)) return v;
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
    handWritten,
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

/** `text` with each edit applied in turn, its position taken modulo the length so far. */
function breakText(text: string, edits: readonly { at: number; cut: number; insert: string }[]) {
  let out = text;
  for (const e of edits) {
    const at = e.at % (out.length + 1);
    out = out.slice(0, at) + e.insert + out.slice(at + e.cut);
  }
  return out;
}

describe("randomly broken documents", () => {
  it("are refused unless yaml reads them to the same value", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(doc, fc.array(edit, { minLength: 1, maxLength: 3 }), (value, edits) => {
        const content = breakText(emit(value), edits);
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

describe("parseBlockYamlStream reads every manifests file netcompile renders as yaml does", () => {
  // Every repository among the fixtures: examples, cases' inputs, plan cases' previous trees and steps.
  const repos = walk(join(ROOT, "fixtures"))
    .filter((p) => p.endsWith("/netcompile.yaml") && !p.includes("/expected/"))
    .map((p) => dirname(p))
    .filter((dir) => existsSync(join(dir, "topology.yaml")) || readdirSync(dir).length > 1)
    .sort();
  const manifestsOf = (files: readonly { path: string; content: string }[] | undefined) =>
    (files ?? []).filter((f) => f.path.startsWith("manifests/"));

  it("renders manifests in every install mode from the fixtures", () => {
    const rendered = repos.flatMap((dir) =>
      manifestsOf(compile(new FsRepoReader(dir), { render: "all" }).files).map((f) => f.path),
    );
    // manifest and operator installs, Typha, pools (dual-stack among them).
    for (const path of [
      "manifests/calico-node.yaml",
      "manifests/calico-typha.yaml",
      "manifests/installation.yaml",
      "manifests/apiserver.yaml",
      "manifests/ippools.yaml",
      "manifests/calico-config.yaml",
      "manifests/felixconfiguration.yaml",
    ])
      expect(rendered).toContain(path);
  });

  it.each(repos.map((dir) => [dir.slice(ROOT.length + 1)]))("%s", (dir) => {
    const files = manifestsOf(compile(new FsRepoReader(join(ROOT, dir)), { render: "all" }).files);
    for (const f of files) expectStreamAsYaml(f.content);
  });

  it("every manifests file of a generated repository with Typha (60 nodes)", () => {
    const repo = generateRepository({ nodes: 60, mode: "calico", subnets: 3, pools: 2 });
    const files = manifestsOf(
      compile(new MemoryRepoReader(Object.fromEntries(repo.files)), { render: "all" }).files,
    );
    expect(files.map((f) => f.path)).toContain("manifests/calico-typha.yaml");
    for (const f of files) expectStreamAsYaml(f.content);
  });
});

/** One document of a manifests file, and the value it stands for (null: no content). */
const manifestPart: fc.Arbitrary<{ text: string; value: Json }> = fc.oneof(
  { weight: 6, arbitrary: doc.map((d) => ({ text: emit(d, 0, "manifests"), value: d })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", "# only a comment\n", "# one\n    # two\n").map((text) => ({
      text,
      value: null,
    })),
  },
);

/** A manifests file as the templates write one: a header comment, then documents between `---` lines. */
const manifests = fc
  .tuple(
    fc.constantFrom("", "# Rendered by netcompile. Do not edit.\n"),
    fc.boolean(),
    fc.array(manifestPart, { minLength: 1, maxLength: 4 }),
  )
  .map(([header, leadingMarker, parts]) => ({
    text: header + (leadingMarker ? "---\n" : "") + parts.map((p) => p.text).join("---\n"),
    docs: parts.map((p) => p.value).filter((v) => v !== null),
  }));

/** The characters and the key the reader refuses in what the generators write. */
const REFUSED_ONLY_FOR = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]|__proto__/;

describe("random manifests files written the way the templates write them", () => {
  it("are read as yaml reads them, document for document, or refused for a character", () => {
    let accepted = 0;
    let flow = 0;
    fc.assert(
      fc.property(manifests, ({ text, docs }) => {
        const mine = parseBlockYamlStream(text);
        if (mine.error !== undefined) {
          expect(REFUSED_ONLY_FOR.test(text), `${mine.error}\n${text}`).toBe(true);
          return;
        }
        accepted++;
        if (/: \["/.test(text)) flow++;
        expectStreamAsYaml(text);
        expect(mine.docs).toEqual(docs);
      }),
      { ...PARAMS, numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(200);
    expect(flow).toBeGreaterThan(25);
  });
});

/** Edits that break a manifests file as a template bug would, markers and directives among them. */
const streamEdit = fc.record({
  at: fc.nat(),
  cut: fc.nat({ max: 6 }),
  insert: fc.oneof(
    edit.map((e) => e.insert),
    fc.constantFrom(
      "---\n",
      "\n---\n",
      "---",
      "--- \n",
      "--- x\n",
      "---x\n",
      "----\n",
      "...\n",
      "\n...\n",
      "%YAML 1.2\n",
      "%TAG ! x\n",
      "%",
      '", "',
      '"',
      ", ",
      "[",
      "]",
      "/",
      "-",
      "m",
      "Mi",
      ".inf",
      "0x",
      "e3",
      ":",
    ),
  ),
});

describe("randomly broken manifests files", () => {
  it("are refused unless yaml reads them to the same documents", () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(manifests, fc.array(streamEdit, { minLength: 1, maxLength: 3 }), (m, edits) => {
        const text = breakText(m.text, edits);
        if (parseBlockYamlStream(text).error !== undefined) {
          refused++;
          return;
        }
        accepted++;
        expectStreamAsYaml(text);
      }),
      { ...PARAMS, numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(500);
  });
});

describe("checkRenderedFiles decides a manifests file exactly as parsing it with yaml did", () => {
  /** The verdict before the block reader: `yaml`'s error, else each document's object problem. */
  const yamlVerdict = ({ docs, error }: ReturnType<typeof parseRenderedYaml>): string[] =>
    error !== undefined ? [error] : docs.flatMap((d) => kubernetesObjectProblem(d) ?? []);
  const details = (content: string): string[] =>
    checkRenderedFiles([{ path: "manifests/x.yaml", content }]).map((d) => {
      expect(d.code).toBe("NC5001");
      return (d.data as { detail: string }).detail;
    });
  // Some documents are Kubernetes objects, so both verdicts occur.
  const objects = manifests.chain((m) =>
    fc.constantFrom(
      m.text,
      m.text.replace(/^(?=[^\s#-])/m, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"),
    ),
  );

  it("on random and randomly broken files", () => {
    const seen = { fine: 0, problems: 0, yamlErrors: 0 };
    fc.assert(
      fc.property(objects, fc.array(streamEdit, { maxLength: 2 }), (text, edits) => {
        const content = breakText(text, edits);
        const yaml = parseRenderedYaml(content);
        const expected = yamlVerdict(yaml);
        expect(details(content), content).toEqual(expected);
        if (expected.length === 0) seen.fine++;
        else if (yaml.error === undefined) seen.problems++;
        else seen.yamlErrors++;
      }),
      { ...PARAMS, numRuns: 1000 },
    );
    expect(seen.fine).toBeGreaterThan(50);
    expect(seen.problems).toBeGreaterThan(50);
    expect(seen.yamlErrors).toBeGreaterThan(50);
  });

  it("keeps yaml's message for a file it cannot parse", () => {
    expect(parseBlockYamlStream("a: [\n").error).toBeDefined();
    expect(details("a: [\n")).toEqual([parseRenderedYaml("a: [\n").error]);
    expect(details("a: [\n")[0]).toMatch(/flow sequence|flow-seq/i);
  });

  it("lets yaml read a file outside the subset (a single-quoted name): fine", () => {
    const content = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'x'\n";
    expect(parseBlockYamlStream(content).error).toBeDefined();
    expect(details(content)).toEqual([]);
  });

  it("checks the objects the block reader read", () => {
    expect(parseBlockYamlStream("---\na: 1\n").error).toBeUndefined();
    expect(details("---\na: 1\n")).toEqual(["a document has no apiVersion or kind"]);
  });
});

describe("the manifest subset's hand-written scalars", () => {
  const token = fc.oneof(
    handWritten,
    fc.stringMatching(/^[-/.%0-9a-zA-Z_:#+~ ]{1,8}$/),
    fc.constantFrom(
      "-.inf",
      "-.5",
      "-1",
      "-0x1F",
      "0x1F",
      "0o7",
      "0b1",
      "010",
      "1e3",
      "1E3",
      "1_000",
      "1:20",
      "2001-12-14",
      "100 %",
      "1Ei",
      "1E",
      "-",
      "--x",
      "/a #b",
      "/a: b",
      "-y",
      "-n",
      "-on",
      "1m2",
      "0%",
      "00%",
    ),
  );

  const flowList = fc
    .array(text, { minLength: 1, maxLength: 3 })
    .map((list) => `[${list.map((t) => JSON.stringify(t)).join(", ")}]`);

  it("are read by yaml, in YAML 1.2 and 1.1, as the very strings written", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(token, flowList), fc.boolean(), (t, item) => {
        const content = item ? `- ${t}\n` : `a: ${t}\n`;
        const mine = parseBlockYaml(content, "manifests");
        // What host files accept too is yamlScalar's, tested above.
        if (mine.error !== undefined || parseBlockYaml(content).error === undefined) return;
        accepted++;
        expectSameAsYaml(content, "manifests");
        const written: unknown = t.startsWith("[") ? JSON.parse(t) : t;
        expect(mine.value).toEqual(item ? [written] : { a: written });
        expect(viaYaml11(content), content).toEqual(mine.value);
      }),
      { ...PARAMS, numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(500);
  });

  it.each([
    "-.inf",
    "-e5",
    "-E-8",
    "-1x",
    "--x",
    "0x1F",
    "1e3",
    "010",
    "1:20",
    "00%",
    "1Ei",
    "100 %",
    "/a b",
    '["a","b"]',
    '["a", "b",]',
    '[a, "b"]',
    '["a", 1]',
    '["a": "b"]',
    '["a\tb"]',
    "['a']",
  ])("refuses %s", (t) => {
    expect(parseBlockYaml(`a: ${t}\n`, "manifests").error).toBeDefined();
  });

  it.each(["/var/lib/calico", "-felix-live", "250m", "100%", '["calico-node", "-init"]'])(
    "reads %s in manifests, and not in host files (netplan stays as strict as yamlScalar)",
    (t) => {
      expectSameAsYaml(`a: ${t}\n`, "manifests");
      expect(parseBlockYaml(`a: ${t}\n`).error).toBeDefined();
    },
  );
});

describe("what parseBlockYamlStream refuses (so yaml decides)", () => {
  it.each([
    ["a marker with content", "--- x\na: 1\n"],
    ["a marker with a trailing space", "--- \na: 1\n"],
    ["a marker with a comment", "--- # c\na: 1\n"],
    ["a longer marker", "----\na: 1\n"],
    ["a document end marker", "a: 1\n...\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["a marker without a newline", "a: 1\n---"],
    ["a marker after a carriage return", "a: 1\r\n---\nb: 2\n"],
    ["a refused document after a fine one", "a: 1\n---\nb: 'x'\n"],
  ])("%s", (_, content) => {
    expect(parseBlockYamlStream(content).error).toBeDefined();
  });

  it.each([
    ["nothing", "", []],
    ["a comment only", "# c\n", []],
    ["a header, then documents", "# c\n---\na: 1\n---\nb: 2\n", [{ a: 1 }, { b: 2 }]],
    ["empty documents", "---\n---\n# c\n---\na: 1\n---\n", [{ a: 1 }]],
    ["a document before the first marker", "a: 1\n---\nb: 2\n", [{ a: 1 }, { b: 2 }]],
  ])("reads %s as yaml does", (_, content, docs) => {
    expect(parseBlockYamlStream(content)).toEqual({ docs });
    expectStreamAsYaml(content);
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
  const maybeBroken = (text: fc.Arbitrary<string>) =>
    fc
      .tuple(text, fc.array(edit, { maxLength: 1 }), fc.nat({ max: 9 }))
      .map(([t, edits, r]) => (r === 0 ? breakText(t, edits) : t));
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
