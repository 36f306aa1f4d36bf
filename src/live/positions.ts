/**
 * Where an object of a snapshot file is, found only when a finding needs it. Values come from
 * JSON.parse (JSON) or js-yaml's constructor (YAML); neither keeps positions cheaply at tens of
 * megabytes. So positions are looked up lazily: JSON by a small scanner that walks only the
 * object asked for (and, once per file, the top-level `items` array), YAML from js-yaml's event
 * stream (source offsets of every scalar and collection), kept from the parse.
 * Both implement the repository's SourceRef, so rules point into a snapshot as into a file of
 * the repository.
 */
import { EVENT_ID, getScalarValue, type Event } from "js-yaml";
import type { Span } from "../diagnostics/types.js";
import { LineCounter } from "yaml";
import { spanOfRange, type SourceRef } from "../load/source.js";

type Path = readonly (string | number)[];

/**
 * 1-based line and column of offsets in a text, as the repository's spans count them
 * (load/source.ts spanOfRange); the line table is built on first use.
 */
export class LineIndex {
  private counter: LineCounter | undefined;

  constructor(
    readonly file: string,
    private readonly text: Text,
  ) {}

  span(start: number, end: number): Span {
    this.counter ??= countLines(textOf(this.text));
    return spanOfRange(this.file, this.counter, start, end);
  }
}

/** A file's text, or how to get it when first needed (decoding a large file only for a finding). */
export type Text = string | (() => string);

function textOf(text: Text): string {
  return typeof text === "string" ? text : text();
}

/** The text `read` gives, read once. */
function lazyText(read: () => string): () => string {
  let text: string | undefined;
  return () => (text ??= read());
}

function countLines(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) counter.addNewLine(i + 1);
  return counter;
}

/** A located value: where it starts and ends, and where its key is (a member of an object). */
interface Located {
  readonly start: number;
  readonly end: number;
  readonly keyStart: number | undefined;
  readonly keyEnd: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// JSON

const QUOTE = 34;
const BACKSLASH = 92;

/** A JSON text (already known to parse) whose values can be located by path. */
export class JsonPositions {
  private items: number[] | undefined;
  readonly lines: LineIndex;

  private readonly source: Text;

  /** `text` may be a function: the file is then decoded once, when a position is first asked for. */
  constructor(
    readonly file: string,
    text: Text,
  ) {
    this.source = typeof text === "string" ? text : lazyText(text);
    this.lines = new LineIndex(file, this.source);
  }

  private get text(): string {
    return textOf(this.source);
  }

  /** The offset where the root value starts. */
  root(): number {
    return skipWs(this.text, 0);
  }

  /** The start of element `index` of the root object's `items` array (a List). */
  item(index: number, expected: number): number | undefined {
    this.items ??= kubectlItems(this.text, expected) ?? this.scanItems();
    return this.items[index];
  }

  private scanItems(): number[] {
    const list = this.member(this.root(), "items");
    if (!list || this.text.charCodeAt(list.start) !== 91) return [];
    const out: number[] = [];
    let i = skipWs(this.text, list.start + 1);
    while (i < this.text.length && this.text.charCodeAt(i) !== 93) {
      out.push(i);
      i = skipWs(this.text, valueEnd(this.text, i));
      if (this.text.charCodeAt(i) === 44) i = skipWs(this.text, i + 1);
    }
    return out;
  }

  /** The value at `path` below the value starting at `at`, or the nearest present ancestor. */
  locate(at: number, path: Path): { located: Located; complete: boolean } {
    let here: Located = {
      start: at,
      end: valueEnd(this.text, at),
      keyStart: undefined,
      keyEnd: undefined,
    };
    for (const segment of path) {
      const next =
        typeof segment === "number"
          ? this.element(here.start, segment)
          : this.member(here.start, segment);
      if (!next) return { located: here, complete: false };
      here = next;
    }
    return { located: here, complete: true };
  }

  /** The member named `key`: the last one of that name, the one JSON.parse keeps. */
  private member(objectStart: number, key: string): Located | undefined {
    let found: Located | undefined;
    for (const m of this.eachMember(objectStart)) if (m.name === key) found = m;
    return found;
  }

  /** Every member of the object starting at `objectStart`, in the order written (duplicates too). */
  members(objectStart: number): (Located & { readonly name: string })[] {
    return [...this.eachMember(objectStart)];
  }

