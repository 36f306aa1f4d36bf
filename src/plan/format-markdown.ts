/**
 * The plan as GitHub markdown (a pull-request comment or a job summary): summary first, the
 * disruptive changes in a table, then collapsible sections per resource kind and per node group.
 * It must fit a size limit (65,536 characters for a comment, 1 MiB for a job summary): the least
 * important parts are cut first, and the output says what was cut. Every string that comes from
 * the repository goes through `markdownText` (`esc` below), so a name cannot inject markup.
 */
import { acknowledgementYaml } from "./acknowledgements.js";
import {
  baseLine,
  byType,
  groupName,
  hostScope,
  isMultiline,
  nodeListText,
  objectTitle,
  SIGN,
  summaryLine,
  valueText,
  VERB,
  withPathsShown,
} from "./present.js";
import { markdownText } from "../util/markdown.js";
import { plural, withThousands } from "../util/text.js";
import type { Action, Change, Disruption, HostFileChange, ObjectChange, Plan } from "./types.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { formatMermaid } from "../graph/mermaid.js";
import type { PlanOverlay } from "../graph/plan.js";

/** GitHub's limits, in characters (we count UTF-8 bytes, which is never less). */
export const MARKDOWN_LIMITS = { comment: 65_536, summary: 1_048_576 } as const;

export interface MarkdownOptions {
  /** Largest output in UTF-8 bytes. */
  readonly limit?: number;
  /** Prefix for the repository's file paths, the repository as the user named it. */
  readonly pathPrefix?: string;
}

interface Detail {
  /** Diff lines per non-disruptive / disruptive host or file entry (0: no diff). */
  readonly diffLines: number;
  readonly disruptiveDiffLines: number;
  /** Field rows of objects: all, only disruptive objects', or none. */
  readonly fieldTables: "all" | "disruptive" | "none";
  /** Host files entry by entry, or one line per node group. */
  readonly hostEntries: "full" | "counts";
  /** Non-disruptive objects one by one, or one line per kind. */
  readonly objects: "full" | "counts";
  readonly maxDiagnostics: number;
  readonly steps: boolean;
  readonly maxDisruptions: number;
  readonly maxFields: number;
  /** The overlay's before/after mermaid pictures (the changed edges are listed regardless). */
  readonly overlayPictures: boolean;
}

const FULL: Detail = {
  diffLines: 60,
  disruptiveDiffLines: 60,
  fieldTables: "all",
  hostEntries: "full",
  objects: "full",
  maxDiagnostics: Infinity,
  steps: true,
  maxDisruptions: Infinity,
  maxFields: 40,
  overlayPictures: true,
};

/** Each step cuts more, least important first; `cut` says what, in the output. */
const CUTS: readonly { readonly cut: string; readonly detail: Partial<Detail> }[] = [
  {
    cut: "host file diffs shortened to 12 lines",
    detail: { diffLines: 12, disruptiveDiffLines: 12 },
  },
  { cut: "diffs of non-disruptive files", detail: { diffLines: 0 } },
  {
    cut: "field tables of non-disruptive objects",
    detail: { fieldTables: "disruptive", maxFields: 20 },
  },
  { cut: "all file diffs", detail: { disruptiveDiffLines: 0 } },
  { cut: "host file entries (counts per node group remain)", detail: { hostEntries: "counts" } },
  { cut: "non-disruptive objects (counts per kind remain)", detail: { objects: "counts" } },
  { cut: "diagnostics after the first 20", detail: { maxDiagnostics: 20 } },
  { cut: "all field tables", detail: { fieldTables: "none" } },
  {
    cut: "overlay pictures (the changed edges remain listed)",
    detail: { overlayPictures: false },
  },
  { cut: "roll-out steps and acknowledgement snippets", detail: { steps: false } },
  {
    cut: "disruptions after the first 50 (the JSON output has all)",
    detail: { maxDisruptions: 50, maxDiagnostics: 5 },
  },
];

