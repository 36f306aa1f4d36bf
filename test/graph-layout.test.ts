/**
 * The SVG netcompile lays out itself (src/graph/svg.ts), read back from its own output: on 1 to
 * 8 subnets, with and without `--nodes`, nothing overlaps — no two text elements, no badge with
 * a box, another badge or text — every text sits inside its box, badge or note (no clipping),
 * everything inside the picture, and the picture stays narrow enough to read scaled to a page.
 *
 * Text is measured with the approximation svg.ts sizes with (TEXT_METRICS): a monospace font
 * whose every character advances 0.602 em, from the baseline up 0.928 em and down 0.236 em
 * (DejaVu Sans Mono's metrics), a wide character counting as two; bold text advances the same.
 */
import { describe, expect, it } from "vitest";
import { buildGraph, formatSvg } from "../src/graph/index.js";
import { MemoryRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";
import { TEXT_METRICS, textCells } from "../src/graph/svg.js";

/**
 * The widest picture, in CSS pixels, that stays legible on a page: scaled to 1,000 px (a
 * pull-request comment, a printed page), its 12 px text is still 10 px.
 */
const PAGE_WIDTH = 1200;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}
interface Text extends Box {
  readonly text: string;
}

const decode = (s: string) =>
  s.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
const attr = (tag: string, name: string) =>
  Number(new RegExp(` ${name}="([-\\d.]+)"`).exec(tag)![1]);

/** The picture's text elements, rectangles and viewBox, as measured by the metrics above. */
function parse(svg: string) {
  const [vx, vy, vw, vh] = /viewBox="([^"]+)"/.exec(svg)![1]!.split(" ").map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const texts: Text[] = [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].map(([, tag, body]) => {
    const cls = /class="(\w+)"/.exec(tag!)?.[1];
    const size = cls === "t" ? 14 : 12;
    const text = decode(body!);
    const w = textCells(text) * TEXT_METRICS.advance * size;
    const x = attr(tag!, "x") - (cls === "b" ? w / 2 : 0);
    const base = attr(tag!, "y");
    const y = base - TEXT_METRICS.ascent * size;
    return { text, x, y, w, h: (TEXT_METRICS.ascent + TEXT_METRICS.descent) * size };
  });
  const rects: (Box & { kind: "box" | "badge" | "note" })[] = [...svg.matchAll(/<rect([^>]*)\/>/g)]
    .map(([, tag]) => ({
      x: attr(tag!, "x"),
      y: attr(tag!, "y"),
      w: attr(tag!, "width"),
      h: attr(tag!, "height"),
      kind: tag!.includes('rx="9"')
        ? ("badge" as const)
        : tag!.includes('rx="8"')
          ? ("box" as const)
          : ("note" as const),
    }))
    .slice(1); // the first is the white background
  return { view: { x: vx, y: vy, w: vw, h: vh }, texts, rects, width: vw };
}

const overlaps = (a: Box, b: Box, tolerance = 0.5) =>
  a.x < b.x + b.w - tolerance &&
  b.x < a.x + a.w - tolerance &&
  a.y < b.y + b.h - tolerance &&
  b.y < a.y + a.h - tolerance;
const inside = (a: Box, b: Box, tolerance = 0.5) =>
  a.x >= b.x - tolerance &&
  a.y >= b.y - tolerance &&
  a.x + a.w <= b.x + b.w + tolerance &&
  a.y + a.h <= b.y + b.h + tolerance;
const holds = (b: Box, x: number, y: number) =>
  x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h;

/** Every way the picture breaks the rules, as sentences (empty when it is fine). */
function problems(svg: string): string[] {
  const { view, texts, rects } = parse(svg);
  const out: string[] = [];
  texts.forEach((a, i) =>
    texts.slice(i + 1).forEach((b) => {
      if (overlaps(a, b)) out.push(`text "${a.text}" overlaps text "${b.text}"`);
    }),
  );
  for (const t of texts) {
    const home = rects.find((r) => holds(r, t.x + 1, t.y + t.h / 2));
    if (home && !inside(t, home)) out.push(`text "${t.text}" is clipped by its ${home.kind}`);
    for (const r of rects)
      if (r !== home && overlaps(t, r)) out.push(`text "${t.text}" overlaps a ${r.kind}`);
    if (!inside(t, view)) out.push(`text "${t.text}" is outside the picture`);
  }
  rects.forEach((a, i) =>
    rects.slice(i + 1).forEach((b) => {
      if (overlaps(a, b, -2)) out.push(`a ${a.kind} at ${a.x},${a.y} overlaps a ${b.kind}`);
    }),
  );
  for (const r of rects) if (!inside(r, view)) out.push(`a ${r.kind} is outside the picture`);
  return out;
}

