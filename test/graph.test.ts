/**
 * `netcompile graph`: goldens per fixture case (expected/graph.mmd, expected/graph.dot; regenerate
 * with `UPDATE_GOLDENS=1 npm test`), agreement with `explain`'s decisions, escaping of every
 * format, the `--nodes` limit, the SVG rendered to PNG by rsvg-convert (skipped when absent), and
 * the Overlay section of the markdown plan.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  boxLines,
  buildGraph,
  type EdgeLabel,
  formatDot,
  formatMermaid,
  formatSvg,
  labelText,
  NODE_DETAIL_LIMIT,
} from "../src/graph/index.js";
import { FsRepoReader, MemoryRepoReader } from "../src/load/reader.js";
import { nodeAddress } from "../src/model/families.js";
import { pathsBetween } from "../src/model/routing.js";
import type { Model } from "../src/model/types.js";
import { compile } from "../src/pipeline.js";
import { git } from "./plan-support.js";
import { cli, minimalRepo, removeDir, testdir } from "./support.js";
import { golden } from "./golden.js";

const root = join(import.meta.dirname, "..");
const casesDir = join(root, "fixtures", "cases");
const CASES = [
  "ipip-always",
  "ipip-cross-subnet",
  "static-ipip",
  "static-vxlan-cross-subnet",
  "static-vxlan-dual-stack",
  "vxlan-always",
];

function modelOf(dir: string): Model {
  const result = compile(new FsRepoReader(dir, dir), { render: "none" });
  expect(result.model).toBeDefined();
  return result.model!;
}

const hasDot = (() => {
  try {
    execFileSync("dot", ["-V"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
})();

const hasRsvg = (() => {
  try {
    execFileSync("rsvg-convert", ["--version"], { stdio: "pipe" });
    return true;
  } catch {
    return false;
  }
})();

describe.each(CASES)("graph of case %s", (name) => {
  const caseDir = join(casesDir, name);
  it("prints the golden mermaid and dot", async () => {
    const m = await cli(["graph", "--repo", "input"], caseDir);
    expect(m.code, m.stderr).toBe(0);
    golden(join(caseDir, "expected", "graph.mmd"), m.stdout);
    const d = await cli(["graph", "--repo", "input", "--format", "dot"], caseDir);
    expect(d.code, d.stderr).toBe(0);
    golden(join(caseDir, "expected", "graph.dot"), d.stdout);
  });

  it("labels every edge with the decision explain makes for every node pair", () => {
    const model = modelOf(join(caseDir, "input"));
    const graph = buildGraph(model);
    const all = [...graph.edges, ...graph.inside];
    const nodes = model.topology.nodes;
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        for (const p of pathsBetween(model, a, b)) {
          const family = p.decision.family;
          const [x, y] = [
            nodeAddress(a, family)!.subnet!.name,
            nodeAddress(b, family)!.subnet!.name,
          ];
          const edge = all.find(
            (e) => (e.from === x && e.to === y) || (e.from === y && e.to === x),
          );
          expect(edge, `${x} -> ${y}`).toBeDefined();
          expect(
            edge!.labels.some((l) => l.pool === p.decision.pool.name && l.kind === p.decision.kind),
            `${a.name} -> ${b.name}: ${p.decision.kind}`,
          ).toBe(true);
        }
      }
    }
  });
});

describe("netcompile graph", () => {
  it("is deterministic and draws CrossSubnet as direct inside, IPIP across, with a router note", async () => {
    const dir = join(casesDir, "ipip-cross-subnet");
    const a = await cli(["graph", "--repo", "input"], dir);
    const b = await cli(["graph", "--repo", "input"], dir);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toMatch(/inside: ippool-cross-subnet-1: direct/);
    expect(a.stdout).toMatch(/---\|"ippool-cross-subnet-1: IPIP, pod MTU \d+"\|/);
    expect(a.stdout).toMatch(/router\{\{"Router between subnets/);
  });

  it("marks unencapsulated traffic across a router that does not route workload IPs", () => {
    const dir = testdir({
      ...minimalRepo,
      "pools.yaml": minimalRepo["pools.yaml"]!.replace("ipipMode: CrossSubnet", "ipipMode: Never"),
    });
    try {
      const graph = buildGraph(modelOf(dir));
      expect(graph.edges[0]!.labels[0]).toMatchObject({ kind: "direct", broken: true });
      expect(formatMermaid(graph)).toMatch(/-\.-\|"pool-1: direct, pod MTU \d+ ✗ not routed/);
      expect(formatDot(graph)).toMatch(/style=dashed/);
    } finally {
      removeDir(dir);
    }
  });

  it("says when CrossSubnet decisions assume interface prefixes netcompile does not set", () => {
    const topology = (rack2: string) =>
      minimalRepo["topology.yaml"]!.replace(
        "cidr: 10.0.1.0/24",
        "cidr: 10.0.1.0/24\n      gateway: 10.0.1.1",
      ).replace("cidr: 10.0.2.0/24", `cidr: 10.0.2.0/24\n      ${rack2}`);
    const noteOf = (files: Record<string, string>) => {
      const dir = testdir({ ...minimalRepo, ...files });
      try {
        return buildGraph(modelOf(dir));
      } finally {
        removeDir(dir);
      }
    };
    const dhcp = noteOf({ "topology.yaml": topology("dhcp: true") });
    expect(dhcp.prefixNote).toBe(
      "CrossSubnet decisions assume each node's interface prefix equals its subnet's; netcompile does not set it in rack-2 (DHCP), and Calico decides with the prefix on the interface (wider: direct across a router, which drops it; /32: always encapsulated)",
    );
    expect(formatMermaid(dhcp)).toContain('  prefix{{"CrossSubnet decisions assume');
    expect(formatDot(dhcp)).toContain('"prefix" [shape=note');
    expect(formatSvg(dhcp)).toContain("CrossSubnet decisions assume");
    const off = noteOf({
      "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  hostNetwork: { formats: [] }\n`,
    });
    expect(off.prefixNote).toContain("rack-1 (no host files), rack-2 (no host files)");
    // Host files set every prefix, or no pool decides by subnet: nothing to assume.
    expect(noteOf({ "topology.yaml": topology("gateway: 10.0.2.1") }).prefixNote).toBeUndefined();
    const always = minimalRepo["pools.yaml"]!.replace("CrossSubnet", "Always");
    expect(
      noteOf({ "topology.yaml": topology("dhcp: true"), "pools.yaml": always }).prefixNote,
    ).toBeUndefined();
  });

  it("the README shows the bundled example's picture as the command prints it", async () => {
    const r = await cli(["graph", "--repo", "fixtures/examples/basic"], root);
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain(
      `\`\`\`mermaid\n${r.stdout}\`\`\``,
    );
  });

  it("--pool keeps one pool; an unknown pool is a usage error with a suggestion", async () => {
    const dir = join(casesDir, "ipip-cross-subnet");
    const ok = await cli(["graph", "--repo", "input", "--pool", "ippool-cross-subnet-1"], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/pool ippool-cross-subnet-1\)/);
    const bad = await cli(["graph", "--repo", "input", "--pool", "ippool-cross-subnet-2"], dir);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/no pool named "ippool-cross-subnet-2".*ippool-cross-subnet-1/);
  });

  it(`--nodes lists nodes, and refuses above ${NODE_DETAIL_LIMIT} nodes`, async () => {
    const small = await cli(
      ["graph", "--repo", "input", "--nodes"],
      join(casesDir, "ipip-cross-subnet"),
    );
    expect(small.code).toBe(0);
    expect(small.stdout).toMatch(/node-a1 10\.10\.0\.11/);
    const listed = compile(
      new MemoryRepoReader({
        ...minimalRepo,
        "topology.yaml": minimalRepo["topology.yaml"]!.replace(
          "    - name: node-2\n      address: 10.0.2.10\n",
          "    - name: node-10\n      address: 10.0.1.20\n    - name: node-2\n      address: 10.0.1.12\n",
        ),
      }),
    ).model!;
    expect(buildGraph(listed, { nodes: true }).boxes[0]!.nodes!.map((n) => n.name)).toEqual([
      "node-1",
      "node-2",
      "node-10",
    ]);
    const dir = testdir({
      ...minimalRepo,
      "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: big
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.0.0/16
  nodeGroups:
    - namePrefix: w-
      count: ${NODE_DETAIL_LIMIT + 1}
      subnet: rack-1
      firstAddress: 10.0.1.1
`,
    });
    try {
      const big = await cli(["graph", "--repo", ".", "--nodes"], dir);
      expect(big.code).toBe(3);
      expect(big.stderr).toMatch(
        new RegExp(
          `at most ${NODE_DETAIL_LIMIT} nodes \\(this one has ${NODE_DETAIL_LIMIT + 1}\\)`,
        ),
      );
      expect((await cli(["graph", "--repo", "."], dir)).code).toBe(0);
    } finally {
      removeDir(dir);
    }
  });

  it("escapes names from the repository in every format", () => {
    const evil = 'x"]; s9[`evil`] %% <b>&#35;\\N';
    const graph = buildGraph(modelOf(join(casesDir, "ipip-cross-subnet", "input")));
    const rename = new Map(graph.boxes.map((b, i) => [b.name, `${evil}${i}`]));
    const move = <E extends { from: string; to: string }>(e: E): E => ({
      ...e,
      from: rename.get(e.from)!,
      to: rename.get(e.to)!,
    });
    const hostile = {
      ...graph,
      title: evil,
      boxes: graph.boxes.map((b) => ({ ...b, name: rename.get(b.name)!, zone: "</text><script>" })),
      edges: graph.edges.map(move),
      inside: graph.inside.map(move),
    };
    const mmd = formatMermaid(hostile);
    for (const line of mmd.split("\n").filter((l) => l.includes("["))) {
      // Every label is one quoted string without a raw quote, bracket, backtick or angle bracket.
      const m = /^ {2}s\d\["([^"]*)"\]$/.exec(line);
      if (m) expect(m[1]!.replaceAll("<br>", "")).not.toMatch(/[`<>[\]"]|&#/);
    }
    expect(mmd).not.toContain("`");
    const dot = formatDot(hostile);
    expect(dot).toContain('x\\"]; s9[`evil`] %% <b>&amp;#35;\\\\N');
    const svg = formatSvg(hostile);
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("<b>");
    expect(svg).toContain("&#60;/text&#62;&#60;script&#62;");
  });

  it.skipIf(!hasRsvg)(
    "renders an SVG that rsvg-convert turns into a readable, non-blank PNG",
    async () => {
      const r = await cli(["graph", "--repo", "fixtures/examples/basic", "--format", "svg"], root);
      expect(r.code, r.stderr).toBe(0);
      const dir = testdir({ "graph.svg": r.stdout });
      try {
        execFileSync("rsvg-convert", ["-o", join(dir, "graph.png"), join(dir, "graph.svg")]);
        const png = decodePng(readFileSync(join(dir, "graph.png")));
        expect(png.width).toBe(Number(/width="(\d+)"/.exec(r.stdout)![1]));
        expect(png.width).toBeGreaterThan(400);
        expect(png.height).toBeGreaterThan(300);
        // Text, boxes and lines: well over 2% of the pixels are not white.
        expect(png.inked / (png.width * png.height)).toBeGreaterThan(0.02);
      } finally {
        removeDir(dir);
      }
    },
  );
  if (!hasRsvg) it.skip("SVG to PNG: rsvg-convert is not installed (apt-get install librsvg2-bin)");
});

describe("each format escapes a name exactly once", () => {
  // Names that a format would read as markup: entities, escapes, quotes, tags, comments.
  const HOSTILE = [
    "AT&T",
    "x&amp;y",
    "z&#35;w #92;",
    "lab\\n two",
    "\\N \\G \\L \\\\",
    '"quoted" [a] {b} |c|',
    "<b>bold</b> %% end",
    "`tick` ;semi",
  ];
  function hostileGraph() {
    const graph = buildGraph(modelOf(join(casesDir, "ipip-cross-subnet", "input")));
    const rename = new Map(graph.boxes.map((b, i) => [b.name, HOSTILE[i % HOSTILE.length]!]));
    const move = <E extends { from: string; to: string; labels: readonly EdgeLabel[] }>(e: E) => ({
      ...e,
      from: rename.get(e.from)!,
      to: rename.get(e.to)!,
      labels: e.labels.map((l, i) => ({ ...l, pool: HOSTILE[(i + 3) % HOSTILE.length]! })),
    });
    return {
      ...graph,
      title: HOSTILE.join(" "),
      boxes: graph.boxes.map((b, i) => ({
        ...b,
        name: rename.get(b.name)!,
        zone: HOSTILE[(i + 5) % HOSTILE.length]!,
      })),
      edges: graph.edges.map(move),
      inside: graph.inside.map(move),
    };
  }
  /** Every line of text the picture must show, as the model says it. */
  function expectedLines(g: ReturnType<typeof hostileGraph>): string[] {
    const inside = new Map(g.inside.map((e) => [e.from, e]));
    return [
      ...g.boxes.flatMap((b) => boxLines(b, inside.get(b.name))),
      ...g.edges.flatMap((e) => e.labels.map(labelText)),
    ].sort();
  }

  it("mermaid: every label decodes (#code; entities, <br> lines) to exactly the text", () => {
    const g = hostileGraph();
    const mmd = formatMermaid(g);
    const labels = [...mmd.matchAll(/(?:\[|\|)"([^"]*)"(?:\]|\|)/g)].map((m) => m[1]!);
    // Nothing mermaid reads as markup is left: no backslash (a literal \n stays literal), no
    // quote, bracket, angle bracket, backtick or % outside an entity.
    for (const label of labels) expect(label.replaceAll("<br>", "")).not.toMatch(/[\\"[\]<>`%]/);
    const decoded = labels
      .flatMap((l) => l.split("<br>"))
      .map((l) => l.replace(/#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))));
    expect(decoded.sort()).toEqual(expectedLines(g));
    expect(mmd).toContain("lab#92;n two");
  });

  it("svg: every name, zone and label line is a text element, XML-escaped once", () => {
    const g = hostileGraph();
    const svg = formatSvg(g);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
      m[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))),
    );
    // svg.ts draws the zone on a line of its own and spells the labels out in its legend.
    const wanted = [
      g.title,
      ...g.boxes.flatMap((b) => [b.name, `zone ${b.zone}`]),
      ...[...g.edges, ...g.inside].flatMap((e) => e.labels.map(labelText)),
    ];
    expect(wanted.filter((line) => !texts.includes(line))).toEqual([]);
    expect(svg).not.toMatch(/&amp;#|<b>|<\/b>/);
  });

  it("dot: Graphviz shows exactly the text", (ctx) => {
    ctx.skip(!hasDot, "Graphviz is not installed (apt-get install graphviz)");
    const g = hostileGraph();
    const svg = execFileSync("dot", ["-Tsvg"], { input: formatDot(g), encoding: "utf8" });
    const xml: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    const shown = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
      m[1]!.replace(/&(#\d+|\w+);/g, (_, e: string) =>
        e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : xml[e]!,
      ),
    );
    const { title, note } = g;
    expect(shown.filter((t) => t !== title && t !== note).sort()).toEqual(expectedLines(g));
    expect(shown).toContain(title);
  });
});

describe("plan markdown: Overlay", () => {
  it("shows before and after mermaid with the changed edges when an edge changes", async () => {
    const caseDir = join(casesDir, "plan-cross-subnet-to-always");
    const work = testdir({});
    try {
      mkdirSync(join(work, "repo"));
      execFileSync("cp", ["-r", `${join(caseDir, "previous")}/.`, join(work, "repo")]);
      git(join(work, "repo"), "init", "-q", "-b", "main");
      git(join(work, "repo"), "add", "-A");
      git(join(work, "repo"), "commit", "-q", "-m", "previous");
      execFileSync("cp", ["-r", `${join(caseDir, "input")}/.`, join(work, "repo")]);
      const md = (
        await cli(["plan", "--repo", "repo", "--base", "main", "--format", "markdown"], work)
      ).stdout;
      expect(md).toContain("#### Overlay");
      expect(md.match(/```mermaid/g)).toHaveLength(2);
      expect(md).toContain(
        "<code>inside subnet-a</code>: pool-1: direct, pod MTU 1480 → pool-1: IPIP",
      );
      expect(md).toContain("stroke:#d97706");

      // --against a rendered tree: no base model, so the picture is skipped with a note.
      const built = await cli(
        ["build", "--repo", join(caseDir, "previous"), "--out", "prev"],
        work,
      );
      expect(built.code, built.stderr).toBe(0);
      const against = (
        await cli(["plan", "--repo", "repo", "--against", "prev", "--format", "markdown"], work)
      ).stdout;
      expect(against).toMatch(/Overlay picture skipped: the base is a rendered tree/);
      expect(against).not.toContain("```mermaid");
    } finally {
      removeDir(work);
    }
  });

  it("draws nothing when no edge changes", () => {
    const caseDir = join(casesDir, "plan-nodes-added");
    const md = readFileSync(join(caseDir, "expected", "plan.md"), "utf8");
    expect(md).not.toContain("#### Overlay");
  });
});

/** Width, height and the number of non-white, visible pixels of an 8-bit RGB(A) PNG. */
function decodePng(buf: Buffer): { width: number; height: number; inked: number } {
  expect(buf.subarray(1, 4).toString("latin1")).toBe("PNG");
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.subarray(pos + 4, pos + 8).toString("latin1");
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      colorType = data[9]!;
    } else if (type === "IDAT") idat.push(data);
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  expect(bpp).toBeGreaterThan(0);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const prev = Buffer.alloc(stride);
  const line = Buffer.alloc(stride);
  let inked = 0;
  for (let y = 0; y < height; y++) {
    const off = y * (stride + 1);
    const filter = raw[off]!;
    for (let x = 0; x < stride; x++) {
      const cur = raw[off + 1 + x]!;
      const a = x >= bpp ? line[x - bpp]! : 0;
      const b = prev[x]!;
      const c = x >= bpp ? prev[x - bpp]! : 0;
      let v = cur;
      if (filter === 1) v = cur + a;
      else if (filter === 2) v = cur + b;
      else if (filter === 3) v = cur + ((a + b) >> 1);
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = cur + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      line[x] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const i = x * bpp;
      const alpha = bpp === 4 ? line[i + 3]! : 255;
      if (alpha > 0 && (line[i]! < 200 || line[i + 1]! < 200 || line[i + 2]! < 200)) inked++;
    }
    line.copy(prev);
  }
  return { width, height, inked };
}