export function formatPlanMarkdown(written: Plan, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMITS.comment;
  const plan = withPathsShown(written, options.pathPrefix);
  let detail = FULL;
  const cuts: string[] = [];
  let text = render(plan, detail, cuts, limit);
  for (const step of CUTS) {
    if (bytes(text) <= limit) return text;
    detail = { ...detail, ...step.detail };
    cuts.push(step.cut);
    text = render(plan, detail, cuts, limit);
  }
  if (bytes(text) <= limit) return text;
  // Last resort: keep the head (summary, disruptions) and say so.
  const tail = `\n\n… cut at ${withThousands(limit)} bytes: run \`netcompile plan --format json\` for the whole plan.\n`;
  let head = text.slice(0, Math.max(0, limit - bytes(tail) - 16));
  while (bytes(head) + bytes(tail) > limit) head = head.slice(0, -64);
  return `${head}${tail}`;
}

function bytes(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function render(plan: Plan, d: Detail, cuts: readonly string[], limit: number): string {
  const out: string[] = [];
  out.push(`### netcompile plan`, "");
  out.push(
    plan.complete ? `**${summaryLine(plan)}**` : "**No plan: the repository does not validate.**",
    "",
  );
  out.push(esc(baseLine(plan)), "");

  const open = plan.disruptions.filter((x) => !x.acknowledged);
  if (open.length) {
    out.push(
      "> [!CAUTION]",
      `> ${plural(open.length, "disruptive change")} ${open.length === 1 ? "is" : "are"} not acknowledged: the plan fails until ${open.length === 1 ? "it is" : "they are"} acknowledged in the Cluster's \`spec.acknowledgements\` or left out of this change.`,
      "",
    );
  }
  if (cuts.length) {
    out.push(
      `> ✂️ Cut to fit ${withThousands(limit)} bytes: ${cuts.join("; ")}. Run \`netcompile plan\` locally or use \`--format json\` for everything.`,
      "",
    );
  }
  if (plan.complete && plan.changes.length === 0 && plan.disruptions.length === 0)
    out.push("No changes: the base and the repository render the same files.", "");

  if (plan.disruptions.length) out.push(...disruptions(plan.disruptions, d));
  if (plan.overlay) out.push(...overlaySection(plan.overlay, d));
  const { objects, hosts, others } = byType(plan);
  if (objects.length || hosts.length || others.length) {
    out.push("#### Changes", "");
    out.push(...objectSections(objects, d));
    out.push(...hostSections(hosts, d));
    if (others.length) out.push(...otherSection(others, d));
  }
  if (plan.topology.length) {
    out.push("#### Topology", "");
    for (const t of plan.topology) {
      const verb = t.what === "nodes-added" ? "added" : "removed";
      out.push(
        `- ${t.what === "nodes-added" ? "➕" : "➖"} ${plural(t.nodes.length, "node")} ${verb} (${esc(groupName(t.group))}): ${esc(nodeListText(t.nodes))}`,
      );
    }
    out.push("");
  }
  if (plan.notes.length) {
    out.push("#### Notes", "");
    for (const n of plan.notes) out.push(`- <code>${n.code}</code> ${esc(n.message)}`);
    out.push("");
  }
  // Unacknowledged disruptions are diagnostics too (for annotations); the table above says it all.
  const at = (x: { file: string; line: number; column: number }, code: string) =>
    `${x.file}:${x.line}:${x.column}:${code}`;
  const shown = new Set(open.map((x) => at(x.span, x.code)));
  const rest = plan.diagnostics.filter((x) => !shown.has(at(x, x.code)));
  const mirrored = plan.diagnostics.length - rest.length;
  if (plan.diagnostics.length) out.push(...diagnostics(rest, mirrored, d));
  return `${out
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

function disruptions(list: readonly Disruption[], d: Detail): string[] {
  const out = [
    "#### Disruptive changes",
    "",
    "| | Change | What breaks | Affects |",
    "|---|---|---|---|",
  ];
  for (const x of list.slice(0, d.maxDisruptions)) {
    const mark = x.acknowledged
      ? "✅ acknowledged"
      : x.acknowledgeable
        ? "❌ not acknowledged"
        : "⛔ cannot be applied";
    const affects = [
      x.affected.pools.length
        ? `pool${x.affected.pools.length > 1 ? "s" : ""} ${x.affected.pools.join(", ")}`
        : "",
      x.affected.nodes ? plural(x.affected.nodes, "node") : "",
    ]
      .filter(Boolean)
      .join("; ");
    const reason = x.acknowledged ? `<br>reason: ${esc(x.acknowledged.reason)}` : "";
    out.push(`| ${mark} | ${esc(x.title)} | ${esc(x.breaks)}${reason} | ${esc(affects)} |`);
  }
  if (list.length > d.maxDisruptions)
    out.push(`| | … and ${list.length - d.maxDisruptions} more | | |`);
  out.push("");
  if (!d.steps) return out;
  for (const x of list.slice(0, d.maxDisruptions)) {
    if (x.acknowledged) continue;
    const body: string[] = [];
    if (x.steps.length) body.push(...x.steps.map((s) => `- ${esc(s)}`), "");
    if (x.acknowledgeable) {
      body.push(
        "To accept it, add to the Cluster's `spec.acknowledgements` in `netcompile.yaml`:",
        "",
      );
      body.push(...fenced("yaml", acknowledgementYaml(x.change)));
    }
    if (body.length === 0) continue;
    out.push(
      `<details><summary>${esc(x.title)}: how to proceed</summary>`,
      "",
      ...body,
      "",
      "</details>",
      "",
    );
  }
  return out;
}

/** Before and after side by side (mermaid), the changed edges marked and listed. */
function overlaySection(overlay: PlanOverlay, d: Detail): string[] {
  if (overlay.status === "unchanged") return [];
  if (overlay.status === "skipped")
    return ["#### Overlay", "", `Overlay picture skipped: ${esc(overlay.reason)}.`, ""];
  const out = [
    "#### Overlay",
    "",
    `${plural(overlay.changed.length, "edge")} of the overlay ${overlay.changed.length === 1 ? "changes" : "change"} (marked orange and “changed” in the pictures):`,
    "",
  ];
  const side = (s: string | undefined) => (s === undefined ? "<i>no traffic</i>" : esc(s));
  for (const c of overlay.changed) {
    out.push(`- <code>${esc(c.key)}</code>: ${side(c.before)} → ${side(c.after)}`);
  }
  out.push("");
  if (!d.overlayPictures) return out;
  const changed = new Set(overlay.changed.map((c) => c.key));
  out.push(
    "<table><tr><th>Before</th><th>After</th></tr><tr><td>",
    "",
    ...fenced("mermaid", formatMermaid(overlay.before, { changed })),
    "",
    "</td><td>",
    "",
    ...fenced("mermaid", formatMermaid(overlay.after, { changed })),
    "",
    "</td></tr></table>",
    "",
  );
  return out;
}

function counts(changes: readonly Change[]): string {
  const by: Record<Action, number> = { create: 0, update: 0, delete: 0 };
  let disruptive = 0;
  for (const c of changes) {
    by[c.action] += c.count;
    if (c.disruptive) disruptive += c.count;
  }
  const parts = (["create", "update", "delete"] as const)
    .filter((a) => by[a])
    .map((a) => `${by[a]} to ${VERB[a]}`);
  if (disruptive) parts.push(`${disruptive} disruptive`);
  return parts.join(", ");
}

function objectSections(objects: readonly ObjectChange[], d: Detail): string[] {
  const out: string[] = [];
  const kinds = [...new Set(objects.map((o) => o.kind))];
  for (const kind of kinds) {
    const list = objects.filter((o) => o.kind === kind);
    const anyDisruptive = list.some((o) => o.disruptive);
    const shown = d.objects === "full" || anyDisruptive ? list : [];
    const openAttr = anyDisruptive ? " open" : "";
    out.push(`<details${openAttr}><summary><b>${esc(kind)}</b> — ${counts(list)}</summary>`, "");
    for (const o of shown) {
      const tag = o.disruptive ? " — ⚠️ **disruptive**" : "";
      out.push(
        `**${SIGN[o.action]} <code>${esc(objectTitle(o).slice(kind.length + 1))}</code>** (${esc(o.apiVersion)}, ${esc(o.file)})${tag}`,
        "",
      );
      const tables = d.fieldTables === "all" || (d.fieldTables === "disruptive" && o.disruptive);
      if (tables && o.fields.length) out.push(...fieldTable(o, d.maxFields), "");
      else if (o.fields.length)
        out.push(
          `${plural(o.fields.length, "field")} ${o.action === "update" ? "changed" : ""}`.trimEnd(),
          "",
        );
    }
    if (shown.length < list.length)
      out.push(`${plural(list.length - shown.length, "object")} not shown.`, "");
    out.push("</details>", "");
  }
  return out;
}

function fieldTable(o: ObjectChange, max: number): string[] {
  const rows = o.fields.slice(0, max);
  const out = ["| Field | Before | After |", "|---|---|---|"];
  for (const f of rows) {
    const value = (v: unknown) =>
      v === undefined
        ? "<i>absent</i>"
        : isMultiline(v)
          ? `<i>${v.split("\n").length} lines of text</i>`
          : `<code>${esc(valueText(v, 200))}</code>`;
    out.push(`| <code>${esc(f.path)}</code> | ${value(f.before)} | ${value(f.after)} |`);
  }
  if (o.fields.length > rows.length)
    out.push(`| … ${plural(o.fields.length - rows.length, "more field")} | | |`);
  return out;
}

function hostSections(hosts: readonly HostFileChange[], d: Detail): string[] {
  const out: string[] = [];
  const groups = [...new Set(hosts.map((h) => h.group ?? ""))];
  for (const g of groups) {
    const list = hosts.filter((h) => (h.group ?? "") === g);
    const nodes = new Set(list.flatMap((h) => h.nodes));
    const anyDisruptive = list.some((h) => h.disruptive);
    const title = `Host files: ${groupName(g)}`;
    if (d.hostEntries === "counts") {
      out.push(`- <b>${esc(title)}</b> — ${plural(nodes.size, "node")}, ${counts(list)}`);
      continue;
    }
    out.push(
      `<details${anyDisruptive ? " open" : ""}><summary><b>${esc(title)}</b> — ${plural(nodes.size, "node")}, ${counts(list)}</summary>`,
      "",
    );
    for (const h of list) {
      const tag = h.disruptive ? " — ⚠️ **disruptive**" : "";
      out.push(`**${SIGN[h.action]} <code>${esc(h.path)}</code>** ${esc(hostScope(h))}${tag}`, "");
      if (h.nodes.length > 1) out.push(`<sub>nodes: ${esc(nodeListText(h.nodes, 8))}</sub>`, "");
      const lines = h.disruptive ? d.disruptiveDiffLines : d.diffLines;
      if (lines > 0 && h.diff) out.push(...fenced("diff", clip(h.diff, lines)), "");
    }
    out.push("</details>", "");
  }
  if (out.at(-1)?.startsWith("- ")) out.push("");
  return out;
}

function otherSection(
  others: readonly Exclude<Change, ObjectChange | HostFileChange>[],
  d: Detail,
): string[] {
  const out = [`<details><summary><b>Other files</b> — ${counts(others)}</summary>`, ""];
  for (const f of others) {
    out.push(`**${SIGN[f.action]} <code>${esc(f.path)}</code>**`, "");
    if (d.diffLines > 0 && f.diff) out.push(...fenced("diff", clip(f.diff, d.diffLines)), "");
  }
  out.push("</details>", "");
  return out;
}

function diagnostics(all: readonly Diagnostic[], mirrored: number, d: Detail): string[] {
  const icon = { error: "❌", warning: "⚠️", info: "ℹ️" } as const;
  const out = ["#### Diagnostics", ""];
  if (mirrored)
    out.push(
      `${plural(mirrored, "error")}: the disruptive changes above that are not acknowledged.`,
      "",
    );
  const list = all;
  if (list.length === 0) return out;
  out.push("| | Where | Code | Message |", "|---|---|---|---|");
  for (const x of list.slice(0, d.maxDiagnostics)) {
    out.push(
      `| ${icon[x.severity]} | <code>${esc(`${x.file}:${x.line}:${x.column}`)}</code> | <code>${esc(x.code)}</code> | ${esc(x.message)} |`,
    );
  }
  if (list.length > d.maxDiagnostics)
    out.push(`| | … ${plural(list.length - d.maxDiagnostics, "more diagnostic")} | | |`);
  out.push("");
  return out;
}

function clip(diff: string, max: number): string {
  const lines = diff.replace(/\n$/, "").split("\n");
  if (lines.length <= max) return lines.join("\n");
  return [...lines.slice(0, max), `… ${plural(lines.length - max, "more line")}`].join("\n");
}

/** A code block whose fence is longer than any backtick run inside it. */
function fenced(lang: string, body: string): string[] {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longest + 1);
  return [`${fence}${lang}`, body.replace(/\n$/, ""), fence];
}

/** A string from the repository as Markdown text (`markdownText`); arrows read better as arrows. */
export function esc(text: string): string {
  return markdownText(text).replace(/ -&#62; /g, " → ");
}
