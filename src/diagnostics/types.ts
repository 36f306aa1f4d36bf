/** One finding about the input, always with a real source location. */
export type Severity = "error" | "warning" | "info";

/** 1-based line and column; `end*` is exclusive of the last character's successor. */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface RelatedLocation extends Span {
  readonly message: string;
}

export interface Waiver {
  readonly reason: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Diagnostic extends Span {
  /** Rule id (kebab-case) for policy findings, NCnnnn for pipeline errors. */
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** The values filled into the message's placeholders (pipeline codes); tests assert these. */
  readonly data?: Readonly<Record<string, string | number>>;
  /** "Kind/name" of the resource the finding is about, when there is one. */
  readonly resource?: string;
  readonly related: readonly RelatedLocation[];
  /** Set when a waiver annotation covers this finding; it then never fails the gate. */
  readonly waived?: Waiver;
}

export interface DiagnosticSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly waived: number;
}

const severityRank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    severityRank[a.severity] - severityRank[b.severity] ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message)
  );
}

/** Deterministic order: by file, position, severity, code, message. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(compareDiagnostics);
}

export function summarize(diagnostics: readonly Diagnostic[]): DiagnosticSummary {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let waived = 0;
  for (const d of diagnostics) {
    if (d.waived) waived++;
    else if (d.severity === "error") errors++;
    else if (d.severity === "warning") warnings++;
    else infos++;
  }
  return { errors, warnings, infos, waived };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error" && !d.waived);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
