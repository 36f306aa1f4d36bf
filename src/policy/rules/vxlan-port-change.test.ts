import { describe, it } from "vitest";
import { clusterYaml, PLAN_BASE_REPO, PlanRuleTester } from "../../plan/rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./vxlan-port-change.js";

const set = (value?: number) => ({
  "netcompile.yaml":
    value === undefined ? clusterYaml() : clusterYaml("networking:", `  vxlanPort: ${value}`),
});
const vxlan = {
  "pools.yaml": poolYaml("pool-1", "cidr: 192.168.0.0/16", "vxlanMode: CrossSubnet"),
};
const expected = (from: number, to: number, line: number, column: number) => ({
  messageId: "moves",
  titleId: "port",
  data: { from, to, nodes: "5 nodes (2 listed, worker-*: 3)" },
  file: "netcompile.yaml",
  line,
  column,
  change: {
    resource: "Cluster/lab",
    field: "networking.vxlanPort",
    from: String(from),
    to: String(to),
  },
  acknowledgeable: true,
  pools: [],
  nodes: ["node-1", "node-2", "worker-1", "worker-2", "worker-3"],
  addresses: ["projectcalico.org/v3/FelixConfiguration/default"],
});

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "nothing changes", before: vxlan, after: vxlan },
    { name: "no pool uses VXLAN on either side", before: {}, after: set(8472) },
    {
      name: "only a disabled pool uses VXLAN",
      before: {},
      after: {
        ...set(8472),
        "pools.yaml": `${PLAN_BASE_REPO["pools.yaml"]}---\n${poolYaml("old", "cidr: 10.244.0.0/16", "vxlanMode: Always", "disabled: true")}`,
      },
    },
  ],
  invalid: [
    {
      name: "from the default to another, while a pool uses VXLAN",
      before: vxlan,
      after: { ...set(8472), ...vxlan },
      disruptions: [expected(4789, 8472, 8, 16)],
    },
    {
      name: "only the base's pool uses VXLAN: nodes still move",
      before: { ...set(8472), ...vxlan },
      after: set(4789),
      disruptions: [expected(8472, 4789, 8, 16)],
    },
  ],
});
