/**
 * The plan as text for a terminal: summary first, then the disruptive changes (with what
 * breaks, for whom, and how to acknowledge), then every change by resource, then diagnostics.
 * Every text from the repository or a base tree (names, values, paths, diff lines) is printed
 * through `terminalText` (`t` below).
 */
import type { Colors } from "picocolors/types.js";
import { formatText, type SourceLines } from "../diagnostics/format-text.js";
import { shownPath } from "../diagnostics/paths.js";
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
} from "./present.js";
import { unifiedDiff } from "./host-diff.js";
import { terminalText as t } from "../util/terminal.js";
import { plural } from "../util/text.js";
import type { Action, Disruption, FieldChange, ObjectChange, Plan } from "./types.js";

export interface PlanTextOptions {
  readonly colors: Colors;
  readonly sources: SourceLines;
  /** The repository as the user named it, so diagnostic paths resolve from the cwd. */
  readonly pathPrefix?: string;
  /** Each code's documentation link, ending each diagnostic (none unless given). */
  readonly docsUrl?: (code: string) => string | undefined;
  /** Most fields shown for a created or deleted object; most diff lines per host entry. */
  readonly maxFields?: number;
  readonly maxDiffLines?: number;
}

export function formatPlanText(plan: Plan, options: PlanTextOptions): string {
  const c = options.colors;
  const maxFields = options.maxFields ?? 15;
  const maxDiffLines = options.maxDiffLines ?? 40;
  const out: string[] = [];
  const sign = (a: Action) =>
    a === "create" ? c.green(SIGN[a]) : a === "update" ? c.yellow(SIGN[a]) : c.red(SIGN[a]);

  out.push(
    c.bold(plan.complete ? summaryLine(plan) : "No plan: the repository does not validate."),
  );
  out.push(c.dim(t(baseLine(plan))));
  if (plan.complete && plan.changes.length === 0 && plan.disruptions.length === 0)
    out.push("", "No changes: the base and the repository render the same files.");

  if (plan.disruptions.length) {
    const open = plan.disruptions.filter((d) => !d.acknowledged).length;
    out.push(
      "",
      c.bold(
        `Disruptive changes (${plan.disruptions.length}${open ? `, ${open} not acknowledged` : ", all acknowledged"}):`,
      ),
    );
    for (const d of plan.disruptions) out.push(...disruption(d, c, options.pathPrefix));
  }

  const { objects, hosts, others } = byType(plan);
  if (objects.length) {
    out.push("", c.bold("Kubernetes objects:"));
    for (const o of objects) {
      const tag = o.disruptive ? `  ${c.red("disruptive")}` : "";
      out.push(
        `  ${sign(o.action)} ${c.bold(t(objectTitle(o)))}  ${c.dim(t(`(${o.apiVersion}, ${o.file})`))}${tag}`,
      );
      out.push(...fields(o, maxFields, c));
    }
  }
  if (hosts.length) {
    const nodes = new Set(hosts.flatMap((h) => h.nodes));
    out.push("", c.bold(`Host files (${plural(nodes.size, "node")}):`));
    let group: string | undefined | null = null;
    for (const h of hosts) {
      if (h.group !== group) {
        group = h.group;
        out.push(`  ${c.bold(t(groupName(h.group)))}`);
      }
      const tag = h.disruptive ? `  ${c.red("disruptive")}` : "";
      out.push(`    ${sign(h.action)} ${c.bold(t(h.path))}  ${t(hostScope(h))}${tag}`);
      if (h.nodes.length > 1) out.push(`        ${c.dim(`nodes: ${t(nodeListText(h.nodes))}`)}`);
      out.push(...diffLines(h.diff, maxDiffLines, "        ", c));
    }
  }
  if (others.length) {
    out.push("", c.bold("Other files:"));
    for (const f of others) {
      out.push(`  ${sign(f.action)} ${c.bold(t(f.path))}`);
      out.push(...diffLines(f.diff, maxDiffLines, "      ", c));
    }
  }
  if (plan.topology.length) {
    out.push("", c.bold("Topology:"));
    for (const change of plan.topology) {
      const verb = change.what === "nodes-added" ? "added" : "removed";
      out.push(
        `  ${change.what === "nodes-added" ? c.green("+") : c.red("-")} ${plural(change.nodes.length, "node")} ${verb} (${t(groupName(change.group))}): ${t(nodeListText(change.nodes))}`,
      );
    }
  }
  if (plan.notes.length) {
    out.push("", c.bold("Notes:"));
    for (const n of plan.notes) out.push(`  ${c.dim(n.code)} ${t(n.message)}`);
  }
  out.push("");
  out.push(
    formatText(plan.diagnostics, options.sources, c, {
      pathPrefix: options.pathPrefix,
      docsUrl: options.docsUrl,
    }).trimEnd(),
  );
  return `${out.join("\n")}\n`;
}

