/**
 * The check of systemd-networkd and NetworkManager INI files (check.ts): comments, [Section]
 * headers and Key=Value lines, starting with a section. The real parsers are run by the host
 * tests.
 */
import type { Piece, SharedText } from "./pieces.js";
import { must } from "../util/must.js";

/**
 * A systemd / NetworkManager INI file is comments, [Section] headers and Key=Value lines, and
 * starts with a section; undefined when fine.
 * One regular expression decides, for the whole file at once (the same rules as the line by
 * line reading, which runs only to say what is wrong; src/render/check.test.ts).
 */
export function iniProblem(content: string): string | undefined {
  return INI_FILE.test(content) ? undefined : iniLineProblem(content);
}

const COMMENT = String.raw`[#;][^\n]*`;
const HEADER = String.raw`\[[A-Za-z][A-Za-z0-9-]*\]`;
const ASSIGNMENT = String.raw`[A-Za-z][A-Za-z0-9-]*=\S(?:.*\S)?`;
/** Blank lines and comments, a first [Section], then any lines; every line ends with "\n". */
const INI_FILE = new RegExp(
  `^(?:(?:${COMMENT})?\n)*${HEADER}\n(?:(?:${COMMENT}|${HEADER}|${ASSIGNMENT})?\n)*$`,
);

/** The first broken line of an INI file, or undefined when every line is fine. */
export function iniLineProblem(content: string): string | undefined {
  let section: string | undefined;
  const lines = content.split("\n");
  if (lines.at(-1) !== "") return "does not end with a newline";
  for (const [i, line] of lines.entries()) {
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([A-Za-z][A-Za-z0-9-]*)\]$/.exec(line);
    if (header) section = header[1];
    else if (!/^[A-Za-z][A-Za-z0-9-]*=\S(.*\S)?$/.test(line))
      return `line ${i + 1} is not Key=Value: ${JSON.stringify(line)}`;
    else if (section === undefined) return `line ${i + 1} is outside any [Section]`;
  }
  return section === undefined ? "has no [Section]" : undefined;
}

const LINES = new RegExp(`^(?:(?:${COMMENT}|${HEADER}|${ASSIGNMENT})?\n)*$`);
/** The first line that is neither blank nor a comment is a Key=Value line. */
const KEY_FIRST = new RegExp(`^(?:(?:${COMMENT})?\n)*[A-Za-z]`);
const HAS_HEADER = /^\[/m;

interface Summary {
  /** Every line is blank, a comment, a header or Key=Value, and ends with "\n". */
  readonly valid: boolean;
  readonly keyFirst: boolean;
  readonly header: boolean;
}

const summarise = (text: string): Summary => ({
  valid: LINES.test(text),
  keyFirst: KEY_FIRST.test(text),
  header: HAS_HEADER.test(text),
});

/** Each shared text's items read once: their summaries, and how many are invalid before each. */
interface SourceSummary {
  readonly items: readonly Summary[];
  readonly invalidBefore: readonly number[];
}
const sources = new WeakMap<SharedText, SourceSummary>();

function sourceSummary(source: SharedText): SourceSummary {
  let s = sources.get(source);
  if (!s) {
    const items = source.texts.map(summarise);
    const invalidBefore = [0];
    let invalid = 0;
    for (const item of items) invalidBefore.push((invalid += item.valid ? 0 : 1));
    sources.set(source, (s = { items, invalidBefore }));
  }
  return s;
}

/**
 * True when the file the pieces join into passes iniProblem, reading each shared text once.
 * Every piece and item is whole lines, so the file is fine exactly when every line is, no
 * Key=Value line comes before the first header, and there is one; false means "read the whole
 * file" (src/render/check.test.ts holds this to iniProblem).
 */
export function iniPiecesFine(pieces: readonly Piece[]): boolean {
  let header = false;
  const fold = (s: Summary): boolean => {
    if (!s.valid || (s.keyFirst && !header)) return false;
    header ||= s.header;
    return true;
  };
  for (const piece of pieces) {
    if (typeof piece === "string") {
      if (piece !== "" && !fold(summarise(piece))) return false;
      continue;
    }
    const { items, invalidBefore } = sourceSummary(piece.source);
    for (const [a, b] of piece.ranges) {
      if (invalidBefore[b] !== invalidBefore[a]) return false;
      // All valid: only a Key=Value line before any header can fail; one header ends the search.
      for (let i = a; i < b && !header; i++)
        if (!fold(must(items[i], "a shared item"))) return false;
    }
  }
  return header;
}
