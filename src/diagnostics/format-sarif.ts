/**
 * SARIF 2.1.0 (OASIS), for code scanning. A formatter only prints: the rule descriptors (and
 * their help, from the docs pages) are handed in. Deterministic: no timestamps, no absolute
 * paths for files inside the working directory, results in diagnostic order.
 *
 * - ruleId is the rule id or NC code (stable); ruleIndex points into tool.driver.rules.
 * - partialFingerprints["netcompile/v1"] hashes code, file, resource and message (and the
 *   occurrence among identical ones), not the line: a finding keeps its identity when lines
 *   above it move.
 * - A waived finding keeps its level and carries an accepted in-source suppression with the
 *   waiver's reason.
 */
import { createHash } from "node:crypto";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic, Severity, Span } from "./types.js";
import { pathsFrom } from "./paths.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export interface SarifRule {
  readonly id: string;
  /** One line: the rule's description or the catalog title. */
  readonly shortDescription: string;
  readonly fullDescription?: string;
  /** The rule's docs page (Markdown). */
  readonly helpMarkdown?: string;
  readonly defaultLevel: Severity;
  readonly tags?: readonly string[];
}

export interface SarifOptions {
  readonly toolVersion: string;
  /** Descriptors for every code that appears in the diagnostics. */
  readonly rules: readonly SarifRule[];
  /** Prefix for file paths (the repository as the user named it). */
  readonly pathPrefix?: string;
}

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  const where = pathsFrom(options.pathPrefix);
  // RFC 3986: each segment percent-encoded, so `#`, `?` and a first segment's `:` stay path.
  const uri = (file: string): string =>
    isAbsolute(file)
      ? pathToFileURL(file).href
      : where(file).split("/").map(encodeURIComponent).join("/");
  const location = (span: Span) => ({
    physicalLocation: {
      artifactLocation: { uri: uri(span.file) },
      region: {
        startLine: span.line,
        startColumn: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
      },
    },
  });

  const used = new Set(diagnostics.map((d) => d.code));
  const rules = options.rules.filter((r) => used.has(r.id)).sort((a, b) => cmp(a.id, b.id));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();

  const results = diagnostics.map((d) => {
    const identity = [d.code, d.file, d.resource ?? "", d.message].join("\0");
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    const ruleIndex = index.get(d.code);
    const fingerprint = createHash("sha256")
      .update(`${identity}\0${occurrence}`)
      .digest("hex")
      .slice(0, 32);
    return {
      ruleId: d.code,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [
        {
          ...location(d),
          ...(d.resource
            ? { logicalLocations: [{ fullyQualifiedName: d.resource, kind: "resource" }] }
            : {}),
        },
      ],
      ...(d.related.length
        ? {
            relatedLocations: d.related.map((r, i) => ({
              id: i + 1,
              ...location(r),
              message: { text: r.message },
            })),
          }
        : {}),
      partialFingerprints: { "netcompile/v1": fingerprint },
      ...(d.waived
        ? {
            suppressions: [
              {
                kind: "inSource",
                status: "accepted",
                justification: d.waived.reason,
                location: location({
                  file: d.waived.file,
                  line: d.waived.line,
                  column: d.waived.column,
                  endLine: d.waived.line,
                  endColumn: d.waived.column,
                }),
              },
            ],
          }
        : {}),
    };
  });

  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "netcompile",
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.shortDescription },
              ...(r.fullDescription ? { fullDescription: { text: r.fullDescription } } : {}),
              ...(r.helpMarkdown
                ? { help: { text: r.helpMarkdown, markdown: r.helpMarkdown } }
                : {}),
              defaultConfiguration: { level: LEVEL[r.defaultLevel] },
              ...(r.tags?.length ? { properties: { tags: [...r.tags] } } : {}),
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