  private *eachMember(objectStart: number): Generator<Located & { readonly name: string }> {
    const text = this.text;
    if (text.charCodeAt(objectStart) !== 123) return;
    let i = skipWs(text, objectStart + 1);
    while (i < text.length && text.charCodeAt(i) === QUOTE) {
      const keyEnd = stringEnd(text, i);
      const raw = text.slice(i + 1, keyEnd - 1);
      const name = raw.includes("\\") ? (JSON.parse(text.slice(i, keyEnd)) as string) : raw;
      const valueStart = skipWs(text, skipWs(text, keyEnd) + 1);
      const end = valueEnd(text, valueStart);
      yield { name, start: valueStart, end, keyStart: i, keyEnd };
      i = skipWs(text, end);
      if (text.charCodeAt(i) !== 44) return;
      i = skipWs(text, i + 1);
    }
  }

  private element(arrayStart: number, index: number): Located | undefined {
    const text = this.text;
    if (text.charCodeAt(arrayStart) !== 91) return undefined;
    let i = skipWs(text, arrayStart + 1);
    for (let n = 0; i < text.length && text.charCodeAt(i) !== 93; n++) {
      const end = valueEnd(text, i);
      if (n === index) return { start: i, end, keyStart: undefined, keyEnd: undefined };
      i = skipWs(text, end);
      if (text.charCodeAt(i) !== 44) return undefined;
      i = skipWs(text, i + 1);
    }
    return undefined;
  }
}

/**
 * kubectl's `-o json` puts each element of `items` on its own line at eight spaces: found by
 * searching for that line, trusted only when the count is the one JSON.parse gave.
 */
function kubectlItems(text: string, expected: number): number[] | undefined {
  if (!text.startsWith('{\n    "')) return undefined;
  const out: number[] = [];
  const marker = "\n        {\n";
  for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + marker.length - 1)) {
    out.push(i + 9);
  }
  return out.length === expected ? out : undefined;
}

function skipWs(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** The offset after the string starting at `i` (a quote). */
function stringEnd(text: string, i: number): number {
  let j = i;
  for (;;) {
    j = text.indexOf('"', j + 1);
    if (j < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(j - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return j + 1;
  }
}

/** The offset after the value starting at `i`. */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i);
  if (c !== 123 && c !== 91) {
    let j = i;
    for (;;) {
      const d = text.charCodeAt(j);
      if (Number.isNaN(d) || d === 44 || d === 125 || d === 93 || d <= 32) return j;
      j++;
    }
  }
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === QUOTE) {
      j = stringEnd(text, j);
      continue;
    }
    if (d === 123 || d === 91) depth++;
    else if (d === 125 || d === 93) {
      depth--;
      if (depth === 0) return j + 1;
    }
    j++;
  }
  return text.length;
}

/** A SourceRef into a JSON snapshot file: the object at `start`, fields below `base`. */
export class JsonSourceRef implements SourceRef {
  constructor(
    private readonly json: JsonPositions,
    private readonly start: () => number | undefined,
    private readonly base: Path = [],
  ) {}

  get span(): Span {
    return this.at([]);
  }

  at(path: Path): Span {
    const found = this.find(path);
    if (!found) return this.json.lines.span(0, 0);
    return this.json.lines.span(found.located.start, found.located.end);
  }

  keyAt(path: Path): Span {
    const found = this.find(path);
    const { keyStart, keyEnd } = found?.complete ? found.located : {};
    if (keyStart === undefined || keyEnd === undefined) return this.at(path);
    return this.json.lines.span(keyStart, keyEnd);
  }

  child(path: Path): SourceRef {
    return new JsonSourceRef(this.json, this.start, [...this.base, ...path]);
  }

  private find(path: Path) {
    const start = this.start();
    return start === undefined ? undefined : this.json.locate(start, [...this.base, ...path]);
  }
}

// ---------------------------------------------------------------------------------------------
// YAML

