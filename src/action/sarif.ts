/**
 * The SARIF 2.1.0 file for github/codeql-action/upload-sarif: one result per finding, its
 * location relative to the repository root (the workspace), waived findings as suppressed
 * results. Interim: this gives way to src/diagnostics/format-sarif.ts (`validate --format
 * sarif`) once that lands, so the CLI and the Action write the same file.
 */
import { catalog } from "../diagnostics/catalog.js";
import type { Diagnostic, Span } from "../diagnostics/types.js";
import { GENERATOR } from "../emit/lock.js";
import { planRules } from "../plan/plan-rule.js";
import { rules } from "../policy/rules/index.js";
import { workspacePath } from "./annotations.js";

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI = "https://github.com/netcompile/netcompile";

export function formatSarifFile(diagnostics: readonly Diagnostic[], repoPrefix: string): string {
  const ruleIds = [...new Set(diagnostics.map((d) => d.code))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const location = (span: Span, message?: string) => ({
    physicalLocation: {
      artifactLocation: { uri: encodeURI(workspacePath(repoPrefix, span.file)) },
      region: {
        startLine: span.line,
        startColumn: span.column,
        endLine: Math.max(span.endLine, span.line),
        endColumn:
          span.endLine > span.line ? span.endColumn : Math.max(span.endColumn, span.column),
      },
    },
    ...(message === undefined ? {} : { message: { text: message } }),
  });
  const log = {
    $schema: SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "netcompile",
            semanticVersion: GENERATOR.split("/")[1],
            informationUri: INFORMATION_URI,
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: describe(id) },
            })),
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIndex.get(d.code),
          level: d.severity === "info" ? "note" : d.severity,
          message: { text: d.message },
          locations: [location(d)],
          ...(d.related.length
            ? {
                relatedLocations: d.related.map((r, i) => ({
                  id: i + 1,
                  ...location(r, r.message),
                })),
              }
            : {}),
          ...(d.waived
            ? { suppressions: [{ kind: "inSource", justification: d.waived.reason }] }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function describe(id: string): string {
  const rule = [...rules, ...planRules].find((r) => r.id === id);
  if (rule) return rule.meta.description;
  const entry = (catalog as Record<string, { title: string } | undefined>)[id];
  return entry ? entry.title : id;
}
