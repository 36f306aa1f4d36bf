/**
 * Text diagnostics, as compilers print them: `file:line:col: severity code: message`, then
 * the source line and a caret under the span, then related locations, then the docs link.
 * Everything from the repository (messages, file names, the source line, the link of a
 * Policy's id) is printed through `terminalText`, and the source line is cut to a window
 * around the span (EXCERPT_WIDTH).
 */
import type { Colors } from "picocolors/types.js";
import type { Diagnostic } from "./types.js";
import { summarize } from "./types.js";
import { terminalText } from "../util/terminal.js";
import { plural, withThousands } from "../util/text.js";
import { shownPath } from "./paths.js";

export interface SourceLines {
  /** The text of a 1-based line of a file, when the file is known. */
  line(file: string, line: number): string | undefined;
}

export function sourceLinesFrom(sources: ReadonlyMap<string, { text: string }>): SourceLines {
  const split = new Map<string, string[]>();
  return {
    line(file, line) {
      let lines = split.get(file);
      if (!lines) {
        const text = sources.get(file)?.text;
        if (text === undefined) return undefined;
        lines = text.split(/\r?\n/);
        split.set(file, lines);
      }
      return lines[line - 1];
    },
  };
}

export interface TextOptions {
  /** Prefix for file paths (the repository as the user named it), so paths resolve from the cwd. */
  readonly pathPrefix?: string;
  /** The documentation link a finding ends with (none where it gives undefined). */
  readonly docsUrl?: (code: string) => string | undefined;
}

export function formatText(
  diagnostics: readonly Diagnostic[],
  sources: SourceLines,
  colors: Colors,
  options: TextOptions = {},
): string {
  const where = (file: string) => terminalText(shownPath(options.pathPrefix, file));
  const out: string[] = [];
  for (const d of diagnostics) {
    const sev = d.waived
      ? colors.dim(`${d.severity} (waived)`)
      : d.severity === "error"
        ? colors.red(colors.bold("error"))
        : d.severity === "warning"
          ? colors.yellow(colors.bold("warning"))
          : colors.cyan(colors.bold("info"));
    out.push(
      `${colors.bold(`${where(d.file)}:${d.line}:${d.column}`)}: ${sev} ${colors.dim(terminalText(d.code))}: ${terminalText(d.message)}`,
    );
    const snippet = excerpt(d, sources);
    if (snippet) out.push(...snippet.map((l, i) => (i === 1 ? colors.green(l) : l)));
    if (d.waived)
      out.push(
        `  ${colors.dim(`waived: ${terminalText(d.waived.reason)} (${where(d.waived.file)}:${d.waived.line})`)}`,
      );
    for (const r of d.related)
      out.push(
        `  ${colors.dim(`${where(r.file)}:${r.line}:${r.column}: note: ${terminalText(r.message)}`)}`,
      );
    const docs = options.docsUrl?.(d.code);
    if (docs) out.push(`  ${colors.dim(`docs: ${terminalText(docs)}`)}`);
  }
  const s = summarize(diagnostics);
  if (diagnostics.length > 0) out.push("");
  out.push(summaryLine(s));
  return `${out.join("\n")}\n`;
}

export function summaryLine(s: {
  errors: number;
  warnings: number;
  infos: number;
  waived: number;
}): string {
  // "info" is a mass noun here: "2 info", as compilers print it.
  const parts = [
    plural(s.errors, "error"),
    plural(s.warnings, "warning"),
    `${withThousands(s.infos)} info`,
  ];
  if (s.waived) parts.push(`${s.waived} waived`);
  return parts.join(", ");
}

/** Most characters of a source line echoed under a finding: a minified file is one long line. */
export const EXCERPT_WIDTH = 160;
/** How many of them come before the span's start when the line is cut. */
const EXCERPT_LEAD = 40;

/**
 * The source line and a caret line under the span (two lines), or nothing when unknown. A line
 * longer than EXCERPT_WIDTH is cut to a window that starts EXCERPT_LEAD characters before the
 * span, with "…" where it was cut; the caret is placed in the escaped text as printed.
 */
function excerpt(d: Diagnostic, sources: SourceLines): string[] | undefined {
  const text = sources.line(d.file, d.line);
  if (text === undefined) return undefined;
  const at = Math.min(Math.max(0, d.column - 1), text.length);
  const spanEnd = d.endLine === d.line ? Math.max(at + 1, d.endColumn - 1) : text.length;
  let from = 0;
  let to = text.length;
  if (text.length > EXCERPT_WIDTH) {
    from = wholeCharacter(
      text,
      Math.max(0, Math.min(at - EXCERPT_LEAD, text.length - EXCERPT_WIDTH)),
      1,
    );
    to = wholeCharacter(text, Math.min(text.length, from + EXCERPT_WIDTH), -1);
  }
  const before = `${from > 0 ? "…" : ""}${terminalText(text.slice(from, at))}`;
  const line = `${before}${terminalText(text.slice(at, to))}${to < text.length ? "…" : ""}`;
  const width = Math.max(1, terminalText(text.slice(at, Math.min(spanEnd, to))).length);
  const gutter = `${d.line} | `;
  const pad = " ".repeat(gutter.length - 2) + "| ";
  return [`${gutter}${line}`, `${pad}${before.replace(/[^\t]/g, " ")}${"^".repeat(width)}`];
}

/** `i`, moved by `step` when it would split a surrogate pair (an emoji) in two. */
function wholeCharacter(text: string, i: number, step: 1 | -1): number {
  const low = text.charCodeAt(i);
  return i > 0 && i < text.length && low >= 0xdc00 && low <= 0xdfff ? i + step : i;
}
