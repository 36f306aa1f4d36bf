/**
 * The plan as JSON, the versioned shape the README documents: {version, summary, changes[{address, action,
 * disruptive, reasons, fields}], diagnostics}. Fields are added freely, never renamed.
 * A field absent on one side has `before`/`after` null and `absent: "before" | "after"`.
 */
import { diagnosticJson, type JsonOptions } from "../diagnostics/format-json.js";
import { shownPath } from "../diagnostics/paths.js";
import { summarize } from "../diagnostics/types.js";
import type { Change, FieldChange, Plan } from "./types.js";

export function planJson(plan: Plan, options: JsonOptions = {}): Record<string, unknown> {
  const where = (file: string) => shownPath(options.pathPrefix, file);
  return {
    version: 1,
    complete: plan.complete,
    base: { ...plan.base },
    summary: { ...plan.summary },
    changes: plan.changes.map(changeJson),
    disruptions: plan.disruptions.map((d) => ({
      kind: d.kind,
      code: d.code,
      change: { ...d.change },
      title: d.title,
      breaks: d.breaks,
      steps: [...d.steps],
      affected: {
        pools: [...d.affected.pools],
        nodes: d.affected.nodes,
        nodeGroups: d.affected.nodeGroups.map((g) => ({ ...g })),
        nodeNames: [...d.affected.nodeNames],
      },
      acknowledgeable: d.acknowledgeable,
      acknowledged: d.acknowledged ? { ...d.acknowledged, file: where(d.acknowledged.file) } : null,
      addresses: [...d.addresses],
      file: where(d.span.file),
      line: d.span.line,
      column: d.span.column,
    })),
    topology: plan.topology.map((t) => ({ ...t, nodes: [...t.nodes] })),
    notes: plan.notes.map((n) => ({
      code: n.code,
      message: n.message,
      ...(n.resource === undefined ? {} : { resource: n.resource }),
    })),
    diagnostics: plan.diagnostics.map((d) => diagnosticJson(d, options)),
    diagnosticSummary: summarize(plan.diagnostics),
  };
}

export function formatPlanJson(plan: Plan, options: JsonOptions = {}): string {
  return `${JSON.stringify(planJson(plan, options), null, 2)}\n`;
}

function changeJson(c: Change): Record<string, unknown> {
  const common = {
    address: c.address,
    type: c.type,
    action: c.action,
    count: c.count,
    disruptive: c.disruptive,
    reasons: [...c.reasons],
  };
  switch (c.type) {
    case "object":
      return {
        ...common,
        fields: c.fields.map(fieldJson),
        apiVersion: c.apiVersion,
        kind: c.kind,
        namespace: c.namespace ?? null,
        name: c.name,
        file: c.file,
      };
    case "host-file":
      return {
        ...common,
        fields: [],
        path: c.path,
        group: c.group ?? null,
        nodes: [...c.nodes],
        identical: c.identical,
        variants: c.variants,
        shownFor: c.shownFor,
        diff: c.diff,
        linesAdded: c.linesAdded,
        linesRemoved: c.linesRemoved,
      };
    case "file":
      return { ...common, fields: [], path: c.path, diff: c.diff };
  }
}

function fieldJson(f: FieldChange): Record<string, unknown> {
  const out: Record<string, unknown> = {
    path: f.path,
    before: f.before === undefined ? null : f.before,
    after: f.after === undefined ? null : f.after,
  };
  if (f.before === undefined) out.absent = "before";
  else if (f.after === undefined) out.absent = "after";
  return out;
}
