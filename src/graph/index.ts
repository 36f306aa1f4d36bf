/** `netcompile graph`: the overlay as a picture (see model.ts), in one of three formats. */
import { formatDot } from "./dot.js";
import { formatMermaid } from "./mermaid.js";
import type { Graph } from "./model.js";
import { formatSvg } from "./svg.js";

export * from "./model.js";
export { formatDot } from "./dot.js";
export { formatMermaid } from "./mermaid.js";
export { formatSvg } from "./svg.js";

export type GraphFormat = "mermaid" | "dot" | "svg";
export const GRAPH_FORMATS: readonly GraphFormat[] = ["mermaid", "dot", "svg"];

export function formatGraph(graph: Graph, format: GraphFormat): string {
  switch (format) {
    case "mermaid":
      return formatMermaid(graph);
    case "dot":
      return formatDot(graph);
    case "svg":
      return formatSvg(graph);
  }
}
