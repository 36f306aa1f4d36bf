/**
 * The resolved model is immutable all the way down: every object, array, map, set, CIDR and
 * address reachable from it refuses every mutation, and nothing about it changes when tried.
 */
import { describe, expect, it } from "vitest";
import { YamlSourceRef } from "../load/source.js";
import { loadRepository } from "../load/load.js";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { validateDocuments } from "../schema/validate.js";
import { FrozenMap, FrozenSet } from "./freeze.js";
import { resolveModel } from "./resolve.js";
import type { Model } from "./types.js";

const files = {
  "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata: { name: lab, labels: { team: net }, annotations: { note: x } }
spec:
  provider: bare-metal
  hostNetwork: { mode: static, formats: [netplan] }
  networking: { serviceCIDRs: [10.96.0.0/12], underlayMTU: 9000 }
  rules: { mtu-mixed-underlay: off }
  ignore: [docs/**]
  acknowledgements:
    - { resource: IPPool/pods, field: spec.natOutgoing, from: false, to: true, reason: window }
`,
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t, annotations: { owner: net } }
spec:
  underlay: { routesWorkloadIPs: false }
  subnets:
    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1, zone: z1, mtu: 1500 }
    - { name: b, cidr: 10.0.2.0/24, dhcp: true }
  nodes:
    - { name: n1, address: 10.0.1.10, labels: { role: db }, podCIDR: 10.244.200.0/26 }
  nodeGroups:
    - { namePrefix: w-, count: 3, subnet: b, firstAddress: 10.0.2.10, labels: { role: worker }, firstPodCIDR: 10.244.100.0/26 }
`,
  "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: pods, labels: { tier: main } }
spec: { cidr: 10.244.0.0/16, vxlanMode: Always, natOutgoing: true, nodeSelector: "role in {'db', 'worker'}" }
---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: v6 }
spec: { cidr: "fd00:244::/48", vxlanMode: Always, disabled: true }
`,
  "policy.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Policy
metadata: { name: roles }
spec:
  message: every node says what it is for
  match: { kinds: [Node], providers: [bare-metal] }
  assert: { properties: { labels: { required: [role] } } }
`,
};

function resolved(): Model {
  const result = compile(new MemoryRepoReader(files), { render: "none" });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.model!;
}

type Visit = (value: object, path: string) => void;

/** Every object reachable from the model, once; a SourceRef's YAML tree is the loader's. */
function walk(value: unknown, path: string, visit: Visit, seen = new Set<object>()): void {
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  visit(value, path);
  if (value instanceof YamlSourceRef) return;
  if (value instanceof FrozenMap) {
    for (const [k, v] of value as FrozenMap<unknown, unknown>)
      walk(v, `${path}.get(${String(k)})`, visit, seen);
    return;
  }
  if (value instanceof FrozenSet) {
    for (const v of value as FrozenSet<unknown>) walk(v, `${path}{${String(v)}}`, visit, seen);
    return;
  }
  for (const key of Reflect.ownKeys(value))
    walk((value as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`, visit, seen);
}

/** The model as text (spans for sources, bigints, map and set contents), to compare. */
function snapshot(model: Model): string {
  return JSON.stringify(model, (_, v: unknown) =>
    typeof v === "bigint"
      ? `${v}n`
      : v instanceof YamlSourceRef
        ? v.span
        : v instanceof FrozenMap || v instanceof FrozenSet
          ? [...(v as Iterable<unknown>)]
          : typeof v === "function"
            ? "fn"
            : v,
  );
}

function throws(attempt: () => unknown): boolean {
  try {
    attempt();
    return false;
  } catch {
    return true;
  }
}

describe("the resolved model", () => {
  it("refuses every mutation of every part, and nothing changes", () => {
    const model = resolved();
    const before = snapshot(model);
    const mutable: string[] = [];
    const paths: string[] = [];
    walk(model, "model", (value, path) => {
      paths.push(path);
      const fail = (what: string) => mutable.push(`${path}: ${what}`);
      if (value instanceof Map || value instanceof Set) fail("a plain Map or Set");
      if (!Object.isFrozen(value)) fail("not frozen");
      const o = value as Record<PropertyKey, unknown>;
      if (!throws(() => (o.added = 1))) fail("a property was added");
      for (const key of Reflect.ownKeys(value)) {
        if (!throws(() => (o[key] = "changed"))) fail(`${String(key)} was replaced`);
        if (!throws(() => delete o[key])) fail(`${String(key)} was deleted`);
      }
      if (Array.isArray(value)) {
        if (!throws(() => value.push("x"))) fail("push");
        // (Reordering one element or none writes nothing, so only longer arrays can show it.)
        if (value.length > 1 && !throws(() => void value.reverse())) fail("reverse");
      }
      if (value instanceof FrozenMap) {
        const map = value as unknown as Map<unknown, unknown>;
        for (const m of ["set", "delete", "clear"] as const) if (m in map) fail(`has ${m}`);
        if (!throws(() => Map.prototype.set.call(map, "k", "v"))) fail("Map.prototype.set");
        if (!throws(() => Map.prototype.clear.call(map))) fail("Map.prototype.clear");
      }
      if (value instanceof FrozenSet) {
        const set = value as unknown as Set<unknown>;
        for (const m of ["add", "delete", "clear"] as const) if (m in set) fail(`has ${m}`);
        if (!throws(() => Set.prototype.add.call(set, "x"))) fail("Set.prototype.add");
      }
    });
    expect(mutable).toEqual([]);
    expect(snapshot(model)).toBe(before);

    // The walk reached every kind of part (so a fixture change cannot hollow this test out).
    for (const part of [
      "model.cluster.serviceCIDRs.0",
      "model.cluster.hostNetwork.formats",
      "model.cluster.rules",
      "model.cluster.ignore",
      "model.cluster.acknowledgements.0",
      "model.cluster.metadata.labels",
      "model.cluster.metadata.annotations",
      "model.topology.subnets.0.cidr",
      "model.topology.nodes.0.address",
      "model.topology.nodes.0.podCIDR",
      "model.topology.nodes.0.labels",
      // (A node and its address share one frozen list of subnets; the walk meets it first here.)
      "model.topology.nodes.0.ipv4.subnets",
      "model.topology.nodeGroups.0.labels",
      "model.topology.documentMetadata.0.annotations",
      "model.topology.sources",
      "model.pools.0.cidr",
      "model.pools.0.nodeSelector",
      "model.pools.0.allowedUses",
      "model.pools.1.cidr",
      "model.policies.0.spec.assert.properties.labels.required",
      "model.poolsByNode",
      "model.poolsByNode.get(n1)",
      "model.nodesByPool",
      "model.nodesByPool.get(pods)",
      "model.encapsulations",
      "model.podCIDRs",
      "model.podCIDRs.get(w-1)",
      "model.podCIDRs.get(w-1).cidr",
    ])
      expect(paths, part).toContain(part);
  });

  it("still reads like the maps and sets it holds", () => {
    const model = resolved();
    // The disabled IPv6 pool counts, as it does for Felix.
    expect([...model.encapsulations]).toEqual(["vxlan", "vxlan-v6"]);
    expect(model.poolsByNode.get("w-2")?.map((p) => p.name)).toEqual(["pods"]);
    expect(model.nodesByPool.get("v6")).toEqual([]);
    expect(model.podCIDRs.size).toBe(4);
    expect(Object.fromEntries([...model.podCIDRs].map(([n, a]) => [n, a.cidr.canonical]))).toEqual({
      n1: "10.244.200.0/26",
      "w-1": "10.244.100.0/26",
      "w-2": "10.244.100.64/26",
      "w-3": "10.244.100.128/26",
    });
    const seen: string[] = [];
    model.nodesByPool.forEach((nodes, pool, map) => {
      expect(map).toBe(model.nodesByPool);
      seen.push(`${pool}:${nodes.length}`);
    });
    expect(seen).toEqual(["pods:4", "v6:0"]);
    expect(new Map(model.podCIDRs).get("n1")).toBe(model.podCIDRs.get("n1"));
  });

  it("freezes copies, not the documents it was built from", () => {
    const loaded = loadRepository(new MemoryRepoReader(files));
    const valid = validateDocuments(loaded.documents);
    const { model } = resolveModel(valid.documents);
    const written = valid.documents.find((d) => d.kind === "Policy")!.value.spec;
    const spec = model!.policies[0]!.spec;
    expect(spec).toEqual(written);
    expect(spec).not.toBe(written);
    expect(Object.isFrozen(spec.match)).toBe(true);
    expect(Object.isFrozen(written.match)).toBe(false);
  });
});

describe("FrozenMap", () => {
  it("copies what it is given, but for a map handed over with adopt, which it keeps", () => {
    const given = new Map([["a", 1]]);
    const copied = new FrozenMap(given);
    const adopted = FrozenMap.adopt(given);
    given.set("b", 2);
    expect([...copied]).toEqual([["a", 1]]);
    expect([...adopted]).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    // adopt leaves no trace: the next map made is a copy again.
    const after = new FrozenMap(given);
    given.set("c", 3);
    expect(after.size).toBe(2);
    expect(Object.isFrozen(adopted)).toBe(true);
  });
});
