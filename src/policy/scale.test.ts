/**
 * Rules must stay fast at 10,000 nodes: no rule may compare nodes pairwise. 200 subnets of
 * 50 nodes each (node groups, plus 1,000 nodes written out), four pools, an org Policy on
 * nodes; the work every rule and the Policy do (node reads, counted) grows linearly from 1,000
 * to 10,000 nodes, and the findings are the expected ones (one per node group, not per node).
 */
import { describe, expect, it } from "vitest";
import { countingNodeReads } from "../../test/work.js";
import { MemoryRepoReader } from "../load/reader.js";
import { loadRepository } from "../load/load.js";
import { resolveModel } from "../model/resolve.js";
import { validateDocuments } from "../schema/validate.js";
import { runRules } from "./engine.js";
import { BASE_REPO, poolYaml } from "./tester.js";

/** 200 subnets of `perSubnet` nodes: the first 20 written out, the other 180 as node groups. */
function bigTopology(perSubnet: number): string {
  const subnets: string[] = [];
  const nodes: string[] = [];
  const groups: string[] = [];
  for (let s = 0; s < 200; s++) {
    const third = s % 250;
    const second = 16 + Math.floor(s / 250);
    subnets.push(`    - name: s${s}\n      cidr: 10.${second}.${third}.0/24\n`);
    if (s < 20) {
      // 20 subnets with their nodes written out: 1,000 nodes at 50 per subnet.
      for (let n = 0; n < perSubnet; n++) {
        nodes.push(`    - name: n${s}-${n}\n      address: 10.${second}.${third}.${10 + n}\n`);
      }
    } else {
      groups.push(
        `    - namePrefix: g${s}-\n      count: ${perSubnet}\n      subnet: s${s}\n      firstAddress: 10.${second}.${third}.10\n` +
          (s % 2 ? "      labels:\n        role: batch\n" : ""),
      );
    }
  }
  return `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: big
spec:
  subnets:
${subnets.join("")}  nodes:
${nodes.join("")}  nodeGroups:
${groups.join("")}`;
}

/** The model of the big repository at `perSubnet` nodes per subnet. */
function bigModel(perSubnet: number) {
  const files = {
    ...BASE_REPO,
    "topology.yaml": bigTopology(perSubnet),
    "pools.yaml": poolYaml("main", "cidr: 10.244.0.0/16", "ipipMode: Always"),
    "batch.yaml": poolYaml(
      "batch",
      "cidr: 10.245.0.0/16",
      "vxlanMode: CrossSubnet",
      'nodeSelector: role == "batch"',
    ),
    "flat.yaml": poolYaml("flat", "cidr: 10.246.0.0/16", 'nodeSelector: role == "batch"'),
    "gpu.yaml": poolYaml(
      "gpu",
      "cidr: 10.247.0.0/16",
      "vxlanMode: Always",
      'nodeSelector: role == "gpu"',
    ),
    "policy.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Policy
metadata:
  name: nodes-have-a-role
spec:
  message: every node says what it is for
  match: { kinds: [Node] }
  assert: { properties: { labels: { required: [role] } } }
`,
  };
  const loaded = loadRepository(new MemoryRepoReader(files));
  const { model } = resolveModel(validateDocuments(loaded.documents).documents);
  expect(model!.topology.nodes).toHaveLength(200 * perSubnet);
  return model!;
}

describe("rules at 10,000 nodes", () => {
  it("do work linear in the nodes and report per group", () => {
    const small = countingNodeReads(bigModel(5));
    runRules(small.model);
    const big = countingNodeReads(bigModel(50));
    const diagnostics = runRules(big.model);

    const count = (code: string) => diagnostics.filter((d) => d.code === code).length;
    expect(count("ipip-cross-subnet-preferred")).toBe(1);
    expect(count("encapsulation-required")).toBe(1); // flat: batch nodes in 90 subnets
    expect(count("pool-selects-no-nodes")).toBe(1); // gpu
    // batch: nodes without the role reach its workloads across subnets, with no VXLAN address.
    expect(count("pool-tunnel-address")).toBe(1);
    // 1,000 written-out nodes + 90 groups without a role: one finding per group.
    expect(count("nodes-have-a-role")).toBe(1_000 + 90);
    expect(diagnostics).toHaveLength(1 + 1 + 1 + 1 + 1_090);
    // Ten times the nodes: ~10x the node reads (9.9x today; a sort is ~13x), pairwise is 100x.
    expect(small.reads()).toBeGreaterThan(1_000);
    expect(big.reads()).toBeLessThan(15 * small.reads());
  });
});
