/**
 * kubectl's `-o json` List read one item at a time. JSON.parse of a whole 76 MB node list builds
 * every node's images and managedFields at once, and the collector copies that live tree again
 * and again while it grows; parsed item by item, each node's tree is garbage as soon as the
 * fields netcompile reads are taken from it. The split is only a guess at where kubectl put the
 * items (a `{` alone on a line at eight spaces); it is trusted only when every piece and the
 * List around them parse on their own, which makes the file the same JSON as the pieces put
 * back together. Anything else is read whole, as before.
 */
import { JsonPositions } from "./positions.js";

const OPEN_BRACE = 123;
const NEWLINE = 10;
const SPACE = 32;
const COMMA = 44;
/** kubectl indents the elements of `items` by eight spaces. */
const ITEM_INDENT = 8;

/** A List without its items, and each item's bytes. */
export interface SplitList {
  /** The List's other members as JSON.parse gives them (`items` left out). */
  readonly list: Readonly<Record<string, unknown>>;
  /** Byte ranges of the items, in order, each one JSON value. */
  readonly items: readonly { readonly start: number; readonly end: number }[];
}

/** The items of a kubectl JSON List, or undefined when the file is not one (read it whole). */
export function splitKubectlList(bytes: Buffer): SplitList | undefined {
  if (bytes[0] !== OPEN_BRACE) return undefined;
  const starts = itemStarts(bytes);
  const [first] = starts;
  if (first === undefined) return undefined;
  // The List's text before the first item must end with the `[` that opens `items`.
  const open = lastNonSpace(bytes, first);
  if (open < 0 || bytes[open] !== 91) return undefined;
  const items: { start: number; end: number }[] = [];
  let start = first;
  for (const next of starts.slice(1)) {
    const comma = lastNonSpace(bytes, next);
    if (comma <= start || bytes[comma] !== COMMA) return undefined;
    items.push({ start, end: comma });
    start = next;
  }
  const close = lastItemEnd(bytes, start);
  if (close === undefined) return undefined;
  items.push({ start, end: close });

  // The List without its items: `items` must be its one member of that name, an array starting
  // at `open` that holds exactly what was cut out (one placeholder here).
  const head = bytes.toString("utf8", 0, open + 1);
  const envelope = `${head}0${bytes.toString("utf8", close)}`;
  let list: unknown;
  try {
    list = JSON.parse(envelope);
  } catch {
    return undefined;
  }
  if (list === null || typeof list !== "object" || Array.isArray(list)) return undefined;
  const record = list as Record<string, unknown>;
  if (!Array.isArray(record.items) || record.items.length !== 1 || record.items[0] !== 0)
    return undefined;
  const json = new JsonPositions("", envelope);
  const members = json.members(json.root()).filter((m) => m.name === "items");
  if (members.length !== 1 || members[0]?.start !== head.length - 1) return undefined;
  delete record.items;
  return { list: record, items };
}

/** Offsets of each `{` that is alone on its line at kubectl's item indent. */
function itemStarts(bytes: Buffer): number[] {
  const out: number[] = [];
  for (let i = bytes.indexOf(OPEN_BRACE); i >= 0; i = bytes.indexOf(OPEN_BRACE, i + 1)) {
    if (bytes[i + 1] !== NEWLINE || bytes[i - ITEM_INDENT - 1] !== NEWLINE) continue;
    let indented = true;
    for (let j = i - ITEM_INDENT; j < i; j++) if (bytes[j] !== SPACE) indented = false;
    if (indented) out.push(i);
  }
  return out;
}

/** The offset of the last byte before `end` that is not JSON whitespace (-1: none). */
function lastNonSpace(bytes: Buffer, end: number): number {
  let i = end - 1;
  while (
    i >= 0 &&
    (bytes[i] === SPACE || bytes[i] === NEWLINE || bytes[i] === 13 || bytes[i] === 9)
  )
    i--;
  return i;
}

/** The offset after the last item: after the `}` that closes it at kubectl's item indent. */
function lastItemEnd(bytes: Buffer, last: number): number | undefined {
  const marker = `\n${" ".repeat(ITEM_INDENT)}}`;
  const at = bytes.lastIndexOf(marker);
  return at > last ? at + marker.length : undefined;
}
