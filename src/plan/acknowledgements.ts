/**
 * Acknowledgements: a disruptive change passes the gate only when the Cluster's
 * `spec.acknowledgements` names that very change — resource, field, from and to — with a
 * reason. It cannot approve a different later change (other values do not match), and one that
 * matches nothing is a warning, so stale entries are removed after the merge.
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic, Severity } from "../diagnostics/types.js";
import type { Acknowledgement } from "../model/types.js";
import { yamlScalar } from "../util/quote.js";
import type { ChangeKey, Disruption } from "./types.js";

/** `IPPool/p encapsulation IPIP -> VXLAN`: how messages name a change. */
export function changeText(key: ChangeKey): string {
  return `${key.resource} ${key.field} ${key.from} -> ${key.to}`;
}

/** The YAML entry that acknowledges a change (the reason is the reviewer's to write). */
export function acknowledgementSnippet(key: ChangeKey): string {
  return `{resource: ${yamlScalar(key.resource)}, field: ${yamlScalar(key.field)}, from: ${yamlScalar(key.from)}, to: ${yamlScalar(key.to)}, reason: "..."}`;
}

/** The same entry as block YAML, for the formatters. */
export function acknowledgementYaml(key: ChangeKey): string {
  return [
    `- resource: ${yamlScalar(key.resource)}`,
    `  field: ${yamlScalar(key.field)}`,
    `  from: ${yamlScalar(key.from)}`,
    `  to: ${yamlScalar(key.to)}`,
    `  reason: "<why this disruption is acceptable now>"`,
  ].join("\n");
}

function matches(ack: Acknowledgement, key: ChangeKey): boolean {
  return (
    ack.resource === key.resource &&
    ack.field === key.field &&
    ack.from === key.from &&
    ack.to === key.to
  );
}

/**
 * Marks every acknowledged disruption (mutating `acknowledged`) and returns the diagnostics:
 * an error per unacknowledged disruption at its changed field, a warning per unused entry.
 * `severityOf` gives a plan rule's configured severity (its findings carry the rule id).
 */
export function applyAcknowledgements(
  disruptions: readonly Disruption[],
  acknowledgements: readonly Acknowledgement[],
  severityOf: (d: Disruption) => Severity,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const used = new Set<Acknowledgement>();
  for (const d of disruptions) {
    const ack = acknowledgements.find((a) => !used.has(a) && matches(a, d.change));
    if (ack) used.add(ack);
    if (ack && d.acknowledgeable) {
      const span = ack.source.span;
      d.acknowledged = {
        reason: ack.reason,
        file: span.file,
        line: span.line,
        column: span.column,
      };
      continue;
    }
    if (ack) {
      out.push(
        diagnostic(
          "NC6003",
          ack.source.span,
          {
            change: changeText(d.change),
            why: "Calico rejects this change whatever acknowledges it",
          },
          { resource: d.change.resource },
        ),
      );
    }
    out.push(disruptionDiagnostic(d, severityOf(d)));
  }
  for (const ack of acknowledgements) {
    if (used.has(ack)) continue;
    const near = disruptions.find(
      (d) => d.change.resource === ack.resource && d.change.field === ack.field,
    );
    const hint = near ? ` (the plan has ${changeText(near.change)})` : "";
    out.push(
      diagnostic("NC6002", ack.source.span, {
        change: changeText({
          resource: ack.resource,
          field: ack.field,
          from: ack.from,
          to: ack.to,
        }),
        hint,
      }),
    );
  }
  return out;
}

function disruptionDiagnostic(d: Disruption, severity: Severity): Diagnostic {
  const related = d.related;
  if (!d.acknowledgeable) {
    // A plan rule's own finding: the rule id is the code, its message says what to do.
    return {
      code: d.code,
      severity,
      message: d.breaks,
      file: d.span.file,
      line: d.span.line,
      column: d.span.column,
      endLine: d.span.endLine,
      endColumn: d.span.endColumn,
      resource: d.change.resource,
      related,
    };
  }
  return diagnostic(
    "NC6001",
    d.span,
    {
      change: d.title,
      breaks: d.breaks,
      ack: acknowledgementSnippet(d.change),
    },
    { resource: d.change.resource, related },
  );
}
