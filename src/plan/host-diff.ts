/**
 * Host file diff: `hosts/<node>/<path>` files of two rendered trees, as unified diffs. The same
 * change on many nodes collapses into one entry ("same change on 240 nodes") that keeps the
 * node list; when the diffs differ per node (node-specific lines), a node group's changes to one
 * file collapse into one entry that shows one node's diff.
 */
import { structuredPatch } from "diff";
import type { RenderedFile } from "../render/types.js";
import { naturalCompare } from "../util/text.js";
import type { Action, HostFileChange } from "./types.js";
import { must } from "../util/must.js";

/** Up to this many different diffs of one file in one node group are listed one by one. */
const MAX_VARIANTS = 3;
/** A variant shared by at least this many nodes keeps its own entry even among many (the largest few). */
const SHARED_VARIANT = 2;

interface FileChange {
  readonly node: string;
  readonly path: string;
  readonly action: Action;
  readonly before: string;
  readonly after: string;
}

const HOST_PATH = /^hosts\/([^/]+)\/(.+)$/;

/** Splits `hosts/<node>/<path>`; undefined for any other path. */
export function hostPath(path: string): { node: string; path: string } | undefined {
  const [, node, rest] = HOST_PATH.exec(path) ?? [];
  return node === undefined || rest === undefined ? undefined : { node, path: rest };
}

export function diffHostFiles(
  before: readonly RenderedFile[],
  after: readonly RenderedFile[],
  groupOf: (node: string) => string | undefined,
): HostFileChange[] {
  const was = new Map<string, string>();
  const now = new Map<string, string>();
  for (const f of before) if (HOST_PATH.test(f.path)) was.set(f.path, f.content);
  for (const f of after) if (HOST_PATH.test(f.path)) now.set(f.path, f.content);

  const buckets = new Map<string, FileChange[]>();
  const add = (full: string, action: Action, b: string, a: string) => {
    const { node, path } = must(hostPath(full), `the host path ${full}`);
    const group = groupOf(node) ?? "";
    const key = `${group}\0${path}\0${action}`;
    let list = buckets.get(key);
    if (!list) buckets.set(key, (list = []));
    list.push({ node, path, action, before: b, after: a });
  };
  for (const [path, content] of now) {
    const old = was.get(path);
    if (old === undefined) add(path, "create", "", content);
    else if (old !== content) add(path, "update", old, content);
  }
  for (const [path, content] of was) if (!now.has(path)) add(path, "delete", content, "");

  const out: HostFileChange[] = [];
  for (const [key, changes] of buckets) {
    const group = key.slice(0, key.indexOf("\0"));
    out.push(...collapse(group === "" ? undefined : group, changes));
  }
  return out.sort(compareEntries);
}

const ACTION_ORDER: Record<Action, number> = { create: 0, update: 1, delete: 2 };

function compareEntries(a: HostFileChange, b: HostFileChange): number {
  return (
    naturalCompare(a.group ?? "", b.group ?? "") ||
    naturalCompare(a.path, b.path) ||
    ACTION_ORDER[a.action] - ACTION_ORDER[b.action] ||
    naturalCompare(firstNode(a.nodes), firstNode(b.nodes))
  );
}

/** An entry or variant lists at least one node; the first names it. */
function firstNode(of: readonly (string | FileChange)[]): string {
  const first = must(of[0], "an entry's first node");
  return typeof first === "string" ? first : first.node;
}

function collapse(group: string | undefined, changes: FileChange[]): HostFileChange[] {
  changes.sort((x, y) => naturalCompare(x.node, y.node));
  const variants = new Map<string, FileChange[]>();
  for (const c of changes) {
    const sig = signature(c);
    let list = variants.get(sig);
    if (!list) variants.set(sig, (list = []));
    list.push(c);
  }
  const ordered = [...variants.values()].sort(
    (x, y) => y.length - x.length || naturalCompare(firstNode(x), firstNode(y)),
  );
  // The largest shared variants keep their own entries (at most MAX_VARIANTS): the rest merge.
  const kept =
    ordered.length <= MAX_VARIANTS
      ? ordered
      : ordered.filter((v) => v.length >= SHARED_VARIANT).slice(0, MAX_VARIANTS);
  const keptSet = new Set(kept);
  const rest = ordered.filter((v) => !keptSet.has(v));
  const entries = kept.map((v) => entry(group, v, true, 1));
  const [only] = rest;
  if (only && rest.length === 1) entries.push(entry(group, only, true, 1));
  else if (rest.length > 1) {
    const nodes = rest.flat().sort((x, y) => naturalCompare(x.node, y.node));
    entries.push(entry(group, nodes, false, rest.length));
  }
  // Entries of one bucket share a path and action: number their addresses when several.
  if (entries.length > 1) {
    return entries.map((e, i) => ({ ...e, address: `${e.address}#${i + 1}` }));
  }
  return entries;
}

function entry(
  group: string | undefined,
  changes: readonly FileChange[],
  identical: boolean,
  variants: number,
): HostFileChange {
  const shown = must(changes[0], "an entry's first change");
  const nodes = changes.map((c) => c.node);
  const { text, added, removed } = unifiedDiff(shown);
  const where = nodes.length === 1 ? shown.node : group === undefined ? "*" : `${group}*`;
  return {
    type: "host-file",
    address: `hosts/${where}/${shown.path}`,
    action: shown.action,
    count: nodes.length,
    disruptive: false,
    reasons: [],
    path: shown.path,
    group,
    nodes,
    identical,
    variants,
    shownFor: shown.node,
    diff: text,
    linesAdded: added,
    linesRemoved: removed,
  };
}

/** What makes two nodes' changes "the same": the removed and added lines, not their context. */
function signature(c: FileChange): string {
  if (c.action === "create") return `+${c.after}`;
  if (c.action === "delete") return `-${c.before}`;
  // Fast path for the common case (a value changes in place): same line count, compare lines.
  const a = c.before.split("\n");
  const b = c.after.split("\n");
  if (a.length === b.length) {
    const changed: string[] = [];
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed.push(`-${a[i]}\n+${b[i]}`);
    if (changed.length * 4 <= a.length) return changed.join("\n");
  }
  const patch = structuredPatch("a", "b", c.before, c.after, "", "", { context: 0 });
  return patch.hunks
    .map((h) => h.lines.filter((l) => l[0] === "-" || l[0] === "+").join("\n"))
    .join("\n@@\n");
}

/** Unified diff hunks (three lines of context, no file headers). */
export function unifiedDiff(c: Pick<FileChange, "before" | "after">): {
  text: string;
  added: number;
  removed: number;
} {
  const patch = structuredPatch("a", "b", c.before, c.after, "", "", { context: 3 });
  const lines: string[] = [];
  let added = 0;
  let removed = 0;
  for (const h of patch.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) {
      if (l[0] === "+") added++;
      else if (l[0] === "-") removed++;
      lines.push(l);
    }
  }
  return { text: lines.length ? `${lines.join("\n")}\n` : "", added, removed };
}
