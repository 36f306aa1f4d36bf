/**
 * Wording the plan formatters share: the summary line, values, node lists, change headings.
 * Formatters decide layout only; what a change is called is decided here, once.
 */
import { shownPath } from "../diagnostics/paths.js";
import { naturalCompare, plural } from "../util/text.js";
import type { Change, HostFileChange, ObjectChange, Plan } from "./types.js";
import { must } from "../util/must.js";

/** The plan with its repository file paths as every format names them (diagnostics/paths.ts). */
export function withPathsShown(plan: Plan, repoShown: string | undefined): Plan {
  const where = (file: string) => shownPath(repoShown, file);
  return {
    ...plan,
    diagnostics: plan.diagnostics.map((d) => ({
      ...d,
      file: where(d.file),
      related: d.related.map((r) => ({ ...r, file: where(r.file) })),
      ...(d.waived ? { waived: { ...d.waived, file: where(d.waived.file) } } : {}),
    })),
    disruptions: plan.disruptions.map((d) => ({
      ...d,
      span: { ...d.span, file: where(d.span.file) },
      ...(d.acknowledged
        ? { acknowledged: { ...d.acknowledged, file: where(d.acknowledged.file) } }
        : {}),
    })),
  };
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  return `Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy (${s.disruptive} disruptive).`;
}

export function baseLine(plan: Plan): string {
  const b = plan.base;
  const how =
    b.analysis === "model"
      ? "disruption analysis on both models"
      : b.analysis === "manifests"
        ? "disruption analysis on the base's rendered manifests (partial)"
        : b.analysis === "live"
          ? "disruption analysis on the running pools and calico-config (partial)"
          : "no disruption analysis";
  const what =
    b.kind === "git"
      ? `the repository at ${b.description}`
      : b.kind === "dir"
        ? `the rendered tree in ${b.description.replace(/\/+$/, "")}/`
        : b.kind === "live"
          ? `the ${b.description}`
          : "nothing to compare with";
  return `Base: ${what}; ${how}.`;
}

export const SIGN = { create: "+", update: "~", delete: "-" } as const;
export const VERB = { create: "add", update: "change", delete: "destroy" } as const;

/** `IPPool pool-1`, `ConfigMap kube-system/calico-config`. */
export function objectTitle(c: ObjectChange): string {
  return `${c.kind} ${c.namespace === undefined ? "" : `${c.namespace}/`}${c.name}`;
}

/** A field value, one line: JSON for everything, `(absent)` when the field is not there. */
export function valueText(value: unknown, max = 120): string {
  if (value === undefined) return "(absent)";
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- JSON.stringify gives undefined only for a function or a symbol, which String shows
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function isMultiline(value: unknown): value is string {
  return typeof value === "string" && value.includes("\n");
}

/**
 * A node list made short: runs of consecutive numbers collapse (`worker-1…worker-240`), and at
 * most `limit` pieces are shown, then "and N more".
 */
export function nodeListText(names: readonly string[], limit = 6): string {
  const sorted = [...names].sort(naturalCompare);
  const runs: { text: string; size: number }[] = [];
  const split = (name: string) => /^(.*?)([1-9]\d*)$/.exec(name);
  const name = (k: number) => must(sorted[k], "a name inside the list");
  let i = 0;
  while (i < sorted.length) {
    const first = split(name(i));
    let j = i;
    while (first && j + 1 < sorted.length) {
      const next = split(name(j + 1));
      if (!next || next[1] !== first[1] || Number(next[2]) !== Number(first[2]) + (j + 1 - i))
        break;
      j++;
    }
    const size = j - i + 1;
    if (size >= 3) runs.push({ text: `${sorted[i]}…${sorted[j]}`, size });
    else for (let k = i; k <= j; k++) runs.push({ text: name(k), size: 1 });
    i = j + 1;
  }
  if (runs.length <= limit) return runs.map((r) => r.text).join(", ");
  const shown = runs.slice(0, limit);
  const rest = runs.slice(limit).reduce((n, r) => n + r.size, 0);
  return `${shown.map((r) => r.text).join(", ")} and ${plural(rest, "more node")}`;
}

/** "same change on 240 nodes", "on worker-3", "on 12 nodes of group worker- (diffs differ)". */
export function hostScope(c: HostFileChange): string {
  const n = c.nodes.length;
  if (n === 1) return `on ${c.nodes[0]}`;
  const group = c.group === undefined ? "" : ` of group ${c.group}`;
  if (c.identical) return `same change on ${n} nodes${group} (diff of ${c.shownFor})`;
  return `on ${n} nodes${group} (${c.variants} different diffs; shown for ${c.shownFor})`;
}

/** Object kinds by how much a reviewer cares: the pools first, RBAC last. */
const KIND_ORDER = ["IPPool", "Installation", "FelixConfiguration", "ConfigMap", "DaemonSet"];

export function compareObjects(a: ObjectChange, b: ObjectChange): number {
  const rank = (k: string) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
  return (
    rank(a.kind) - rank(b.kind) ||
    (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
    naturalCompare(a.address, b.address)
  );
}

/** Changes in the order the formatters list them: objects, host files, other files. */
export function byType(plan: Plan): {
  objects: ObjectChange[];
  hosts: HostFileChange[];
  others: Exclude<Change, ObjectChange | HostFileChange>[];
} {
  const objects: ObjectChange[] = [];
  const hosts: HostFileChange[] = [];
  const others: Exclude<Change, ObjectChange | HostFileChange>[] = [];
  for (const c of plan.changes) {
    if (c.type === "object") objects.push(c);
    else if (c.type === "host-file") hosts.push(c);
    else others.push(c);
  }
  return { objects: objects.sort(compareObjects), hosts, others };
}

/** A group's display name: its prefix, or "listed nodes" for nodes written one by one. */
export function groupName(group: string | undefined): string {
  return group === undefined || group === "" ? "listed nodes" : `${group}*`;
}
