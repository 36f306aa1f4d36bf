/**
 * A reader for the YAML subset netcompile's templates write: block mappings and sequences
 * indented with spaces, full-line comments, and on each line at most one scalar, written the way
 * `yamlScalar` (quote.ts) writes it — a plain word, an integer or decimal, true/false/null, or a
 * JSON double-quoted string — or an empty flow collection. Host files (netplan) hold nothing
 * else. Manifests (parseBlockYamlStream) are several documents between `---` lines and may also
 * hold the plain paths, flags and quantities their templates write by hand, as Calico's do, and
 * flow sequences of quoted strings (`command: ["calico-node", "-init"]`).
 *
 * It replaces parsing every rendered file back with the `yaml` library (a full YAML 1.2
 * parser building a document tree, most of a build's CPU at 10,000 nodes): a single pass over
 * the lines, no tree. It is stricter than YAML, never looser: whatever it accepts, `yaml` parses
 * without error to the same value (src/render/block-yaml.test.ts checks this on every rendered
 * host and manifests file and on random and randomly broken documents); anything else — tabs,
 * other flow collections with content, anchors, tags, block scalars, multi-line or
 * single-quoted scalars, trailing comments, document markers but a bare `---` between
 * manifests, directives, duplicate keys, characters YAML 1.1 (libyaml, which netplan uses)
 * reads as line breaks — is refused, so a file it accepts means the same to netplan and to
 * go-yaml (kubectl, Argo CD) as to `yaml`.
 */
import type { Piece, SharedText } from "./pieces.js";
import { must } from "../util/must.js";
import { isPlainSafe } from "../util/quote.js";

export type BlockYamlResult =
  | { readonly value: unknown; readonly error?: undefined }
  | { readonly value?: undefined; readonly error: string };

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;
/** JSON.stringify's output: escapes \" \\ \b \f \n \r \t \uXXXX only, no raw tab. */
const STRING = String.raw`"(?:[^"\\\t]|\\["\\bfnrt]|\\u[0-9a-fA-F]{4})*"`;
const QUOTED = new RegExp(`^${STRING}$`);
/** A flow sequence of such strings: `[` + the strings joined by `", "` + `]` (JSON, YAML 1.1 and 1.2). */
const STRING_LIST = new RegExp(`^\\[${STRING}(?:, ${STRING})*\\]$`);
/**
 * Plain strings the manifest templates write by hand, as Calico's manifests do: an absolute
 * path, a command-line flag, a CPU or memory quantity, a percentage. YAML 1.2 and 1.1 (go-yaml
 * in kubectl and Argo CD) read each as that string: a number, boolean, null, timestamp or
 * special float starts with a digit, sign or dot, and here a `-` is followed by a letter (never
 * `.inf`, and never `e5`, which some YAML 1.1 readers take for an exponent) and digits by a unit
 * no number form has (unlike 0x, 0o, 0b, 1e3 or 1:20).
 */
const MANIFEST_PLAIN =
  /^(?:\/|-(?![eE][-+]?[0-9]+$)[A-Za-z])[A-Za-z0-9_./-]*$|^(?:0|[1-9][0-9]*)(?:%|m|[KMGT]i)$/;

/**
 * What a file may hold besides what `yamlScalar` writes: "host" files (netplan) nothing;
 * "manifests" the plain strings above and flow sequences of quoted strings, as Calico writes
 * `command: ["calico-node", "-init"]`.
 */
export type Subset = "host" | "manifests";
/**
 * Characters refused anywhere: C0 controls but tab and line feed, DEL and C1 controls (U+0085
 * is a line break to YAML 1.1), U+2028/U+2029 (line breaks to YAML 1.1), the BOM, non-characters
 * and lone surrogates. libyaml refuses or misreads each of them; JSON.stringify leaves some raw.
 */
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export type BlockYamlDocs =
  | { readonly docs: unknown[]; readonly error?: undefined }
  | { readonly docs?: undefined; readonly error: string };

class Refused extends Error {}

/** One scalar token (the rest of a line after `: ` or `- `), as the value YAML reads. */
function scalar(token: string, line: number, subset: Subset): unknown {
  if (token === "true") return true;
  if (token === "false") return false;
  if (token === "null") return null;
  if (token === "[]") return [];
  if (token === "{}") return {};
  if (subset === "manifests" && token.charCodeAt(0) === 91 /* [ */ && STRING_LIST.test(token))
    return JSON.parse(token) as string[];
  if (token.charCodeAt(0) === 34 /* " */) {
    if (QUOTED.test(token)) return JSON.parse(token) as string;
  } else if (NUMBER.test(token)) {
    const n = Number(token);
    if (Number.isSafeInteger(n) || !Number.isInteger(n)) return n;
  } else if (isPlainSafe(token) || (subset === "manifests" && MANIFEST_PLAIN.test(token))) {
    return token; // a plain string as yamlScalar writes one, or as the manifest templates do
  }
  throw new Refused(`line ${line}: ${JSON.stringify(token)} is not a scalar netcompile writes`);
}

