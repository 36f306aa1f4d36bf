/**
 * Acknowledgements: a disruptive change passes the gate only when the Cluster's
 * `spec.acknowledgements` names that very change — resource, field, from and to — with a
 * reason. It cannot approve a different later change (other values do not match), and one that
 * matches nothing is a warning, so stale entries are removed after the merge.
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { Acknowledgement } from "../model/types.js";
import { yamlScalar } from "../util/quote.js";
import type { Acknowledged, ChangeKey, Disruption } from "./types.js";

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

/** What matching needs of a disruption (the plan's, before its acknowledgement is known). */
type Unacknowledged = Omit<Disruption, "acknowledged" | "addresses">;

/**
 * Matches the acknowledgements with the disruptions and returns each disruption with its
 * acknowledgement (a new object; the input is not changed) and the diagnostics: an error per
 * unacknowledged disruption at its changed field, a warning per unused entry.
 */
export function applyAcknowledgements<D extends Unacknowledged>(
  found: readonly D[],
  acknowledgements: readonly Acknowledgement[],
): {
  readonly disruptions: readonly (D & { readonly acknowledged: Acknowledged | undefined })[];
  readonly diagnostics: readonly Diagnostic[];
} {
  const out: Diagnostic[] = [];
  const used = new Set<Acknowledgement>();
  const disruptions = found.map((d) => {
    const ack = acknowledgements.find((a) => !used.has(a) && matches(a, d.change));
    if (ack) used.add(ack);
    if (ack && d.acknowledgeable) {
      const span = ack.source.span;
      const acknowledged: Acknowledged = {
        reason: ack.reason,
        file: span.file,
        line: span.line,
        column: span.column,
      };
      return { ...d, acknowledged };
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
    out.push(disruptionDiagnostic(d));
    return { ...d, acknowledged: undefined };
  });
  for (const ack of acknowledgements) {
    if (used.has(ack)) continue;
    const near = found.find(
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
  return { disruptions, diagnostics: out };
}

function disruptionDiagnostic(d: Unacknowledged): Diagnostic {
  const related = d.related;
  if (!d.acknowledgeable) {
    // A plan rule's own finding: the rule id is the code, its message says what to do.
    return {
      code: d.code,
      severity: d.severity,
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
