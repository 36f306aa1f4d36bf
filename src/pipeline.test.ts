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
    expect(compile(new MemoryRepoReader(BASE_REPO), { render: "all" }).files?.length).toBe(18);
  });

  it("with rules: false stops at the model: no rule runs, nothing renders", () => {
    const result = compile(new MemoryRepoReader(bothModes), { rules: false, render: "all" });
    expect(result.model?.pools.map((p) => p.name)).toEqual(["p"]);
    expect(result.diagnostics).toEqual([]);
    expect(result.files).toBeUndefined();
  });
});
