/**
 * What SARIF says about each code: built-in rules and NC codes with their page as help (rules:
 * policies/docs/<id>.md; codes: their section of docs/diagnostics.md), and the organisation's
 * Policy documents with what they say of themselves.
 */
import { catalog, type DiagnosticCode } from "../diagnostics/catalog.js";
import type { SarifRule } from "../diagnostics/format-sarif.js";
import type { Severity } from "../diagnostics/types.js";
import type { Model } from "../model/types.js";
import { docsUrl, helpFor } from "./docs.js";
import { rules as builtinRules } from "./rules/index.js";
import { must } from "../util/must.js";

const SARIF_TAGS = {
  calico: "calico-parity",
  topology: "topology",
  operator: "tigera-operator",
  live: "live",
} as const;

export function ruleDescriptors(model: Model | undefined, codes: Iterable<string>): SarifRule[] {
  const builtin = new Map(builtinRules.map((r) => [r.id, r]));
  const policies = new Map((model?.policies ?? []).map((p) => [p.name, p]));
  const out: SarifRule[] = [];
  for (const code of new Set(codes)) {
    const rule = builtin.get(code);
    if (rule) {
      const help = must(helpFor(code), `the help of ${code}`);
      out.push({
        id: code,
        shortDescription: rule.meta.description,
        fullDescription: help.description,
        help,
        helpUri: must(docsUrl(code), `the docs link of ${code}`),
        defaultLevel: rule.meta.defaultSeverity,
        tags: [SARIF_TAGS[rule.meta.category ?? "topology"]],
      });
      continue;
    }
    const policy = policies.get(code);
    if (policy) {
      const spec = policy.spec as { message?: string; description?: string; severity?: Severity };
      const short = spec.message ?? `Organisation policy ${code}.`;
      const full = spec.description ?? short;
      out.push({
        id: code,
        shortDescription: short,
        fullDescription: full,
        help: {
          text: `${full}\n\nAn organisation policy: the Policy document ${code} in the repository.`,
          markdown: `${full}\n\nAn organisation policy: the \`Policy\` document \`${code}\` in the repository.`,
        },
        defaultLevel: spec.severity ?? "error",
        tags: ["organisation-policy"],
      });
      continue;
    }
    const entry = (catalog as Record<string, (typeof catalog)[DiagnosticCode] | undefined>)[code];
    if (entry) {
      // A code without its section in docs/diagnostics.md (a test forbids it) still gets help.
      const help = helpFor(code) ?? {
        description: `${entry.title}.`,
        text: `${entry.title}: ${entry.message}`,
        markdown: `**${entry.title}:** ${entry.message}`,
      };
      out.push({
        id: code,
        shortDescription: entry.title,
        fullDescription: help.description,
        help,
        helpUri: must(docsUrl(code), `the docs link of ${code}`),
        defaultLevel: entry.severity,
        tags: ["pipeline"],
      });
    }
  }
  return out;
}
