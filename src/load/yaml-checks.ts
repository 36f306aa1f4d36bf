/**
 * What the loader checks in a YAML file beyond its syntax, so that netcompile reads exactly what
 * a YAML 1.2 core-schema reader reads and says so when another reader would not:
 *
 * - the text holds only characters YAML allows in a stream (YAML 1.2 §5.1 c-printable): no NUL
 *   or other C0 control but tab and line breaks, no DEL, no C1 control but NEL, no U+FFFE/U+FFFF
 *   (NC1042);
 * - every tag is one of the core schema's (YAML 1.2 §10.3): an unknown tag, or YAML 1.1's
 *   !!binary, !!timestamp, !!set, !!omap, !!pairs, would otherwise be read as something
 *   netcompile never meant to accept (NC1041);
 * - no string holds a lone surrogate, which only an escape can make and nothing downstream can
 *   carry (NC1043);
 * - a plain scalar that YAML 1.1 readers (go-yaml in Kubernetes tools) read differently from
 *   YAML 1.2 — `030` (octal 24 or 30), `yes` (true or "yes"), `1:20` (80 or "1:20") — is a
 *   warning naming both readings (NC1040). The YAML 1.1 reading is the `yaml` library's own
 *   yaml-1.1 schema.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  Schema,
  visit,
  type Document,
  type LineCounter,
  type Node,
  type ScalarTag,
} from "yaml";
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { pathText } from "../util/json-pointer.js";
import { spanOfRange } from "./source.js";

/** The tags of the YAML 1.2 core schema: the only ones netcompile reads. */
const CORE_TAGS = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** What the YAML 1.1 types are, for the message. */
const TAG_WHAT: Readonly<Record<string, string>> = {
  "tag:yaml.org,2002:binary": "binary data",
  "tag:yaml.org,2002:timestamp": "a timestamp",
  "tag:yaml.org,2002:set": "a set",
  "tag:yaml.org,2002:omap": "an ordered mapping",
  "tag:yaml.org,2002:pairs": "a list of pairs",
  "tag:yaml.org,2002:merge": "a merge key",
  "tag:yaml.org,2002:value": "a default value",
  "tag:yaml.org,2002:yaml": "a YAML key",
};

/** Characters outside YAML's printable set (c-printable), as they can appear in decoded text. */
// eslint-disable-next-line no-control-regex -- these control characters are what the pattern finds
const UNPRINTABLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first character of `text` YAML does not allow, as NC1042 at its line and column. */
export function findUnprintable(file: string, text: string): Diagnostic | undefined {
  const match = UNPRINTABLE.exec(text);
  if (!match) return undefined;
  const at = match.index;
  const line = countLines(text, at);
  const column = at - text.lastIndexOf("\n", at - 1);
  const char = `U+${match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  return diagnostic(
    "NC1042",
    { file, line, column, endLine: line, endColumn: column + 1 },
    { char },
  );
}

function countLines(text: string, end: number): number {
  let n = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** Plain scalars YAML 1.1 might read as something else start like one of these. */
const MAYBE_TYPED_11 = /^[-+.0-9~]|^[yYnNoOtTfF]/;
/** The yaml-1.1 schema's implicit scalar types, each with the text it matches. */
const YAML_11_TAGS = new Schema({ schema: "yaml-1.1" }).tags.flatMap((t) =>
  t.default === true && "test" in t && t.test instanceof RegExp
    ? [{ test: t.test, tag: t as ScalarTag }]
    : [],
);

/** The value YAML 1.1 reads from a plain scalar's text. */
function yaml11Reading(text: string): unknown {
  const tag = YAML_11_TAGS.find((t) => t.test.test(text));
  if (!tag) return text;
  const value: unknown = tag.tag.resolve(text, () => undefined, {});
  return isScalar(value) ? value.value : value;
}

function sameReading(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
  return a === b;
}

function describeReading(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "boolean")
    return `the ${typeof value} ${String(value)}`;
  if (value instanceof Date) return `a timestamp (${value.toISOString()})`;
  return Object.prototype.toString.call(value);
}

/**
 * Tags, lone surrogates and YAML 1.1 readings in one parsed document. Errors (NC1041, NC1043)
 * mean the document is not read; warnings (NC1040) go with it.
 */
export function checkDocument(
  file: string,
  text: string,
  lineCounter: LineCounter,
  doc: Document.Parsed,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const span = (node: { range?: readonly number[] | null }, start?: number) => {
    const [from = 0, to = 0] = node.range ?? [];
    return spanOfRange(file, lineCounter, start ?? from, to);
  };
  visit(doc, {
    Node(_, node, path) {
      const tag = (node as { tag?: string }).tag;
      if (tag !== undefined && !CORE_TAGS.has(tag)) {
        const written = doc.directives.tagString(tag);
        const start = node.range ? text.lastIndexOf(written, node.range[0]) : -1;
        const at = span(node, start >= 0 ? start : undefined);
        out.push(
          diagnostic(
            "NC1041",
            { ...at, endLine: at.line, endColumn: at.column + written.length },
            { tag: written, what: TAG_WHAT[tag] ?? "a tag of another application" },
          ),
        );
        return visit.SKIP;
      }
      if (!isScalar(node)) return undefined;
      const scalar = node;
      if (typeof scalar.value === "string" && LONE_SURROGATE.test(scalar.value)) {
        const half = (LONE_SURROGATE.exec(scalar.value)?.[0] ?? "").charCodeAt(0);
        out.push(
          diagnostic("NC1043", span(scalar), {
            field: fieldName(path, scalar),
            escape: `\\u${half.toString(16)}`,
          }),
        );
        return undefined;
      }
      if (tag === undefined && scalar.type === "PLAIN") {
        const source = typeof scalar.source === "string" ? scalar.source : undefined;
        if (source === undefined || !MAYBE_TYPED_11.test(source)) return undefined;
        const reading11 = yaml11Reading(source);
        if (sameReading(reading11, scalar.value)) return undefined;
        out.push(
          diagnostic("NC1040", span(scalar), {
            field: fieldName(path, scalar),
            text: source,
            reading: describeReading(scalar.value),
            reading11: describeReading(reading11),
            fix: fixFor(source, scalar.value),
          }),
        );
      }
      return undefined;
    },
  });
  return out;
}

/** The unambiguous way to write what netcompile reads. */
function fixFor(source: string, value: unknown): string {
  const quoted = JSON.stringify(source);
  if (typeof value === "string") return `quote it (${quoted}) so every reader reads the string`;
  return `write ${String(value)} for the ${typeof value} netcompile reads, or quote it (${quoted}) for the string`;
}

/** `spec.blockSize`, `metadata.labels.on (a key)`: where a node sits in its document. */
function fieldName(path: readonly unknown[], node: Node): string {
  const chain = [...path, node];
  const keys: (string | number)[] = [];
  let isKey = false;
  for (let i = 0; i < chain.length; i++) {
    const here = chain[i];
    const next = chain[i + 1];
    if (isPair(here)) {
      const pair = here;
      if (next === pair.key) {
        isKey = true;
        keys.push(isScalar(pair.key) ? String(pair.key.value) : "?");
        break;
      }
      keys.push(isScalar(pair.key) ? String(pair.key.value) : "?");
    } else if (isSeq(here) && next !== undefined) {
      keys.push(here.items.indexOf(next));
    } else if (isMap(here) && next === undefined) break;
  }
  if (isKey) {
    const key = keys.pop() ?? "?";
    return `the key ${JSON.stringify(key)} of ${keys.length ? pathText(keys) : "the document"}`;
  }
  return keys.length ? pathText(keys) : "the document";
}
