/**
 * The graph as SVG text, laid out by us (no browser, no network, no layout library): subnet
 * boxes on a circle, straight edges between their centres, each edge's labels at its midpoint
 * on a white backing, the router note below. Sizes come from a monospace width estimate, every
 * number is rounded to one decimal, and every string is XML-escaped: the output is
 * deterministic and safe to embed.
 */
import { boxLines, labelText, type Graph } from "./model.js";
import { must } from "../util/must.js";

export interface SvgOptions {
  readonly changed?: ReadonlySet<string>;
}

const FONT = 12;
const CHAR = 7.3; // DejaVu Sans Mono at 12px: 7.22px per character
const LINE = 16;
const PAD = 10;
const MARGIN = 24;

/** XML text and attribute escaping. */
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const n1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1).replace(/\.0$/, "");
const width = (lines: readonly string[]) =>
  Math.max(...lines.map((l) => [...l].length)) * CHAR + 2 * PAD;
const height = (lines: readonly string[]) => lines.length * LINE + 2 * PAD - 4;

interface Block {
  readonly x: number; // centre
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly lines: readonly string[];
}

function text(b: Block, cls: string): string {
  const top = b.y - b.h / 2 + PAD + FONT - 1;
  return b.lines
    .map(
      (l, i) =>
        `<text class="${cls === "b" && i === 0 ? "h" : cls}" x="${n1(b.x - b.w / 2 + PAD)}" y="${n1(top + i * LINE)}">${xml(l)}</text>`,
    )
    .join("");
}

