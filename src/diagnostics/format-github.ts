/**
 * GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per finding,
 * which the runner turns into annotations on the pull request's diff, then the summary.
 *
 *   ::error file=pools.yaml,line=6,col=9,endLine=6,endColumn=20,title=pool-cidr-invalid::…
 *
 * Values are escaped as @actions/core does: `%`, CR and LF everywhere, and `:` and `,` in
 * properties — after `terminalText` has escaped every control character in what came from the
 * repository, so a message's own lines are the only line breaks and the log shows no raw ESC. Columns are given only for single-line spans (GitHub ignores them otherwise).
 * An info is a notice. A waived finding is a notice whose title names its real severity — it
 * must not look like a failure in the diff — and its message gives the waiver's reason.
 */
import { summaryLine } from "./format-text.js";
import { shownPath } from "./paths.js";
import type { Diagnostic } from "./types.js";
import { summarize } from "./types.js";
import { terminalText as t } from "../util/terminal.js";

export interface GithubOptions {
  /** Prefix for file paths (the repository as the user named it), relative to the workspace. */
  readonly pathPrefix?: string;
}

export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatGithub(
  diagnostics: readonly Diagnostic[],
  options: GithubOptions = {},
): string {
  const where = (file: string) => t(shownPath(options.pathPrefix, file));
  const out: string[] = [];
  for (const d of diagnostics) {
    const command = d.waived ? "notice" : d.severity === "info" ? "notice" : d.severity;
    const title = t(d.waived ? `${d.code} (waived ${d.severity})` : d.code);
    const properties: [string, string | number][] = [
      ["file", where(d.file)],
      ["line", d.line],
    ];
    if (d.endLine === d.line) properties.push(["col", d.column]);
    properties.push(["endLine", d.endLine]);
    if (d.endLine === d.line) properties.push(["endColumn", d.endColumn]);
    properties.push(["title", title]);
    const lines = [t(d.message)];
    if (d.waived)
      lines.push(`waived: ${t(d.waived.reason)} (${where(d.waived.file)}:${d.waived.line})`);
    for (const r of d.related)
      lines.push(`${where(r.file)}:${r.line}:${r.column}: note: ${t(r.message)}`);
    const props = properties.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(",");
    out.push(`::${command} ${props}::${escapeData(lines.join("\n"))}`);
  }
  out.push(summaryLine(summarize(diagnostics)));
  return `${out.join("\n")}\n`;
}