/** A mapping key: a plain word or a quoted string, never a number, boolean or null. */
function key(token: string, line: number): string {
  const k = scalar(token, line, "host");
  if (typeof k !== "string" || token === "[]" || token === "{}")
    throw new Refused(`line ${line}: key ${JSON.stringify(token)} is not a string`);
  if (k === "__proto__") throw new Refused(`line ${line}: key "__proto__"`);
  return k;
}

interface Line {
  /** 1-based line number in the file. */
  readonly no: number;
  /** Columns of indentation (spaces). */
  indent: number;
  /** The line after its indentation. */
  text: string;
}

/** Splits `text` (no indentation) at its key's `:`; undefined when it is not `key:` or `key: v`. */
function splitEntry(text: string, no: number): [string, string | undefined] | undefined {
  let end: number;
  if (text.charCodeAt(0) === 34 /* " */) {
    // A quoted key: its closing quote is the first `"` not escaped.
    end = 1;
    for (;;) {
      const c = text.charCodeAt(end);
      if (Number.isNaN(c)) throw new Refused(`line ${no}: an unterminated quoted string`);
      if (c === 92 /* \ */) end += 2;
      else if (c === 34) break;
      else end++;
    }
    end++;
    if (text.charCodeAt(end) !== 58 /* : */) return undefined;
  } else {
    end = text.indexOf(":");
    if (end < 0) return undefined;
  }
  const k = text.slice(0, end);
  if (end + 1 === text.length) return [k, undefined];
  if (text.charCodeAt(end + 1) !== 32 /* space */)
    throw new Refused(`line ${no}: ":" not followed by a space`);
  return [k, text.slice(end + 2)];
}

class Reader {
  private pos = 0;
  constructor(
    private readonly lines: Line[],
    private readonly subset: Subset,
  ) {}

  /** The whole document. */
  document(): unknown {
    const first = this.lines[0];
    if (!first) return undefined;
    if (first.indent !== 0) throw new Refused(`line ${first.no}: the document is indented`);
    const value = this.block(0);
    const rest = this.lines[this.pos];
    if (rest) throw new Refused(`line ${rest.no}: unexpected indentation or entry`);
    return value;
  }

  /** The block starting at the next line, which is indented exactly `indent`. */
  private block(indent: number): unknown {
    const line = must(this.lines[this.pos], "the block's first line");
    return line.text.startsWith("- ") || line.text === "-"
      ? this.sequence(indent)
      : this.mapping(indent);
  }

  /** The value of an entry whose line ended with `:` (or `-`): a deeper block, else null. */
  private nested(indent: number): unknown {
    const next = this.lines[this.pos];
    if (!next || next.indent <= indent) return null;
    return this.block(next.indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.lines[this.pos]; line?.indent === indent; line = this.lines[this.pos]) {
      const entry = splitEntry(line.text, line.no);
      if (!entry) throw new Refused(`line ${line.no}: expected "key: value" in a mapping`);
      const k = key(entry[0], line.no);
      if (Object.hasOwn(out, k)) throw new Refused(`line ${line.no}: duplicate key ${k}`);
      this.pos++;
      if (entry[1] === undefined) out[k] = this.nested(indent);
      else {
        out[k] = scalar(entry[1], line.no, this.subset);
        this.noDeeper(indent);
      }
    }
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.lines[this.pos]; line?.indent === indent; line = this.lines[this.pos]) {
      if (line.text === "-") {
        this.pos++;
        out.push(this.nested(indent));
        continue;
      }
      if (!line.text.startsWith("- "))
        throw new Refused(`line ${line.no}: expected "- item" in a sequence`);
      const rest = line.text.slice(2);
      if (rest.charCodeAt(0) === 32) throw new Refused(`line ${line.no}: "- " followed by spaces`);
      const entry = splitEntry(rest, line.no);
      if (entry) {
        // "- key: value": a mapping whose keys sit two columns in.
        line.indent = indent + 2;
        line.text = rest;
        out.push(this.mapping(indent + 2));
      } else {
        this.pos++;
        out.push(scalar(rest, line.no, this.subset));
        this.noDeeper(indent);
      }
    }
    return out;
  }

  /** After a scalar entry, no line may be deeper (YAML would read a continuation or an error). */
  private noDeeper(indent: number): void {
    const next = this.lines[this.pos];
    if (next && next.indent > indent)
      throw new Refused(`line ${next.no}: unexpected indentation after a scalar`);
  }
}

/**
 * Reads one host YAML file: its value (undefined for a file of comments only), or why it is
 * not in the subset.
 */