/** A repository of `n` subnets: long names, zones, two pools (one flat on two subnets: broken). */
function repository(n: number, nodesPerSubnet: number): Record<string, string> {
  const subnets = Array.from(
    { length: n },
    (_, i) =>
      `    - name: ${i % 2 ? `subnet-${i}` : `datacenter-${i}-rack-row-${"x".repeat(i)}`}\n      cidr: 10.${i}.0.0/24\n      zone: zone-${i}\n${i % 3 === 1 ? "      mtu: 9001\n" : ""}`,
  ).join("");
  const nodes = Array.from({ length: n * nodesPerSubnet }, (_, k) => {
    const s = Math.floor(k / nodesPerSubnet);
    return `    - name: node-${s}-${k % nodesPerSubnet}\n      address: 10.${s}.0.${10 + (k % nodesPerSubnet)}\n${s < 2 ? '      labels: {flat: "yes"}\n' : ""}`;
  }).join("");
  return {
    "netcompile.yaml":
      "apiVersion: netcompile.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: layout\nspec:\n  provider: aws\n",
    "topology.yaml": `apiVersion: netcompile.dev/v1alpha1\nkind: Topology\nmetadata:\n  name: lab\nspec:\n  subnets:\n${subnets}  nodes:\n${nodes}`,
    "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods-cross-subnet
spec:
  cidr: 192.168.0.0/16
  vxlanMode: CrossSubnet
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: flat
  annotations:
    netcompile.dev/waive: "encapsulation-required: a broken edge to draw"
spec:
  cidr: 192.170.0.0/16
  nodeSelector: flat == "yes"
`,
  };
}

function svgOf(n: number, nodes: boolean, perSubnet = 3, withErrors = false): string {
  const files = repository(n, perSubnet);
  // Without the waiver the flat pool is an error: marked on its labels, with the red note.
  if (withErrors) files["pools.yaml"] = files["pools.yaml"]!.replace(/ {2}annotations:\n.*\n/, "");
  const result = compile(new MemoryRepoReader(files));
  const errors = result.diagnostics.filter((d) => d.severity === "error" && !d.waived);
  expect(errors.length > 0).toBe(withErrors);
  return formatSvg(
    buildGraph(result.model!, { nodes, ...(withErrors ? { findings: result.diagnostics } : {}) }),
  );
}

describe("the SVG layout", () => {
  const sizes = [1, 2, 3, 4, 5, 6, 7, 8];
  it.each(sizes)("%i subnet(s): nothing overlaps, nothing is clipped, it fits a page", (n) => {
    const plain = svgOf(n, false);
    expect(problems(plain)).toEqual([]);
    expect(parse(plain).width).toBeLessThanOrEqual(PAGE_WIDTH);
  });

  it.each(sizes)("%i subnet(s) with --nodes: the same, node addresses included", (n) => {
    const svg = svgOf(n, true, Math.floor(50 / n) > 6 ? 6 : Math.floor(50 / n));
    expect(problems(svg)).toEqual([]);
    expect(parse(svg).width).toBeLessThanOrEqual(PAGE_WIDTH);
    expect(parse(svg).texts.map((t) => t.text)).toContain(`node-0-0 10.0.0.10`);
  });

  it.each([2, 5, 8])("%i subnets of a repository with errors: marks and note laid out too", (n) => {
    const svg = svgOf(n, true, 3, true);
    expect(svg).toContain("✗ encapsulation-required");
    expect(problems(svg)).toEqual([]);
    expect(parse(svg).width).toBeLessThanOrEqual(PAGE_WIDTH);
  });

  it("labels every edge: one badge per edge, each letter spelled out in the legend", () => {
    const svg = svgOf(5, false);
    const letters = parse(svg)
      .texts.filter((t) => /^[A-Z]+$/.test(t.text))
      .map((t) => t.text);
    const lines = [...svg.matchAll(/<line /g)].length;
    expect(lines).toBe(10);
    // Each edge's badge plus one legend badge per letter.
    const distinct = new Set(letters);
    expect(letters.length).toBe(lines + distinct.size);
  });

  it("the checks notice overlapping texts, a clipped text and a badge on a box", () => {
    const svg = (body: string) =>
      `<svg viewBox="0 0 400 200"><rect x="0" y="0" width="400" height="200"/>${body}</svg>`;
    expect(
      problems(
        svg(
          '<rect x="10" y="10" width="60" height="40" rx="8"/><text x="18" y="30">a long subnet name</text>',
        ),
      ),
    ).toEqual(['text "a long subnet name" is clipped by its box']);
    expect(
      problems(svg('<text x="100" y="100">first</text><text x="120" y="104">second</text>')),
    ).toEqual(['text "first" overlaps text "second"']);
    expect(
      problems(
        svg(
          '<rect x="10" y="10" width="100" height="40" rx="8"/><rect x="100" y="20" width="18" height="18" rx="9"/>',
        ),
      ),
    ).toEqual(["a box at 10,10 overlaps a badge"]);
  });
});
