/**
 * The graph as SVG text, laid out by us (no browser, no network, no layout library).
 *
 * Subnet boxes sit on a ring; edges are straight lines between their centres, under the boxes.
 * Labels are not written on the lines, where they collide as soon as a few subnets share the
 * picture: each distinct label (the pools' decisions on an edge, or inside a subnet) gets a
 * letter, a small badge with that letter sits on every edge it labels, and the legend below the
 * ring spells each letter out; a box says `inside: B`. Badges are placed where they overlap no
 * box, no other badge and no other edge's line; the ring grows until every badge fits and no
 * line crosses a box it does not join. The title is above, the router note below the legend.
 *
 * Text is measured with a font-metrics approximation (TEXT_METRICS, which the layout test uses
 * too): DejaVu Sans Mono, whose every glyph advances 0.602 em, ascends 0.928 em and descends
 * 0.236 em; a wide character (CJK, emoji; drawn from a fallback font) counts as two.
 * Deterministic: every number is rounded to one decimal, every string is XML-escaped once.
 */
import { boxLines, labelText, type Graph, type GraphEdge } from "./model.js";
import { must } from "../util/must.js";

export interface SvgOptions {
  readonly changed?: ReadonlySet<string>;
}

/** The font-metrics approximation sizes are computed with (see above). */
export const TEXT_METRICS = {
  family: "DejaVu Sans Mono",
  advance: 0.602,
  ascent: 0.928,
  descent: 0.236,
} as const;

const FONT = 12;
const TITLE_FONT = 14;
const LINE = 16;
const PAD = 8;
const MARGIN = 24;
/** Space kept between any two boxes, badges or blocks. */
const GAP = 12;
const BADGE_H = 18;
/** How far another edge's line keeps from a badge's edge (negative: it may clip a corner). */
const LINE_CLEARANCE = -4;
/** The longest line the router note is wrapped to, in characters. */
const NOTE_WIDTH = 72;

const COLOR = {
  line: "#1d4ed8",
  broken: "#dc2626",
  changed: "#d97706",
  box: "#eff6ff",
  text: "#111827",
} as const;

