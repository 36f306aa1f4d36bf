/**
 * The versioned JSON shape the README documents: add fields freely, never rename. Files are
 * named as every format names them (paths.ts): from where netcompile ran.
 */
import { shownPath } from "./paths.js";
import type { Diagnostic } from "./types.js";
import { summarize } from "./types.js";

export interface JsonOptions {
  /** The repository as the user named it: the prefix of every file path. */
  readonly pathPrefix?: string;
}

export function diagnosticJson(d: Diagnostic, options: JsonOptions = {}): Record<string, unknown> {
  const where = (file: string) => shownPath(options.pathPrefix, file);
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: where(d.file),
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    resource: d.resource ?? null,
    related: d.related.map((r) => ({ ...r, file: where(r.file) })),
    waived: d.waived ? { ...d.waived, file: where(d.waived.file) } : null,
  };
}

export function formatJson(diagnostics: readonly Diagnostic[], options: JsonOptions = {}): string {
  const body = {
    version: 1,
    diagnostics: diagnostics.map((d) => diagnosticJson(d, options)),
    summary: summarize(diagnostics),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
