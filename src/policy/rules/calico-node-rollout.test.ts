import { describe, it } from "vitest";
import { clusterYaml, PLAN_BASE_REPO, PlanRuleTester } from "../../plan/rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./calico-node-rollout.js";

const ALL = "5 nodes (2 listed, worker-*: 3)";
const note = (noteId: string, data: Record<string, string>) => ({
  noteId,
  data: { nodes: ALL, ...data },
  resource: "DaemonSet/calico-node",
});
const vxlan = {
  "pools.yaml": poolYaml("pool-1", "cidr: 192.168.0.0/16", "vxlanMode: CrossSubnet"),
};

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    {
      name: "a FelixConfiguration change: Felix reads it live, calico-node does not restart",
      before: {},
      after: { "netcompile.yaml": clusterYaml("networking: {vxlanPort: 4790}") },
    },
    {
      name: "veth_mtu changes: calico-node rolls out",
      before: {},
      after: { "netcompile.yaml": clusterYaml("networking: {underlayMTU: 9001}") },
      notes: [note("config", { changes: "veth_mtu 1480 -> 8981" })],
    },
    {
      name: "the backend and the MTU change together",
      before: {},
      after: vxlan,
      notes: [note("config", { changes: "calico_backend bird -> vxlan, veth_mtu 1480 -> 1450" })],
    },
    {
      name: "the same, planned against the rendered tree",
      before: {},
      after: vxlan,
      rendered: {},
      notes: [note("config", { changes: "calico_backend bird -> vxlan, veth_mtu 1480 -> 1450" })],
    },
    {
      name: "a new Calico version: the image changes, calico-config does not",
      before: {},
      after: { "netcompile.yaml": clusterYaml("calicoVersion: v3.31.8") },
      notes: [note("template", {})],
    },
    {
      name: "install: operator: the operator rolls calico-node itself",
      before: { "netcompile.yaml": clusterYaml("install: operator") },
      after: {
        "netcompile.yaml": clusterYaml("install: operator", "networking: {underlayMTU: 9001}"),
      },
    },
  ],
  invalid: [],
});
