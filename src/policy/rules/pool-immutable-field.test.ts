import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "../../load/reader.js";
import { compile } from "../../pipeline.js";
import { factsFromModel } from "../../plan/facts.js";
import { makePlan } from "../../plan/plan.js";
import { PlanRuleTester } from "../../plan/rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./pool-immutable-field.js";

const cluster = (version = "v3.31.7", rules = "") => `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: test
spec:
  provider: bare-metal
  calicoVersion: ${version}
${rules}`;
const base = {
  "netcompile.yaml": cluster(),
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
`,
  "pools.yaml": poolYaml("p", "cidr: 192.168.0.0/16"),
};
const pools = (...docs: string[]) => ({ "pools.yaml": docs.join("---\n") });
const change = (field: string, from: string, to: string) => ({
  resource: "IPPool/p",
  field,
  from,
  to,
});
const who = {
  titleId: "change",
  acknowledgeable: false,
  pools: ["p"],
  nodes: ["node-1"],
  addresses: ["projectcalico.org/v3/IPPool/p"],
};
const migration = { pool: "p", cidr: "10.244.0.0/16", blockSize: 26 };

new PlanRuleTester({ describe, it }, base).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    {
      name: "a new pool",
      before: {},
      after: pools(poolYaml("p", "cidr: 192.168.0.0/16"), poolYaml("q", "cidr: 10.244.0.0/16")),
    },
    {
      name: "a pool removed",
      before: pools(poolYaml("p", "cidr: 192.168.0.0/16"), poolYaml("q", "cidr: 10.244.0.0/16")),
      after: {},
    },
    {
      name: "a pool renamed with another cidr (a new pool)",
      before: {},
      after: pools(poolYaml("q", "cidr: 10.244.0.0/16")),
    },
    {
      name: "other fields change",
      before: {},
      after: pools(poolYaml("p", "cidr: 192.168.0.0/16", "ipipMode: Always", "disabled: true")),
    },
    {
      name: "a workload pool becomes a LoadBalancer pool (Calico checks only the other way)",
      before: {},
      after: pools(poolYaml("p", "cidr: 192.168.0.0/16", "allowedUses: [LoadBalancer]")),
    },
    {
      name: "the same network rewritten in canonical form, from Calico v3.31.3",
      before: { "netcompile.yaml": cluster("v3.31.3") },
      after: {},
      rendered: { "manifests/ippools.yaml": poolYaml("p", "cidr: 192.168.0.1/16") },
    },
  ],
  invalid: [
    {
      name: "a LoadBalancer pool given the Workload use: Calico rejects the update",
      before: pools(poolYaml("p", "cidr: 192.168.0.0/16", "allowedUses: [LoadBalancer]")),
      after: pools(poolYaml("p", "cidr: 192.168.0.0/16", "allowedUses: [Workload]")),
      disruptions: [
        {
          ...who,
          messageId: "loadBalancerUse",
          data: { pool: "p", field: "spec.allowedUses", before: "LoadBalancer", after: "Workload" },
          file: "pools.yaml",
          line: 7,
          column: 16,
          change: change("spec.allowedUses", "LoadBalancer", "Workload"),
          // A LoadBalancer pool serves no node; the Workload pool serves node-1.
          nodes: ["node-1"],
          related: [
            {
              file: "pools.yaml",
              line: 7,
              column: 16,
              message: "the base has allowedUses [LoadBalancer] here",
            },
          ],
        },
      ],
    },
    {
      name: "a cidr change, at the new cidr, with the migration's data",
      before: {},
      after: pools(poolYaml("p", "cidr: 10.244.0.0/16")),
      disruptions: [
        {
          ...who,
          messageId: "immutable",
          data: {
            ...migration,
            field: "spec.cidr",
            before: "192.168.0.0/16",
            after: "10.244.0.0/16",
          },
          file: "pools.yaml",
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 22,
          change: change("spec.cidr", "192.168.0.0/16", "10.244.0.0/16"),
          related: [
            {
              file: "pools.yaml",
              line: 6,
              column: 9,
              message: "the base has cidr 192.168.0.0/16 here",
            },
          ],
        },
      ],
    },
    {
      name: "a blockSize change, also from the default (26) to an explicit one",
      before: {},
      after: pools(poolYaml("p", "cidr: 192.168.0.0/16", "blockSize: 24")),
      disruptions: [
        {
          ...who,
          messageId: "immutable",
          data: {
            pool: "p",
            cidr: "192.168.0.0/16",
            blockSize: 24,
            field: "spec.blockSize",
            before: 26,
            after: 24,
          },
          file: "pools.yaml",
          line: 7,
          column: 14,
          change: change("spec.blockSize", "26", "24"),
          related: [
            { file: "pools.yaml", line: 6, column: 3, message: "the base has blockSize 26 here" },
          ],
        },
      ],
    },
    {
      name: "cidr and blockSize changed together: two findings",
      before: {},
      after: pools(poolYaml("p", "cidr: 10.244.0.0/16", "blockSize: 28")),
      disruptions: [
        {
          ...who,
          messageId: "immutable",
          data: {
            ...migration,
            blockSize: 28,
            field: "spec.cidr",
            before: "192.168.0.0/16",
            after: "10.244.0.0/16",
          },
          file: "pools.yaml",
          line: 6,
          column: 9,
          change: change("spec.cidr", "192.168.0.0/16", "10.244.0.0/16"),
          related: [
            {
              file: "pools.yaml",
              line: 6,
              column: 9,
              message: "the base has cidr 192.168.0.0/16 here",
            },
          ],
        },
        {
          ...who,
          messageId: "immutable",
          data: { ...migration, blockSize: 28, field: "spec.blockSize", before: 26, after: 28 },
          file: "pools.yaml",
          line: 7,
          column: 14,
          change: change("spec.blockSize", "26", "28"),
          related: [
            { file: "pools.yaml", line: 6, column: 3, message: "the base has blockSize 26 here" },
          ],
        },
      ],
    },
    {
      name: "the same network rewritten in canonical form before Calico v3.31.3 (the older side's version)",
      before: { "netcompile.yaml": cluster("v3.30.2") },
      after: {},
      rendered: { "manifests/ippools.yaml": poolYaml("p", "cidr: 192.168.0.1/16") },
      disruptions: [
        {
          ...who,
          messageId: "canonicalRewrite",
          data: {
            pool: "p",
            field: "spec.cidr",
            before: "192.168.0.1/16",
            after: "192.168.0.0/16",
            version: "v3.30.2",
          },
          file: "pools.yaml",
          line: 6,
          column: 9,
          change: change("spec.cidr", "192.168.0.1/16", "192.168.0.0/16"),
        },
      ],
    },
  ],
});

describe("pool-immutable-field in the plan", () => {
  const planWith = (rules: string) => {
    const side = (files: Record<string, string>) => {
      const result = compile(new MemoryRepoReader({ ...base, ...files }), { render: "all" });
      expect(result.files, JSON.stringify(result.diagnostics)).toBeDefined();
      return result;
    };
    const before = side({});
    const after = side({
      "netcompile.yaml": cluster("v3.31.7", rules),
      ...pools(poolYaml("p", "cidr: 10.244.0.0/16")),
    });
    return makePlan(
      {
        info: { kind: "git", ref: "b", commit: undefined, description: "b", analysis: "model" },
        files: before.files!,
        facts: factsFromModel(before.model!),
        notes: [],
      },
      { model: after.model!, files: after.files!, diagnostics: after.diagnostics },
    );
  };

  it("reports at the severity the Cluster's spec.rules gives it, with its id as the code", () => {
    const brief = (rules: string) =>
      planWith(rules)
        .diagnostics.filter((d) => d.code === "pool-immutable-field")
        .map((d) => `${d.severity} ${d.file}:${d.line}:${d.column}`);
    expect(brief("")).toEqual(["error pools.yaml:6:9"]);
    expect(brief("  rules:\n    pool-immutable-field: warning\n")).toEqual([
      "warning pools.yaml:6:9",
    ]);
  });

  it("does not run when the Cluster turns it off", () => {
    const plan = planWith('  rules:\n    pool-immutable-field: "off"\n');
    expect(plan.disruptions).toEqual([]);
    expect(plan.diagnostics.filter((d) => d.code === "pool-immutable-field")).toEqual([]);
  });
});