export function parseBlockYaml(content: string, subset: Subset = "host"): BlockYamlResult {
  if (content !== "" && !content.endsWith("\n")) return { error: "does not end with a newline" };
  const bad = UNPRINTABLE.exec(content);
  if (bad) {
    const line = content.slice(0, bad.index).split("\n").length;
    return {
      error: `line ${line}: character U+${bad[0].charCodeAt(0).toString(16).padStart(4, "0")}`,
    };
  }
  const lines: Line[] = [];
  let start = 0;
  for (let no = 1; start < content.length; no++) {
    const end = content.indexOf("\n", start);
    const raw = content.slice(start, end);
    start = end + 1;
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    if (indent === raw.length) {
      if (indent > 0) return { error: `line ${no} has only spaces` };
      continue;
    }
    const text = indent === 0 ? raw : raw.slice(indent);
    if (text.charCodeAt(0) === 35 /* # */) continue;
    lines.push({ no, indent, text });
  }
  try {
    return { value: new Reader(lines, subset).document() };
  } catch (error) {
    if (error instanceof Refused) return { error: error.message };
    throw error;
  }
}

/** A line that starts, ends or directs a YAML document, other than a plain `---`. */
const MARKER_LIKE = /^(?:---|\.\.\.|%)/;

/**
 * Reads a stream of documents separated by lines that are exactly `---` (how the manifest
 * templates write them): the documents' values, without the empty ones (nothing but comments,
 * or nothing before the first `---`), as `yaml`'s parseAllDocuments gives them once nulls are
 * dropped; or why it is not in the subset. Any other line a YAML reader could take for a
 * marker or a directive (`--- x`, `---` with a trailing space, `...`, `%YAML`) is refused.
 */
export function parseBlockYamlStream(content: string): BlockYamlDocs {
  if (content !== "" && !content.endsWith("\n")) return { error: "does not end with a newline" };
  const docs: unknown[] = [];
  let start = 0;
  let no = 1;
  let documentStart = 0;
  let documentNo = 1;
  const take = (end: number): string | undefined => {
    const { value, error } = parseBlockYaml(content.slice(documentStart, end), "manifests");
    if (error !== undefined) return `the document at line ${documentNo}: ${error}`;
    if (value !== undefined && value !== null) docs.push(value);
    return undefined;
  };
  for (; start < content.length; no++) {
    const end = content.indexOf("\n", start) + 1;
    if (content.startsWith("---\n", start)) {
      const error = take(start);
      if (error !== undefined) return { error };
      documentStart = end;
      documentNo = no + 1;
    } else if (MARKER_LIKE.test(content.slice(start, start + 3))) {
      return { error: `line ${no}: a document marker or directive` };
    }
    start = end;
  }
  const error = take(content.length);
  return error === undefined ? { docs } : { error };
}

/**
 * True when the file the pieces join into passes `check` (parseBlockYaml and what the caller
 * asks of its value, e.g. netplan's version), reading each distinct item text once; false means
 * "read the whole file". The argument, which src/render/block-yaml.test.ts tests:
 *  - every item text of an eachItem run's shared text is exactly one sequence item at one
 *    indentation k (a "- " line at k, then only deeper lines), read on its own, and the run
 *    starts a line;
 *  - the file with each run cut down to its first item passes `check`.
 * In the reduced file the first item is read as an item of a sequence at k, and the reader is
 * back in that sequence after it; each further item, read there, consumes exactly its own
 * lines and adds no key to any enclosing mapping. So the whole file reads without error, and to
 * the reduced file's value with longer sequences: `check` sees the same mappings and scalars.
 */
export function blockYamlPiecesFine(
  pieces: readonly Piece[],
  check: (content: string) => string | undefined,
): boolean {
  const reduced: string[] = [];
  let atLineStart = true;
  for (const piece of pieces) {
    if (typeof piece === "string") {
      reduced.push(piece);
      if (piece !== "") atLineStart = piece.endsWith("\n");
      continue;
    }
    const first = piece.ranges[0];
    if (!first) continue;
    if (!atLineStart || uniformIndent(piece.source) === undefined) return false;
    reduced.push(must(piece.source.texts[first[0]], "a run's first item"));
  }
  return check(reduced.join("")) === undefined;
}

/** Each shared text's items read once: the one indentation they all are an item at, if any. */
const indents = new WeakMap<SharedText, number | undefined>();

function uniformIndent(source: SharedText): number | undefined {
  if (indents.has(source)) return indents.get(source);
  let indent: number | undefined;
  for (const [i, text] of source.texts.entries()) {
    const k = readItem(text);
    if (k === undefined || (i > 0 && k !== indent)) {
      indent = undefined;
      break;
    }
    indent = k;
  }
  indents.set(source, indent);
  return indent;
}

/** The indentation of a text that is exactly one sequence item, read on its own; else undefined. */
function readItem(item: string): number | undefined {
  if (!item.endsWith("\n")) return undefined;
  let k = 0;
  while (item.charCodeAt(k) === 32) k++;
  if (item.charCodeAt(k) !== 45 /* - */) return undefined;
  const pad = " ".repeat(k);
  const lines: string[] = [];
  for (const line of item.slice(0, -1).split("\n")) {
    if (line.startsWith(pad)) lines.push(line.slice(k));
    else if (line === "") lines.push(line);
    else if (/^ *#/.test(line))
      lines.push(line.trimStart()); // a comment, at any indentation
    else return undefined;
  }
  const { value, error } = parseBlockYaml(`${lines.join("\n")}\n`);
  return error === undefined && Array.isArray(value) && value.length === 1 ? k : undefined;
}