function disruption(d: Disruption, c: Colors, pathPrefix: string | undefined): string[] {
  const mark = d.acknowledged ? c.green("✓") : c.red("✗");
  const lines = [`  ${mark} ${c.bold(t(d.title))}`];
  lines.push(`      ${t(d.breaks)}`);
  const who = [
    d.affected.pools.length
      ? `${d.affected.pools.length === 1 ? "pool" : "pools"} ${d.affected.pools.join(", ")}`
      : "",
    d.affected.nodes ? plural(d.affected.nodes, "node") : "",
  ].filter(Boolean);
  if (who.length) lines.push(`      ${c.dim("affects:")} ${t(who.join("; "))}`);
  for (const s of d.steps) lines.push(`      ${c.dim("do:")} ${t(s)}`);
  if (d.acknowledged) {
    lines.push(
      `      ${c.green("acknowledged:")} ${t(JSON.stringify(d.acknowledged.reason))} ${c.dim(`(${t(shownPath(pathPrefix, d.acknowledged.file))}:${d.acknowledged.line})`)}`,
    );
  } else if (d.acknowledgeable) {
    lines.push(
      `      ${c.red("not acknowledged.")} To accept it, add to the Cluster's spec.acknowledgements:`,
    );
    for (const l of acknowledgementYaml(d.change).split("\n")) lines.push(`        ${t(l)}`);
  } else {
    lines.push(
      `      ${c.red("cannot be applied in place")} (no acknowledgement makes it possible)`,
    );
  }
  return lines;
}

function fields(o: ObjectChange, max: number, c: Colors): string[] {
  const out: string[] = [];
  const list = o.action === "update" ? o.fields : o.fields.slice(0, max);
  for (const f of list) out.push(...field(f, c));
  if (list.length < o.fields.length)
    out.push(`      ${c.dim(`… ${plural(o.fields.length - list.length, "more field")}`)}`);
  return out;
}

function field(f: FieldChange, c: Colors): string[] {
  if (isMultiline(f.before) || isMultiline(f.after)) {
    const { text } = unifiedDiff({
      before: typeof f.before === "string" ? f.before : "",
      after: typeof f.after === "string" ? f.after : "",
    });
    return [`      ${t(f.path)}: (text)`, ...diffLines(text, 20, "        ", c)];
  }
  const path = t(f.path);
  const before = t(valueText(f.before));
  const after = t(valueText(f.after));
  if (f.before === undefined) return [`      ${path}: ${c.green(after)}`];
  if (f.after === undefined) return [`      ${path}: ${c.red(before)} -> (absent)`];
  return [`      ${path}: ${c.red(before)} -> ${c.green(after)}`];
}

function diffLines(diff: string, max: number, indent: string, c: Colors): string[] {
  const lines = diff.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const shown = lines.slice(0, max).map((raw) => {
    const l = t(raw);
    const colored = l.startsWith("+")
      ? c.green(l)
      : l.startsWith("-")
        ? c.red(l)
        : l.startsWith("@@")
          ? c.cyan(l)
          : l;
    return `${indent}${colored}`;
  });
  if (lines.length > max)
    shown.push(`${indent}${c.dim(`… ${plural(lines.length - max, "more line")}`)}`);
  return shown;
}