/** A YAML file's js-yaml events, for locating values by path. */
export class YamlPositions {
  private subtreeEnds: Int32Array | undefined;
  readonly lines: LineIndex;

  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly events: readonly Event[],
  ) {
    this.lines = new LineIndex(file, text);
  }

  /** The event index of each document's root node, one entry per document (undefined: empty). */
  documentRoots(): (number | undefined)[] {
    const out: (number | undefined)[] = [];
    for (let i = 0; i < this.events.length; i++) {
      if (this.events[i]?.type !== EVENT_ID.DOCUMENT) continue;
      const next = this.events[i + 1];
      out.push(next && next.type !== EVENT_ID.POP ? i + 1 : undefined);
    }
    return out;
  }

  /** The event index of the value at `path` below the node at `at`, or the nearest present ancestor. */
  locate(at: number, path: Path): { node: number; key: number | undefined; complete: boolean } {
    let node = at;
    let key: number | undefined;
    for (const segment of path) {
      const next = this.childOf(node, segment);
      if (!next) return { node, key, complete: false };
      ({ node, key } = next);
    }
    return { node, key, complete: true };
  }

  span(node: number): Span {
    return this.lines.span(this.startOf(node), this.endOf(node));
  }

  keySpan(key: number): Span {
    return this.span(key);
  }

  private childOf(
    node: number,
    segment: string | number,
  ): { node: number; key: number | undefined } | undefined {
    const event = this.events[node];
    const ends = this.ends();
    // Past the last event: where a malformed stream would leave an end unset.
    const after = (i: number) => ends[i] || this.events.length;
    if (event?.type === EVENT_ID.MAPPING && typeof segment === "string") {
      let i = node + 1;
      for (let k = this.events[i]; k && k.type !== EVENT_ID.POP; k = this.events[i]) {
        const value = after(i);
        if (k.type === EVENT_ID.SCALAR && getScalarValue(this.text, k) === segment)
          return { node: value, key: i };
        i = after(value);
      }
      return undefined;
    }
    if (event?.type === EVENT_ID.SEQUENCE && typeof segment === "number") {
      let i = node + 1;
      for (let n = 0, e = this.events[i]; e && e.type !== EVENT_ID.POP; n++, e = this.events[i]) {
        if (n === segment) return { node: i, key: undefined };
        i = after(i);
      }
    }
    return undefined;
  }

  /** For each event, the index after its subtree (a scalar: itself + 1). */
  private ends(): Int32Array {
    if (this.subtreeEnds) return this.subtreeEnds;
    const ends = new Int32Array(this.events.length + 1);
    const open: number[] = [];
    for (const [i, { type: t }] of this.events.entries()) {
      if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE || t === EVENT_ID.DOCUMENT)
        open.push(i);
      else if (t === EVENT_ID.POP) {
        const o = open.pop();
        if (o !== undefined) ends[o] = i + 1;
        ends[i] = i + 1;
      } else ends[i] = i + 1;
    }
    this.subtreeEnds = ends;
    return ends;
  }

  private startOf(node: number): number {
    const e = this.events[node];
    if (e?.type === EVENT_ID.SCALAR) return e.valueStart;
    if (e?.type === EVENT_ID.MAPPING || e?.type === EVENT_ID.SEQUENCE) return e.start;
    return 0;
  }

  /** The end of the last scalar inside the node (collections have no end offset of their own). */
  private endOf(node: number): number {
    const e = this.events[node];
    if (e?.type === EVENT_ID.SCALAR) return e.valueEnd;
    const end = this.ends()[node] ?? node;
    for (let i = end - 1; i > node; i--) {
      const inner = this.events[i];
      if (inner?.type === EVENT_ID.SCALAR) return inner.valueEnd;
    }
    return this.startOf(node);
  }
}

/** A SourceRef into a YAML snapshot file: the node at event `root`, fields below `base`. */
export class YamlEventSourceRef implements SourceRef {
  constructor(
    private readonly yaml: YamlPositions,
    private readonly root: number,
    private readonly base: Path = [],
  ) {}

  get span(): Span {
    return this.at([]);
  }

  at(path: Path): Span {
    return this.yaml.span(this.yaml.locate(this.root, [...this.base, ...path]).node);
  }

  keyAt(path: Path): Span {
    const found = this.yaml.locate(this.root, [...this.base, ...path]);
    if (!found.complete || found.key === undefined) return this.at(path);
    return this.yaml.keySpan(found.key);
  }

  child(path: Path): SourceRef {
    return new YamlEventSourceRef(this.yaml, this.root, [...this.base, ...path]);
  }
}
