/**
 * `explain` and `graph` answer on a repository that does not validate — which is when a picture
 * of "✗ not routed" helps most — marking what is wrong, and still exit 1. Only without a model
 * (a file that does not parse, a Cluster that fails its schema) do they print nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { buildGraph, formatDot, formatMermaid, formatSvg } from "../src/graph/index.js";
import { MemoryRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";
import { cli, minimalRepo, parseJson, removeDir, testdir } from "./support.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
function repo(files: Record<string, string>): string {
  const dir = testdir({ ...minimalRepo, ...files });
  dirs.push(dir);
  return dir;
}

/** The minimal repository with its pool unencapsulated across two subnets: an error. */
const UNROUTED = {
  "pools.yaml": minimalRepo["pools.yaml"]!.replace("  ipipMode: CrossSubnet\n", ""),
};
/** …and a second pool that fails its schema: left out of the model. */
const WITH_BROKEN_POOL = {
  "pools.yaml": `${UNROUTED["pools.yaml"]}---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: broken
spec:
  cidr: 10.244.0.0/16
  vxlanMode: Sometimes
`,
};

describe("explain on a repository with errors", () => {
  it("explains it as written, lists the errors bearing on the nodes first, and exits 1", async () => {
    const r = await cli(["explain", "node-1", "node-2"], repo(UNROUTED));
    expect(r.code).toBe(1);
    const lines = r.stdout.split("\n");
    expect(lines.slice(0, 3)).toEqual([
      "✗ The repository does not validate (netcompile validate lists every error); this is what it does as written. Bearing on these nodes:",
      expect.stringMatching(
        /^ {2}✗ error encapsulation-required pools\.yaml:5: IPPool "pool-1" does not encapsulate/,
      ),
      "",
    ]);
    expect(r.stdout).toContain("node-1 -> node-2: direct (no encapsulation)");
    expect(r.stdout).toContain("so this path fails");
    // The diagnostics themselves, on stderr as for every command.
    expect(r.stderr).toContain("error encapsulation-required");
  });

  it("names the documents left out of the model, in text and JSON", async () => {
    const dir = repo(WITH_BROKEN_POOL);
    const text = await cli(["explain", "node-1", "node-2"], dir);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/ {2}✗ info NC2006 pools\.yaml:\d+: IPPool\/broken is left out/);
    const json = await cli(["explain", "node-1", "node-2", "--format", "json"], dir);
    expect(json.code).toBe(1);
    const body = parseJson<{ valid: boolean; problems: { code: string }[]; paths: unknown[] }>(
      json.stdout,
    );
    expect(body.valid).toBe(false);
    expect(body.problems.map((p) => p.code)).toEqual(["encapsulation-required", "NC2006"]);
    expect(body.paths.length).toBeGreaterThan(0);
  });

  it("a valid repository: valid true, no problems, exit 0", async () => {
    const r = await cli(["explain", "node-1", "node-2", "--format", "json"], repo({}));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, problems: [] });
  });

  it("without a model (a Cluster that fails its schema) it prints nothing and exits 1", async () => {
    const cluster = minimalRepo["netcompile.yaml"]!.replace("bare-metal", "mars");
    const r = await cli(["explain", "node-1", "node-2"], repo({ "netcompile.yaml": cluster }));
    expect([r.code, r.stdout]).toEqual([1, ""]);
    expect(r.stderr).toContain("NC2004");
  });
});

describe("graph on a repository with errors", () => {
  it("draws it in every format, each error marked where it is, and exits 1", async () => {
    const dir = repo(WITH_BROKEN_POOL);
    for (const format of ["mermaid", "dot", "svg"]) {
      const r = await cli(["graph", "--format", format], dir);
      expect(r.code, format).toBe(1);
      expect(r.stdout, format).toContain("✗ encapsulation-required");
      expect(r.stdout, format).toContain("not routed by the underlay");
      expect(r.stdout, format).toMatch(/The repository does not validate \(2 errors/);
      expect(r.stdout, format).toContain("Left out, failing their schema: IPPool/broken.");
    }
    expect((await cli(["graph"], repo({}))).code).toBe(0);
  });

  it("marks an error on its pool's labels and on the box of its subnet or node", () => {
    const files = {
      ...minimalRepo,
      ...UNROUTED,
      "topology.yaml": minimalRepo["topology.yaml"]!.replace("name: node-2", "name: Node_2"),
    };
    const compiled = compile(new MemoryRepoReader(files));
    const graph = buildGraph(compiled.model!, { findings: compiled.diagnostics });
    expect(graph.edges[0]!.labels[0]!.problems).toEqual(["encapsulation-required"]);
    const rack2 = graph.boxes.find((b) => b.name === "rack-2")!;
    expect(rack2.problems).toEqual(["node-name-invalid"]);
    expect(graph.boxes.find((b) => b.name === "rack-1")!.problems).toEqual([]);
    for (const text of [formatMermaid(graph), formatDot(graph), formatSvg(graph)])
      expect(text).toContain("✗ node-name-invalid");
    // Without findings (a plan's overlay, a valid repository) nothing is marked.
    const plain = buildGraph(compiled.model!);
    expect(plain.warning).toBeUndefined();
    expect(formatMermaid(plain)).not.toContain("✗ encapsulation-required");
  });

  it("without a model it prints nothing and exits 1", async () => {
    const r = await cli(["graph"], repo({ "pools.yaml": "apiVersion: [\n" }));
    expect([r.code, r.stdout]).toEqual([1, ""]);
  });
});
