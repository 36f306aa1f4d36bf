/**
 * The graph as mermaid (GitHub renders ```mermaid blocks). Every label is quoted and every
 * character outside a small safe set is written as mermaid's entity code (`#35;`), so a name
 * from the repository cannot close a label, start markup or end a markdown fence.
 */
import { boxLines, labelText, type Graph } from "./model.js";

export interface MermaidOptions {
  /** Edge keys to mark as changed (thick orange line, "changed" in the label). */
  readonly changed?: ReadonlySet<string>;
}

const CHANGED_STYLE = "stroke:#d97706,stroke-width:4px";

/** A mermaid label's text: safe characters as they are, everything else as `#<code>;`. */
export function mermaidText(text: string): string {
  return [...text]
    .map((ch) => (/^[\p{L}\p{N} .,:/()+=·→✗-]$/u.test(ch) ? ch : `#${ch.codePointAt(0)};`))
    .join("");
}

const label = (lines: readonly string[]) => `"${lines.map(mermaidText).join("<br>")}"`;

export function formatMermaid(graph: Graph, options: MermaidOptions = {}): string {
  const changed = options.changed ?? new Set<string>();
  const ids = new Map(graph.boxes.map((b) => [b.name, b.id]));
  const inside = new Map(graph.inside.map((e) => [e.from, e]));
  const out = ["flowchart LR", `  %% ${mermaidText(graph.title)}`];
  const styles: string[] = [];
  for (const b of graph.boxes) {
    const e = inside.get(b.name);
    const mark = e && changed.has(e.key);
    const lines = boxLines(b, e);
    out.push(`  ${b.id}[${label(mark ? [...lines, "changed inside"] : lines)}]`);
    if (mark) styles.push(`  style ${b.id} ${CHANGED_STYLE}`);
  }
  graph.edges.forEach((e, i) => {
    const mark = changed.has(e.key);
    const lines = e.labels.map(labelText);
    const broken = e.labels.some((l) => l.broken);
    out.push(
      `  ${ids.get(e.from)} ${broken ? "-.-" : "---"}|${label(mark ? ["changed", ...lines] : lines)}| ${ids.get(e.to)}`,
    );
    if (mark) styles.push(`  linkStyle ${i} ${CHANGED_STYLE}`);
    else if (broken) styles.push(`  linkStyle ${i} stroke:#dc2626`);
  });
  if (graph.note) {
    out.push(`  router{{${label([graph.note])}}}`);
    styles.push("  style router fill:#fef3c7,stroke:#b45309");
  }
  if (graph.prefixNote) {
    out.push(`  prefix{{${label([graph.prefixNote])}}}`);
    styles.push("  style prefix fill:#fef3c7,stroke:#b45309");
  }
  if (graph.warning) {
    out.push(`  warning[${label([graph.warning])}]`);
    styles.push("  style warning fill:#fee2e2,stroke:#dc2626");
  }
  return `${[...out, ...styles].join("\n")}\n`;
}
