/**
 * The graph as Graphviz dot: every id and label is a double-quoted string with `\` and `"`
 * escaped (so `\N`, `\G` and the like stay text), `&` written `&amp;` (Graphviz decodes HTML
 * entities in labels: a name holding `&amp;` or `&#35;` would show `&` or `#`), and line breaks
 * as `\n`. Each is escaped once: Graphviz shows exactly the text (test/graph.test.ts renders it).
 */
import { boxLines, labelText, type Graph } from "./model.js";
import { must } from "../util/must.js";

export interface DotOptions {
  readonly changed?: ReadonlySet<string>;
}

/** A dot quoted string. */
export function dotString(text: string): string {
  return `"${text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/&/g, "&amp;")
    .replace(/\r?\n/g, "\\n")}"`;
}

const label = (lines: readonly string[]) => dotString(lines.join("\n"));

export function formatDot(graph: Graph, options: DotOptions = {}): string {
  const changed = options.changed ?? new Set<string>();
  const ids = new Map(graph.boxes.map((b) => [b.name, b.id]));
  const inside = new Map(graph.inside.map((e) => [e.from, e]));
  const out = [
    "graph netcompile {",
    `  graph [label=${dotString(graph.title)}, labelloc=t, rankdir=LR, fontname="DejaVu Sans"];`,
    '  node [shape=box, style="rounded,filled", fillcolor="#eff6ff", color="#1d4ed8", fontname="DejaVu Sans"];',
    '  edge [fontname="DejaVu Sans", fontsize=10];',
  ];
  for (const b of graph.boxes) {
    const e = inside.get(b.name);
    const mark = e !== undefined && changed.has(e.key);
    const lines = boxLines(b, e);
    const style = mark ? ', color="#d97706", penwidth=3' : "";
    out.push(
      `  ${dotString(b.id)} [label=${label(mark ? [...lines, "changed inside"] : lines)}${style}];`,
    );
  }
  for (const e of graph.edges) {
    const mark = changed.has(e.key);
    const lines = e.labels.map(labelText);
    const broken = e.labels.some((l) => l.broken);
    const attrs = [`label=${label(mark ? ["changed", ...lines] : lines)}`];
    if (broken) attrs.push('style=dashed, color="#dc2626"');
    if (mark) attrs.push('color="#d97706", penwidth=3');
    out.push(
      `  ${dotString(must(ids.get(e.from), `box ${e.from}`))} -- ${dotString(must(ids.get(e.to), `box ${e.to}`))} [${attrs.join(", ")}];`,
    );
  }
  if (graph.note) {
    out.push(
      `  "router" [shape=note, fillcolor="#fef3c7", color="#b45309", label=${dotString(graph.note)}];`,
    );
  }
  if (graph.prefixNote) {
    out.push(
      `  "prefix" [shape=note, fillcolor="#fef3c7", color="#b45309", label=${dotString(graph.prefixNote)}];`,
    );
  }
  if (graph.warning) {
    out.push(
      `  "warning" [shape=note, fillcolor="#fee2e2", color="#dc2626", label=${dotString(graph.warning)}];`,
    );
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}
