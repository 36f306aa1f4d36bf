/**
 * One schema error no longer hides every rule finding: the documents that fail their schema are
 * left out (NC2006 names them and the rules that did not run), and the rest is resolved and
 * checked — without any finding that a missing document could make false.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "./diagnostics/types.js";
import { MemoryRepoReader } from "./load/reader.js";
import { compile } from "./pipeline.js";
import { isModelRule } from "./policy/rule.js";
import { rules } from "./policy/rules/index.js";
import { BASE_REPO, poolYaml } from "./policy/tester.js";

const codes = (files: Record<string, string>) =>
  compile(new MemoryRepoReader({ ...BASE_REPO, ...files })).diagnostics.map(
    (d: Diagnostic) => `${d.code} ${d.file}:${d.line}${d.waived ? " (waived)" : ""}`,
  );
const find = (files: Record<string, string>, code: string) =>
  compile(new MemoryRepoReader({ ...BASE_REPO, ...files })).diagnostics.filter(
    (d) => d.code === code,
  );

/** Two pools that overlap, and a third that fails its schema (a misspelt field). */
const POOLS = [
  poolYaml("pool-1", "cidr: 192.168.0.0/16", "ipipMode: CrossSubnet"),
  poolYaml("overlapping", "cidr: 192.168.128.0/17", "ipipMode: CrossSubnet"),
  poolYaml("broken", "cidr: 10.200.0.0/16", "natOutgoin: true"),
].join("---\n");

