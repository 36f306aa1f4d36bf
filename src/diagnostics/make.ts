import { catalog, formatMessage, type DiagnosticCode } from "./catalog.js";
import type { Diagnostic, RelatedLocation, Span } from "./types.js";

export interface DiagnosticExtras {
  readonly resource?: string;
  readonly related?: readonly RelatedLocation[];
}

/** A pipeline diagnostic from the catalog, at `span`. */
export function diagnostic(
  code: DiagnosticCode,
  span: Span,
  data: Readonly<Record<string, string | number>> = {},
  extras: DiagnosticExtras = {},
): Diagnostic {
  return {
    code,
    severity: catalog[code].severity,
    message: formatMessage(code, data),
    file: span.file,
    line: span.line,
    column: span.column,
    endLine: span.endLine,
    endColumn: span.endColumn,
    ...(extras.resource === undefined ? {} : { resource: extras.resource }),
    related: extras.related ?? [],
  };
}

/** The span for a finding about a whole file (line 1, column 1). */
export function fileSpan(file: string): Span {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
