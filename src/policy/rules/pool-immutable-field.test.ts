import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "../../load/reader.js";
import type { Model } from "../../model/types.js";
import { factsFromManifests, factsFromModel } from "../../plan/facts.js";
import { runPlanRules } from "../../plan/plan-rule.js";
import { compile } from "../../pipeline.js";
import type { Report } from "../rule.js";
import { rule } from "./pool-immutable-field.js";

const cluster = (version = "v3.31.7") => `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: test
spec:
  calicoVersion: ${version}
`;
const topology = `apiVersion: netcompile.dev/v1alpha1
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
`;
const pool = (name: string, spec: string) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: ${name}
spec:
${spec
  .trim()
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
`;

function model(pools: string, version?: string): Model {
  const result = compile(
    new MemoryRepoReader({
      "netcompile.yaml": cluster(version),
      "topology.yaml": topology,
      "pools.yaml": pools,
    }),
  );
  expect(result.model, JSON.stringify(result.diagnostics)).toBeDefined();
  return result.model!;
}

function reports(before: string, after: string, version?: string): Report[] {
  const base = factsFromModel(model(before, version));
  const out: Report[] = [];
  rule.check(model(after, version), { base, report: (r: Report) => out.push(r) } as never);
  return out;
}

describe("pool-immutable-field", () => {
  it("is a plan rule: the model engine's context (no base) gets no finding", () => {
    expect(rule.meta.scope).toBe("plan");
    const out: Report[] = [];
    rule.check(model(pool("p", "cidr: 10.244.0.0/16")), { report: (r) => out.push(r) });
    expect(out).toEqual([]);
  });

  it("reports a cidr change at the new cidr, with the migration's data", () => {
    const [r, ...rest] = reports(
      pool("p", "cidr: 192.168.0.0/16"),
      pool("p", "cidr: 10.244.0.0/16"),
    );
    expect(rest).toEqual([]);
    expect(r).toMatchObject({
      messageId: "immutable",
      data: {
        pool: "p",
        field: "spec.cidr",
        before: "192.168.0.0/16",
        after: "10.244.0.0/16",
        cidr: "10.244.0.0/16",
        blockSize: 26,
      },
      resource: "IPPool/p",
      span: { file: "pools.yaml", line: 6, column: 9 },
    });
    expect(r!.related).toEqual([
      expect.objectContaining({
        file: "pools.yaml",
        line: 6,
        message: "the base has cidr 192.168.0.0/16 here",
      }),
    ]);
  });

  it("reports a blockSize change, also from the default (26) to an explicit one", () => {
    const [r] = reports(
      pool("p", "cidr: 10.244.0.0/16"),
      pool("p", "cidr: 10.244.0.0/16\nblockSize: 24"),
    );
    expect(r).toMatchObject({
      messageId: "immutable",
      data: { field: "spec.blockSize", before: 26, after: 24 },
      span: { line: 7, column: 14 },
    });
  });

  it("reports cidr and blockSize changed together as two findings", () => {
    const out = reports(
      pool("p", "cidr: 10.1.0.0/16"),
      pool("p", "cidr: 10.2.0.0/16\nblockSize: 28"),
    );
    expect(out.map((r) => r.data?.field)).toEqual(["spec.cidr", "spec.blockSize"]);
  });

  it("ignores new pools, removed pools, renamed pools and other fields", () => {
    expect(reports(pool("a", "cidr: 10.1.0.0/16"), pool("b", "cidr: 10.2.0.0/16"))).toEqual([]);
    expect(
      reports(
        pool("a", "cidr: 10.1.0.0/16"),
        pool("a", "cidr: 10.1.0.0/16\nipipMode: Always\ndisabled: true"),
      ),
    ).toEqual([]);
  });

  it("accepts the same network in canonical form from Calico v3.31.3, not before", () => {
    // The base's rendered tree holds a non-canonical cidr (written before netcompile took over).
    const base = (version: string) =>
      factsFromManifests(
        [
          {
            path: "manifests/ippools.yaml",
            content: pool("p", "cidr: 10.244.0.1/16"),
          },
          {
            path: "manifests/calico-node.yaml",
            content: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: calico-node, namespace: kube-system}
spec: {template: {spec: {containers: [{name: calico-node, image: "quay.io/calico/node:${version}"}]}}}
`,
          },
        ],
        undefined,
      );
    const run = (baseVersion: string, version: string) => {
      const out: Report[] = [];
      rule.check(model(pool("p", "cidr: 10.244.0.0/16"), version), {
        base: base(baseVersion),
        report: (r: Report) => out.push(r),
      } as never);
      return out;
    };
    expect(run("v3.31.3", "v3.31.7")).toEqual([]);
    expect(run("v3.30.2", "v3.31.7")).toMatchObject([
      {
        messageId: "canonicalRewrite",
        data: { before: "10.244.0.1/16", after: "10.244.0.0/16", version: "v3.30.2" },
      },
    ]);
  });

  it("runs through runPlanRules at the configured severity, and not at all when off", () => {
    const base = factsFromModel(model(pool("p", "cidr: 192.168.0.0/16")));
    const current = model(pool("p", "cidr: 10.244.0.0/16"));
    expect(runPlanRules(base, current).map((f) => [f.rule.id, f.severity])).toEqual([
      ["pool-immutable-field", "error"],
    ]);
    const rules = { ...current.cluster.rules, "pool-immutable-field": "off" as const };
    const off = { ...current, cluster: { ...current.cluster, rules } };
    expect(runPlanRules(base, off)).toEqual([]);
  });
});