describe("a partial model: rules run on the documents that passed their schema", () => {
  it("a pool that fails its schema hides neither the other pools' findings nor its own error", () => {
    expect(codes({ "pools.yaml": POOLS })).toEqual([
      "pool-overlap pools.yaml:14",
      "NC2006 pools.yaml:18",
      "NC2001 pools.yaml:23",
    ]);
    const [left] = find({ "pools.yaml": POOLS }, "NC2006");
    expect(left!.message).toBe(
      "IPPool/broken is left out of the model and the rules until it passes its schema; the rules that need every IPPool did not run: firewall-requirements, mtu-exceeds-underlay, node-address-family-missing, node-without-pool, pool-tunnel-address, vxlan-only-bgp-unneeded",
    );
    expect(left!.severity).toBe("info");
  });

  it("names the operator's rules among those that did not run only when the operator installs Calico", () => {
    const operator = BASE_REPO["netcompile.yaml"]!.replace(
      /^spec:\n/m,
      "spec:\n  install: operator\n",
    );
    expect(operator).toContain("install: operator");
    const [left] = find({ "netcompile.yaml": operator, "pools.yaml": POOLS }, "NC2006");
    expect(left!.message).toMatch(
      /did not run: firewall-requirements, mtu-exceeds-underlay, node-address-family-missing, node-without-pool, operator-pool-unsupported, pool-tunnel-address, vxlan-only-bgp-unneeded$/,
    );
  });

  it("never a false finding: the only pool that selects a node fails, yet no node-without-pool", () => {
    const only = poolYaml("only", "cidr: 192.168.0.0/16", "ipipMode: Sometimes");
    const found = codes({ "pools.yaml": only });
    expect(found).toEqual(["NC2006 pools.yaml:2", "NC2004 pools.yaml:7"]);
    // The same repository with the pool repaired: nothing, so nothing above was missed.
    expect(codes({ "pools.yaml": only.replace("Sometimes", "CrossSubnet") })).toEqual([]);
  });

  it("a Topology document that fails: no unknown subnet, no node outside every subnet", () => {
    const rack3 = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: rack-3
spec:
  subnets:
    - name: rack-3
      cidr: 10.0.3.0/24
      mtuu: 9000
`;
    const topology = `${BASE_REPO["topology.yaml"]}    - name: node-3
      address: 10.0.3.10
  nodeGroups:
    - {namePrefix: w-, count: 2, subnet: rack-3, firstAddress: 10.0.3.20}
`;
    const found = codes({
      "rack-3.yaml": rack3,
      "topology.yaml": topology,
      // Still checked: a pool-local finding.
      "pools.yaml": `${BASE_REPO["pools.yaml"]}---\n${poolYaml("bad", "cidr: 10.9.0.1/16")}`,
    });
    expect(found).toEqual([
      "pool-cidr-not-masked pools.yaml:15",
      "NC2006 rack-3.yaml:2",
      "NC2001 rack-3.yaml:9",
    ]);
    // Complete, the same node is a finding: only the partial model holds it back.
    const withoutGroup = topology.replace(/\n {2}nodeGroups:[^]*$/, "\n");
    expect(codes({ "topology.yaml": withoutGroup })).toEqual([
      "node-address-outside-subnets topology.yaml:17",
    ]);
  });

  it("a waiver or spec.rules entry for what did not run is not reported as stale or unknown", () => {
    const waived = POOLS.replace(
      "  name: pool-1\n",
      '  name: pool-1\n  annotations:\n    netcompile.dev/waive: "node-without-pool: reviewed"\n',
    );
    const policy = `apiVersion: netcompile.dev/v1alpha1
kind: Policy
metadata:
  name: my-policy
spec:
  message: a policy with a misspelt field
  match: { kinds: [IPPool] }
  assert: {}
  severityy: error
`;
    const cluster = `${BASE_REPO["netcompile.yaml"]}  rules:\n    my-policy: warning\n`;
    const found = codes({
      "pools.yaml": waived,
      "policy.yaml": policy,
      "netcompile.yaml": cluster,
    });
    expect(found.filter((c) => /NC3003|NC3005/.test(c))).toEqual([]);
    expect(found).toContain("pool-overlap pools.yaml:16");
    // Complete, the stale waiver is reported (and the Policy's id is known).
    const complete = codes({
      "pools.yaml": waived.replace("natOutgoin", "natOutgoing"),
      "policy.yaml": policy.replace("severityy", "severity"),
      "netcompile.yaml": cluster,
    });
    expect(complete.filter((c) => /NC3003|NC3005/.test(c))).toEqual(["NC3005 pools.yaml:6"]);
  });

  it("static host networking: no pod-CIDR finding caused by a missing pool", () => {
    const cluster = `${BASE_REPO["netcompile.yaml"]}  hostNetwork: { mode: static }\n`;
    const topology = BASE_REPO["topology.yaml"]!.replace(
      "cidr: 10.0.1.0/24",
      "cidr: 10.0.1.0/24\n      gateway: 10.0.1.1",
    ).replace("cidr: 10.0.2.0/24", "cidr: 10.0.2.0/24\n      gateway: 10.0.2.1");
    const found = codes({
      "netcompile.yaml": cluster,
      "topology.yaml": topology,
      "pools.yaml": poolYaml("only", "cidr: 192.168.0.0/16", "vxlanMode: Sometimes"),
    });
    expect(found).toEqual(["NC2006 pools.yaml:2", "NC2004 pools.yaml:7"]);
  });

  it("an organisation Policy checks IPPools only on a partial model", () => {
    const policy = (name: string, kind: string) => `apiVersion: netcompile.dev/v1alpha1
kind: Policy
metadata:
  name: ${name}
spec:
  message: every ${kind} needs what nothing has
  match: { kinds: [${kind}] }
  assert: { required: [nothing-has-this] }
`;
    const files = {
      "a.yaml": policy("every-pool", "IPPool"),
      "b.yaml": policy("every-node", "Node"),
    };
    const full = codes(files);
    expect(full.some((c) => c.startsWith("every-node"))).toBe(true);
    const partial = codes({ ...files, "bad.yaml": poolYaml("bad", "cidrr: 10.1.0.0/16") });
    expect(partial.some((c) => c.startsWith("every-pool"))).toBe(true);
    expect(partial.some((c) => c.startsWith("every-node"))).toBe(false);
  });

  it("a Cluster that fails its schema: no model, no rule, and it says so", () => {
    const cluster = BASE_REPO["netcompile.yaml"]!.replace("provider: bare-metal", "provider: mars");
    const left = find({ "netcompile.yaml": cluster, "pools.yaml": POOLS }, "NC2006");
    expect(left.map((d) => d.message)).toEqual([
      "Cluster/test is left out of the model and the rules until it passes its schema; the rules that need every Cluster did not run: all of them (without its Cluster there is no model)",
      "IPPool/broken is left out of the model and the rules until it passes its schema; the rules that need every IPPool did not run: all of them (without its Cluster there is no model)",
    ]);
    expect(codes({ "netcompile.yaml": cluster, "pools.yaml": POOLS })).not.toContain(
      "pool-overlap pools.yaml:14",
    );
  });
});

describe("which rules run on a partial model", () => {
  const modelRules = rules.filter(isModelRule);

  it("every built-in rule declares the kinds it needs every document of (needsEvery)", () => {
    expect(modelRules.filter((r) => r.meta.needsEvery === undefined).map((r) => r.id)).toEqual([]);
  });

  it("the README lists them as the rules declare", () => {
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    const listed = (needs: string) => {
      const line = readme.split("\n").find((l) => l.startsWith(`- ${needs}: `));
      expect(line, needs).toBeDefined();
      return [...line!.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]!).sort();
    };
    const declared = (needs: string) =>
      modelRules
        .filter((r) => (r.meta.needsEvery ?? []).join(" and ") === needs)
        .map((r) => r.id)
        .sort();
    expect(listed("Run on a partial model")).toEqual(declared(""));
    expect(listed("Need every Topology")).toEqual(declared("Topology"));
    expect(listed("Need every IPPool")).toEqual(declared("IPPool"));
    expect(listed("Need every Topology and IPPool")).toEqual(declared("Topology and IPPool"));
  });
});
