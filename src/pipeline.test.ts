import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "./load/reader.js";
import { compile } from "./pipeline.js";
import { BASE_REPO, poolYaml } from "./policy/tester.js";

const bothModes = {
  ...BASE_REPO,
  "pools.yaml": poolYaml("p", "cidr: 10.9.0.0/16", "ipipMode: Always", "vxlanMode: Always"),
};

describe("compile", () => {
  it("runs the rules after the model, and renders only when asked and nothing failed", () => {
    const checked = compile(new MemoryRepoReader(bothModes));
    expect(checked.diagnostics.map((d) => d.code)).toContain("pool-encapsulation-exclusive");
    expect(checked.files).toBeUndefined();
    expect(compile(new MemoryRepoReader(bothModes), { render: "all" }).files).toBeUndefined();
    const gateways = BASE_REPO["topology.yaml"]!.replace(
      "cidr: 10.0.1.0/24",
      "cidr: 10.0.1.0/24\n      gateway: 10.0.1.1",
    ).replace("cidr: 10.0.2.0/24", "cidr: 10.0.2.0/24\n      gateway: 10.0.2.1");
    const rendered = compile(new MemoryRepoReader({ ...BASE_REPO, "topology.yaml": gateways }), {
      render: "all",
    });
    expect(rendered.diagnostics).toEqual([]);
    expect(rendered.files?.length).toBe(18);
  });

  it("says where host files are rendered that none are for a subnet without a default route", () => {
    const all = compile(new MemoryRepoReader(BASE_REPO), { render: "all" });
    expect(all.diagnostics.map((d) => [d.code, d.severity, d.resource])).toEqual([
      ["NC5035", "warning", "Subnet/rack-1"],
      ["NC5035", "warning", "Subnet/rack-2"],
    ]);
    expect(all.files?.map((f) => f.path).filter((p) => p.startsWith("hosts/"))).toEqual([]);
    // validate renders nothing, and so says nothing about host files.
    expect(compile(new MemoryRepoReader(BASE_REPO)).diagnostics).toEqual([]);
  });

  it("with rules: false stops at the model: no rule runs, nothing renders", () => {
    const result = compile(new MemoryRepoReader(bothModes), { rules: false, render: "all" });
    expect(result.model?.pools.map((p) => p.name)).toEqual(["p"]);
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toBeUndefined();
  });
});
