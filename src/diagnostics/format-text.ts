/**
 * Text diagnostics, as compilers print them: `file:line:col: severity code: message`, then
 * the source line and a caret under the span, then related locations, then the docs link.
 */
import type { Colors } from "picocolors/types.js";
import type { Diagnostic } from "./types.js";
import { summarize } from "./types.js";
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
  const where = (file: string) => shownPath(options.pathPrefix, file);
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
      `${colors.bold(`${where(d.file)}:${d.line}:${d.column}`)}: ${sev} ${colors.dim(d.code)}: ${d.message}`,
    );
    const snippet = excerpt(d, sources);
    if (snippet) out.push(...snippet.map((l, i) => (i === 1 ? colors.green(l) : l)));
    if (d.waived)
      out.push(
        `  ${colors.dim(`waived: ${d.waived.reason} (${where(d.waived.file)}:${d.waived.line})`)}`,
      );
    for (const r of d.related)
      out.push(`  ${colors.dim(`${where(r.file)}:${r.line}:${r.column}: note: ${r.message}`)}`);
    const docs = options.docsUrl?.(d.code);
    if (docs) out.push(`  ${colors.dim(`docs: ${docs}`)}`);
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

/** The source line and a caret line under the span (two lines), or nothing when unknown. */
function excerpt(d: Diagnostic, sources: SourceLines): string[] | undefined {
  const text = sources.line(d.file, d.line);
  if (text === undefined) return undefined;
  const gutter = `${d.line} | `;
  const width =
    d.endLine === d.line
      ? Math.max(1, d.endColumn - d.column)
      : Math.max(1, text.length - d.column + 1);
  const pad = " ".repeat(gutter.length - 2) + "| ";
  const lead = text.slice(0, d.column - 1).replace(/[^\t]/g, " ");
  return [
    `${gutter}${text}`,
    `${pad}${lead}${"^".repeat(Math.min(width, Math.max(1, text.length - d.column + 1)))}`,
  ];
}
