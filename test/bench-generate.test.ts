/** The benchmark's repository generator writes a valid repository of the requested size. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateRepository, writeRepository } from "../bench/generate.js";
import { FsRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("bench/generate", () => {
  it.each([
    ["calico", 300, 3, 2],
    ["static", 40, 4, 3],
  ] as const)("%s mode, %i nodes: validates with no finding", (mode, nodes, subnets, pools) => {
    // Static mode says, once, that it ships host files only (NC5038).
    const said = mode === "static" ? ["NC5038"] : [];
    const repo = generateRepository({ nodes, subnets, pools, mode });
    expect(repo.nodeNames).toHaveLength(nodes);
    expect(new Set(repo.nodeNames).size).toBe(nodes);
    const dir = mkdtempSync(join(tmpdir(), "nc-gen-"));
    dirs.push(dir);
    writeRepository(dir, repo);
    const result = compile(new FsRepoReader(dir), { render: "all" });
    const others = result.diagnostics.filter((d) => !said.includes(d.code));
    expect(others.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(said);
    expect(result.model?.topology.nodes).toHaveLength(nodes);
    expect(result.model?.pools).toHaveLength(pools);
    const hosts = new Set(
      result.files?.filter((f) => f.path.startsWith("hosts/")).map((f) => f.path.split("/")[1]),
    );
    expect(hosts.size).toBe(nodes);
  });

  it("changes exactly one pool with changedPool, and writes the same bytes each time", () => {
    const a = generateRepository({ nodes: 50 });
    const b = generateRepository({ nodes: 50, changedPool: 0 });
    expect(generateRepository({ nodes: 50 }).files).toEqual(a.files);
    const changed = [...a.files.keys()].filter((p) => a.files.get(p) !== b.files.get(p));
    expect(changed).toEqual(["pools/pool-0.yaml"]);
  });
});
