import { catalog, formatMessage, type DiagnosticCode, type MessageData } from "./catalog.js";
import type { Diagnostic, RelatedLocation, Span } from "./types.js";

export interface DiagnosticExtras {
  readonly resource?: string;
  readonly related?: readonly RelatedLocation[];
}

/** A code's data and extras: the data may be left out only when its message has no placeholder. */
export type DiagnosticArgs<C extends DiagnosticCode> =
  MessageData<C> extends Readonly<Record<string, never>>
    ? [data?: MessageData<C>, extras?: DiagnosticExtras]
    : [data: MessageData<C>, extras?: DiagnosticExtras];

/** A pipeline diagnostic from the catalog, at `span`; `data` is kept beside the message. */
export function diagnostic<C extends DiagnosticCode>(
  code: C,
  span: Span,
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it: {} is MessageData<C> only for codes without placeholders, where data may be left out
  ...[data = {} as MessageData<C>, extras = {}]: DiagnosticArgs<C>
): Diagnostic {
  return {
    code,
    severity: catalog[code].severity,
    message: formatMessage(code, data),
    data,
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
