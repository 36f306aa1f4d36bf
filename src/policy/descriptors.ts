/**
 * What SARIF says about each code: built-in rules with their docs page as help, the
 * organisation's Policy documents, and the NCnnnn pipeline codes from the catalog.
 */
import { readAsset } from "../assets.js";
import { catalog, type DiagnosticCode } from "../diagnostics/catalog.js";
import type { SarifRule } from "../diagnostics/format-sarif.js";
import type { Severity } from "../diagnostics/types.js";
import type { Model } from "../model/types.js";
import { rules as builtinRules } from "./rules/index.js";

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
      out.push({
        id: code,
        shortDescription: rule.meta.description,
        helpMarkdown: readAsset(`policies/docs/${code}.md`),
        defaultLevel: rule.meta.defaultSeverity,
        tags: [SARIF_TAGS[rule.meta.category ?? "topology"]],
      });
      continue;
    }
    const policy = policies.get(code);
    if (policy) {
      const spec = policy.spec as { message?: string; description?: string; severity?: Severity };
      out.push({
        id: code,
        shortDescription: spec.message ?? code,
        ...(spec.description ? { fullDescription: spec.description } : {}),
        defaultLevel: spec.severity ?? "error",
        tags: ["organisation-policy"],
      });
      continue;
    }
    const entry = (catalog as Record<string, (typeof catalog)[DiagnosticCode] | undefined>)[code];
    if (entry) {
      out.push({
        id: code,
        shortDescription: entry.title,
        defaultLevel: entry.severity,
        tags: ["pipeline"],
      });
    }
  }
  return out;
}