export function formatSvg(graph: Graph, options: SvgOptions = {}): string {
  const changed = options.changed ?? new Set<string>();
  const inside = new Map(graph.inside.map((e) => [e.from, e]));
  const boxLinesOf = graph.boxes.map((b) => {
    const e = inside.get(b.name);
    const lines = boxLines(b, e);
    return e && changed.has(e.key) ? [...lines, "changed inside"] : lines;
  });
  const edgeLines = graph.edges.map((e) => {
    const lines = e.labels.map(labelText);
    return changed.has(e.key) ? ["changed", ...lines] : lines;
  });
  const maxW = Math.max(0, ...boxLinesOf.map(width));
  const maxLabel = Math.max(0, ...edgeLines.map(width));
  const n = graph.boxes.length;
  const radius =
    n <= 1
      ? 0
      : Math.max((maxW + 60) / (2 * Math.sin(Math.PI / n)), (maxW + maxLabel + 60) / 2, 160);
  const boxes: Block[] = boxLinesOf.map((lines, i) => {
    const angle = Math.PI + (2 * Math.PI * i) / Math.max(n, 1);
    return {
      x: radius * Math.cos(angle),
      y: radius * Math.sin(angle),
      w: width(lines),
      h: height(lines),
      lines,
    };
  });
  const at = new Map<string, Block>();
  for (const [i, b] of graph.boxes.entries()) at.set(b.name, must(boxes[i], `box ${b.name}`));
  const ends = (e: Graph["edges"][number]) =>
    [must(at.get(e.from), `box ${e.from}`), must(at.get(e.to), `box ${e.to}`)] as const;
  // Each label on its edge: the midpoint, or the first point further along that overlaps no
  // box and no label placed before it (the last candidate when all overlap).
  const labels: Block[] = [];
  graph.edges.forEach((e, i) => {
    const [a, b] = ends(e);
    const lines = must(edgeLines[i], `edge ${e.key}'s label`);
    const w = width(lines);
    const h = height(lines);
    const candidates = [0.5, 0.35, 0.65, 0.25, 0.75].map((t) => ({
      x: a.x + (b.x - a.x) * t,
      y: a.y + (b.y - a.y) * t,
      w,
      h,
      lines,
    }));
    const free = (c: Block) => ![...boxes, ...labels].some((o) => overlaps(c, o));
    labels.push(candidates.find(free) ?? must(candidates[0], "the midpoint"));
  });

  // Bounds of everything but the title and note, then the note below and the title above.
  const all = [...boxes, ...labels];
  const minX = Math.min(0, ...all.map((b) => b.x - b.w / 2));
  const maxX = Math.max(0, ...all.map((b) => b.x + b.w / 2));
  const maxY = Math.max(0, ...all.map((b) => b.y + b.h / 2));
  const minY = Math.min(0, ...all.map((b) => b.y - b.h / 2));
  const noteText = [graph.note, graph.prefixNote].filter((n) => n !== undefined).join(" — ");
  const noteLines = noteText ? wrap(noteText, 70) : [];
  const note: Block | undefined = noteText
    ? {
        x: (minX + maxX) / 2,
        y: maxY + 30 + height(noteLines) / 2,
        w: width(noteLines),
        h: height(noteLines),
        lines: noteLines,
      }
    : undefined;
  const titleY = minY - 30;
  const left =
    Math.min(minX, note ? note.x - note.w / 2 : minX, -width([graph.title]) / 2) - MARGIN;
  const right =
    Math.max(maxX, note ? note.x + note.w / 2 : maxX, width([graph.title]) / 2) + MARGIN;
  const top = titleY - FONT - MARGIN;
  const bottom = (note ? note.y + note.h / 2 : maxY) + MARGIN;
  const W = Math.ceil(right - left);
  const H = Math.ceil(bottom - top);

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="${n1(left)} ${n1(top)} ${W} ${H}">`,
    `<title>${xml(graph.title)}</title>`,
    "<style>text{font-family:'DejaVu Sans Mono',monospace;font-size:12px;fill:#111827}.t{font-size:14px;font-weight:bold}.h{font-weight:bold}</style>",
    `<rect x="${n1(left)}" y="${n1(top)}" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text class="t" x="${n1(-width([graph.title]) / 2 + PAD)}" y="${n1(titleY)}">${xml(graph.title)}</text>`,
  ];
  graph.edges.forEach((e) => {
    const [a, b] = ends(e);
    const broken = e.labels.some((l) => l.broken);
    const stroke = changed.has(e.key) ? "#d97706" : broken ? "#dc2626" : "#1d4ed8";
    const sw = changed.has(e.key) ? 4 : 2;
    const dash = broken ? ' stroke-dasharray="8 5"' : "";
    out.push(
      `<line x1="${n1(a.x)}" y1="${n1(a.y)}" x2="${n1(b.x)}" y2="${n1(b.y)}" stroke="${stroke}" stroke-width="${sw}"${dash}/>`,
    );
  });
  graph.boxes.forEach((g, i) => {
    const b = must(boxes[i], `box ${g.name}`);
    const e = inside.get(g.name);
    const stroke = e && changed.has(e.key) ? "#d97706" : "#1d4ed8";
    out.push(
      `<rect x="${n1(b.x - b.w / 2)}" y="${n1(b.y - b.h / 2)}" width="${n1(b.w)}" height="${n1(b.h)}" rx="8" fill="#eff6ff" stroke="${stroke}" stroke-width="2"/>`,
      text(b, "b"),
    );
  });
  for (const l of labels) {
    out.push(
      `<rect x="${n1(l.x - l.w / 2)}" y="${n1(l.y - l.h / 2)}" width="${n1(l.w)}" height="${n1(l.h)}" fill="#ffffff" stroke="#9ca3af" stroke-width="1"/>`,
      text(l, "l"),
    );
  }
  if (note) {
    out.push(
      `<rect x="${n1(note.x - note.w / 2)}" y="${n1(note.y - note.h / 2)}" width="${n1(note.w)}" height="${n1(note.h)}" fill="#fef3c7" stroke="#b45309" stroke-width="1.5"/>`,
      text(note, "n"),
    );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function overlaps(a: Block, b: Block): boolean {
  return Math.abs(a.x - b.x) * 2 < a.w + b.w + 4 && Math.abs(a.y - b.y) * 2 < a.h + b.h + 4;
}

/** Words into lines of at most `max` characters (a longer word stays whole). */
function wrap(s: string, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of s.split(" ")) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