/** XML text and attribute escaping. */
export function xml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** How many character cells a string takes (a wide character takes two). */
export function textCells(text: string): number {
  let cells = 0;
  for (const ch of text) cells += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return cells;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

const n1 = (x: number) => (Math.round(x * 10) / 10).toFixed(1).replace(/\.0$/, "");
const textWidth = (text: string, size = FONT) => textCells(text) * TEXT_METRICS.advance * size;
const blockWidth = (lines: readonly string[]) =>
  Math.max(0, ...lines.map((l) => textWidth(l))) + 2 * PAD;
const blockHeight = (lines: readonly string[]) => lines.length * LINE + 2 * PAD - 4;

/** An axis-aligned rectangle: x, y its top-left corner. */
interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const overlap = (a: Rect, b: Rect, gap = 0) =>
  a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;

/** One label group: the lines of a decision, the letter standing for them, its colour. */
interface Group {
  readonly letter: string;
  readonly lines: readonly string[];
  readonly color: string;
}

/** A, B, …, Z, AA, AB, … */
function letterFor(index: number): string {
  let i = index;
  let out = "";
  do {
    out = String.fromCharCode(65 + (i % 26)) + out;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return out;
}

export function formatSvg(graph: Graph, options: SvgOptions = {}): string {
  const changed = options.changed ?? new Set<string>();
  const groups = new Map<string, Group>();
  const groupOf = (e: GraphEdge): Group => {
    const isChanged = changed.has(e.key);
    const lines = [...(isChanged ? ["changed"] : []), ...e.labels.map(labelText)];
    const key = lines.join("\n");
    let group = groups.get(key);
    if (!group) {
      const color = isChanged
        ? COLOR.changed
        : e.labels.some((l) => l.broken)
          ? COLOR.broken
          : COLOR.line;
      group = { letter: letterFor(groups.size), lines, color };
      groups.set(key, group);
    }
    return group;
  };

  const inside = new Map(graph.inside.map((e) => [e.from, e]));
  const boxText = graph.boxes.map((b) => {
    const [name, cidr, summary, ...nodes] = boxLines(b, undefined);
    const e = inside.get(b.name);
    // The zone on a line of its own keeps boxes, and so the ring, narrow.
    const line = (text: string | undefined, what: string) => must(text, `box ${b.name}'s ${what}`);
    const [mtuAndNodes, zone] =
      b.zone === undefined
        ? [line(summary, "summary")]
        : splitZone(line(summary, "summary"), b.zone);
    return [
      line(name, "name"),
      line(cidr, "CIDR"),
      mtuAndNodes,
      ...(zone === undefined ? [] : [zone]),
      ...(e ? [`inside: ${groupOf(e).letter}`] : []),
      ...nodes,
    ];
  });
  const edgeGroups = graph.edges.map(groupOf);

  const ring = layoutRing(
    graph,
    boxText.map((lines) => ({ w: blockWidth(lines), h: blockHeight(lines) })),
    edgeGroups.map((g) => badgeWidth(g.letter)),
  );

  // The legend: one entry per letter, badge then lines, below the ring.
  const legendTop = ring.bottom + 2 * GAP;
  const legend: { badge: Rect; lines: readonly string[]; group: Group; top: number }[] = [];
  let y = legendTop;
  for (const g of groups.values()) {
    const badge = { x: ring.left, y, w: badgeWidth(g.letter), h: BADGE_H };
    legend.push({ badge, lines: g.lines, group: g, top: y });
    y += Math.max(BADGE_H, g.lines.length * LINE) + 6;
  }
  const legendBottom = legend.length ? y : ring.bottom;
  const legendRight = Math.max(
    ring.left,
    ...legend.map((e) => e.badge.x + e.badge.w + 8 + blockWidth(e.lines) - 2 * PAD),
  );

  // The warning (the repository does not validate) first, then the router and prefix notes.
  const textBlock = (lines: readonly string[], top: number): Rect => ({
    x: ring.left,
    y: top + GAP,
    w: blockWidth(lines),
    h: blockHeight(lines),
  });
  const warningLines = graph.warning ? wrap(graph.warning, NOTE_WIDTH) : [];
  const warning = graph.warning ? textBlock(warningLines, legendBottom) : undefined;
  const notesTop = warning ? warning.y + warning.h : legendBottom;
  const noteText = [graph.note, graph.prefixNote].filter((n) => n !== undefined).join(" — ");
  const noteLines = noteText ? wrap(noteText, NOTE_WIDTH) : [];
  const note = noteText ? textBlock(noteLines, notesTop) : undefined;

  const titleBaseline = ring.top - 2 * GAP;
  const titleTop = titleBaseline - TEXT_METRICS.ascent * TITLE_FONT;
  const left = ring.left - MARGIN;
  const top = titleTop - MARGIN;
  const right =
    Math.max(
      ring.right,
      legendRight,
      note ? note.x + note.w : ring.right,
      warning ? warning.x + warning.w : ring.right,
      ring.left + textWidth(graph.title, TITLE_FONT),
    ) + MARGIN;
  const bottom = (note ? note.y + note.h : notesTop) + MARGIN;
  const W = Math.ceil(right - left);
  const H = Math.ceil(bottom - top);

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="${n1(left)} ${n1(top)} ${W} ${H}">`,
    `<title>${xml(graph.title)}</title>`,
    `<style>text{font-family:'${TEXT_METRICS.family}',monospace;font-size:${FONT}px;fill:${COLOR.text}}.t{font-size:${TITLE_FONT}px;font-weight:bold}.h{font-weight:bold}.b{font-weight:bold;text-anchor:middle}</style>`,
    `<rect x="${n1(left)}" y="${n1(top)}" width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text class="t" x="${n1(ring.left)}" y="${n1(titleBaseline)}">${xml(graph.title)}</text>`,
  ];
  graph.edges.forEach((e, i) => {
    const [a, b] = [e.from, e.to].map((name) =>
      must(ring.boxes[must(ring.index.get(name), `box ${name}`)], `box ${name}`),
    ) as [Rect, Rect];
    const broken = e.labels.some((l) => l.broken);
    const isChanged = changed.has(e.key);
    const stroke = isChanged ? COLOR.changed : broken ? COLOR.broken : COLOR.line;
    const dash = broken ? ' stroke-dasharray="8 5"' : "";
    out.push(
      `<line x1="${n1(cx(a))}" y1="${n1(cy(a))}" x2="${n1(cx(b))}" y2="${n1(cy(b))}" stroke="${stroke}" stroke-width="${isChanged ? 4 : 2}"${dash}><title>${xml(`${e.from} ↔ ${e.to}: ${must(edgeGroups[i], `edge ${e.key}'s group`).letter}`)}</title></line>`,
    );
  });
  graph.boxes.forEach((g, i) => {
    const r = must(ring.boxes[i], `box ${g.name}`);
    const e = inside.get(g.name);
    const stroke = e && changed.has(e.key) ? COLOR.changed : COLOR.line;
    out.push(
      `<rect x="${n1(r.x)}" y="${n1(r.y)}" width="${n1(r.w)}" height="${n1(r.h)}" rx="8" fill="${COLOR.box}" stroke="${stroke}" stroke-width="2"/>`,
      textLines(r, must(boxText[i], `box ${g.name}'s text`), (j) => (j === 0 ? "h" : undefined)),
    );
  });
  ring.badges.forEach((badge, i) =>
    out.push(badgeSvg(badge, must(edgeGroups[i], "a badge's group"))),
  );
  for (const entry of legend) {
    out.push(badgeSvg(entry.badge, entry.group));
    const x = entry.badge.x + entry.badge.w + 8;
    entry.lines.forEach((line, j) =>
      out.push(`<text x="${n1(x)}" y="${n1(baseline(entry.top + 1, j))}">${xml(line)}</text>`),
    );
  }
  if (warning) {
    out.push(
      `<rect x="${n1(warning.x)}" y="${n1(warning.y)}" width="${n1(warning.w)}" height="${n1(warning.h)}" fill="#fee2e2" stroke="#dc2626" stroke-width="1.5"/>`,
      textLines(warning, warningLines),
    );
  }
  if (note) {
    out.push(
      `<rect x="${n1(note.x)}" y="${n1(note.y)}" width="${n1(note.w)}" height="${n1(note.h)}" fill="#fef3c7" stroke="#b45309" stroke-width="1.5"/>`,
      textLines(note, noteLines),
    );
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

/** "MTU 1500 · 3 nodes · us-east-1a" as "MTU 1500 · 3 nodes" and "zone us-east-1a". */
function splitZone(summary: string, zone: string): [string, string] {
  const suffix = ` · ${zone}`;
  return summary.endsWith(suffix)
    ? [summary.slice(0, -suffix.length), `zone ${zone}`]
    : [summary, `zone ${zone}`];
}

const cx = (r: Rect) => r.x + r.w / 2;
const cy = (r: Rect) => r.y + r.h / 2;

/** The baseline of line `i` of a block whose first line's top is `top`. */
function baseline(top: number, i: number): number {
  return top + TEXT_METRICS.ascent * FONT + i * LINE;
}

function textLines(r: Rect, lines: readonly string[], cls?: (i: number) => string | undefined) {
  return lines
    .map((l, i) => {
      const c = cls?.(i);
      return `<text${c ? ` class="${c}"` : ""} x="${n1(r.x + PAD)}" y="${n1(baseline(r.y + PAD - 2, i))}">${xml(l)}</text>`;
    })
    .join("");
}

function badgeWidth(letter: string): number {
  return Math.max(BADGE_H, textWidth(letter) + 8);
}

function badgeSvg(r: Rect, g: Group): string {
  return `<rect x="${n1(r.x)}" y="${n1(r.y)}" width="${n1(r.w)}" height="${n1(r.h)}" rx="9" fill="#ffffff" stroke="${g.color}" stroke-width="2"/><text class="b" x="${n1(cx(r))}" y="${n1(r.y + (BADGE_H - FONT * (TEXT_METRICS.ascent + TEXT_METRICS.descent)) / 2 + TEXT_METRICS.ascent * FONT)}">${xml(g.letter)}</text>`;
}

interface Ring {
  readonly boxes: readonly Rect[];
  readonly badges: readonly Rect[];
  readonly index: ReadonlyMap<string, number>;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** How many rotations of the ring are tried (the narrowest layout wins), up to this many boxes. */
const ROTATIONS = 4;
const ROTATED_UP_TO = 12;

/**
 * Boxes on a ring, the narrowest of a few candidates (turned by a fraction of a step; a circle
 * or an upright ellipse), each just large enough that no two boxes overlap, then grown until
 * each edge's badge finds a free place on its line and no line crosses a box it does not join.
 */
function layoutRing(
  graph: Graph,
  sizes: readonly { w: number; h: number }[],
  badgeWidths: readonly number[],
): Ring {
  const rotations = sizes.length <= ROTATED_UP_TO ? ROTATIONS : 1;
  let best: Ring | undefined;
  for (let k = 0; k < rotations; k++) {
    for (const upright of [false, true]) {
      const ring = ringAt(graph, sizes, badgeWidths, k / rotations, upright);
      const size = (r: Ring) => [r.right - r.left, r.bottom - r.top] as const;
      if (
        !best ||
        size(ring)[0] < size(best)[0] - 0.5 ||
        (Math.abs(size(ring)[0] - size(best)[0]) <= 0.5 && size(ring)[1] < size(best)[1])
      )
        best = ring;
    }
  }
  return must(best, "a ring layout");
}

/** The ring turned by `turn` of a step, as a circle or an upright ellipse (see layoutRing). */
function ringAt(
  graph: Graph,
  sizes: readonly { w: number; h: number }[],
  badgeWidths: readonly number[],
  turn: number,
  upright: boolean,
): Ring {
  const n = sizes.length;
  const index = new Map(graph.boxes.map((b, i) => [b.name, i]));
  const unit = sizes.map((_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * (i + turn)) / n;
    return n === 1 ? { x: 0, y: 0 } : { x: Math.cos(angle), y: Math.sin(angle) };
  });
  // The smallest radius at which no two boxes overlap (apart on x or on y, with a gap).
  const size = (i: number) => must(sizes[i], `box ${i}'s size`);
  const dir = (i: number) => must(unit[i], `box ${i}'s direction`);
  const apart = (i: number, j: number, axis: "w" | "h") =>
    (size(i)[axis] + size(j)[axis]) / 2 + 3 * GAP;
  const pairs: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++)
      pairs.push([i, j, Math.abs(dir(i).x - dir(j).x), Math.abs(dir(i).y - dir(j).y)]);
  let ry = 60;
  for (const [i, j, dx, dy] of pairs) {
    const byX = dx > 1e-9 ? apart(i, j, "w") / dx : Infinity;
    const byY = dy > 1e-9 ? apart(i, j, "h") / dy : Infinity;
    ry = Math.max(ry, Math.min(byX, byY));
  }
  // An upright ellipse: as narrow as the boxes that are not apart on y allow.
  let rx = upright ? 60 : ry;
  if (upright)
    for (const [i, j, dx, dy] of pairs)
      if (ry * dy < apart(i, j, "h")) rx = Math.max(rx, apart(i, j, "w") / dx);
  const edges = graph.edges.map(
    (e) =>
      [must(index.get(e.from), `box ${e.from}`), must(index.get(e.to), `box ${e.to}`)] as const,
  );
  for (let attempt = 0; ; attempt++) {
    const boxes = sizes.map((s, i) => ({
      x: dir(i).x * rx - s.w / 2,
      y: dir(i).y * ry - s.h / 2,
      w: s.w,
      h: s.h,
    }));
    const avoidLines = attempt < 12;
    const box = (i: number) => must(boxes[i], `box ${i}`);
    const badges = placeBadges(boxes, edges, badgeWidths, avoidLines);
    const clear = edges.every(([a, b]) =>
      boxes.every((r, k) => k === a || k === b || !segmentHitsRect(box(a), box(b), r, 4)),
    );
    if ((badges && clear) || attempt >= 40) {
      const placed =
        badges ?? must(placeBadges(boxes, edges, badgeWidths, false, true), "badges placed anyway");
      const all = [...boxes, ...placed];
      return {
        boxes,
        badges: placed,
        index,
        left: Math.min(...all.map((r) => r.x)),
        right: Math.max(...all.map((r) => r.x + r.w)),
        top: Math.min(...all.map((r) => r.y)),
        bottom: Math.max(...all.map((r) => r.y + r.h)),
      };
    }
    rx *= 1.12;
    ry *= 1.12;
  }
}

/**
 * A badge on each edge's line, in edge order: the free place nearest the middle of the part of
 * the line between the two boxes; undefined when one does not fit (unless `anyway`).
 */
function placeBadges(
  boxes: readonly Rect[],
  edges: readonly (readonly [number, number])[],
  widths: readonly number[],
  avoidLines: boolean,
  anyway = false,
): Rect[] | undefined {
  const placed: Rect[] = [];
  for (let e = 0; e < edges.length; e++) {
    const box = (i: number) => must(boxes[i], `box ${i}`);
    const [ia, ib] = must(edges[e], `edge ${e}`);
    const a = box(ia);
    const b = box(ib);
    const w = must(widths[e], `edge ${e}'s badge width`);
    const ax = cx(a);
    const ay = cy(a);
    const length = Math.hypot(cx(b) - ax, cy(b) - ay);
    const step = Math.max(0.01, 6 / Math.max(length, 1));
    const candidates: number[] = [];
    for (let k = 0; 0.5 - k * step >= 0 || 0.5 + k * step <= 1; k++) {
      candidates.push(0.5 + k * step);
      if (k > 0) candidates.push(0.5 - k * step);
    }
    const at = (t: number): Rect => ({
      x: ax + (cx(b) - ax) * t - w / 2,
      y: ay + (cy(b) - ay) * t - BADGE_H / 2,
      w,
      h: BADGE_H,
    });
    const free = (r: Rect) =>
      boxes.every((box) => !overlap(r, box, GAP)) &&
      placed.every((p) => !overlap(r, p, 4)) &&
      (!avoidLines ||
        edges.every(
          ([i, j], other) => other === e || !segmentHitsRect(box(i), box(j), r, LINE_CLEARANCE),
        ));
    const spot = candidates
      .filter((t) => t > 0 && t < 1)
      .map(at)
      .find(free);
    if (!spot) {
      if (!anyway) return undefined;
      placed.push(at(0.5));
    } else placed.push(spot);
  }
  return placed;
}

/** Does the line between two boxes' centres pass through `r` (grown by `margin`)? */
function segmentHitsRect(a: Rect, b: Rect, r: Rect, margin: number): boolean {
  const x0 = cx(a);
  const y0 = cy(a);
  const dx = cx(b) - x0;
  const dy = cy(b) - y0;
  // Liang–Barsky clipping of the segment against the rectangle.
  let t0 = 0;
  let t1 = 1;
  const edges: [number, number][] = [
    [-dx, x0 - (r.x - margin)],
    [dx, r.x + r.w + margin - x0],
    [-dy, y0 - (r.y - margin)],
    [dy, r.y + r.h + margin - y0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
    if (t0 > t1) return false;
  }
  return true;
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
