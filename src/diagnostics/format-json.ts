/** The versioned JSON shape the README documents: add fields freely, never rename. */
import type { Diagnostic } from "./types.js";
import { summarize } from "./types.js";

export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    resource: d.resource ?? null,
    related: d.related.map((r) => ({ ...r })),
    waived: d.waived ? { ...d.waived } : null,
  };
}

export function formatJson(diagnostics: readonly Diagnostic[]): string {
  const body = {
    version: 1,
    diagnostics: diagnostics.map(diagnosticJson),
    summary: summarize(diagnostics),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
