import { describe, it } from "vitest";
import {
  clusterYaml,
  PLAN_BASE_REPO,
  PlanRuleTester,
  topologyYaml,
} from "../../plan/rule-tester.js";
import { rule } from "./underlay-mtu-decrease.js";

/** Gateways: host files are rendered only for nodes with a default route (NC5035). */
const gateways = (rack1: readonly string[] = []) => ({
  "topology.yaml": topologyYaml({
    subnet: { "rack-1": [...rack1, "gateway: 10.0.1.1"], "rack-2": "gateway: 10.0.2.1" },
  }),
});
const rack1 = (mtu: number) => gateways([`mtu: ${mtu}`]);
const underlay = (mtu: number) => ({
  "netcompile.yaml": clusterYaml("networking:", `  underlayMTU: ${mtu}`),
});
/** A third subnet, rack-3, that holds no node. */
const withEmpty = (mtu: number) => ({
  "topology.yaml": gateways()["topology.yaml"].replace(
    "  nodes:\n",
    `    - name: rack-3\n      cidr: 10.0.3.0/24\n      mtu: ${mtu}\n  nodes:\n`,
  ),
});
const rack1Nodes = ["node-1", "worker-1", "worker-2", "worker-3"];
/** The host files whose MTU changes (the plan collapses a change shared by listed nodes into hosts/*). */
const files = (listed: string) => [
  `hosts/${listed}/netplan/60-netcompile.yaml`,
  `hosts/${listed}/networkd/10-netcompile-eth0.network`,
];
const rack1Files = (listed: string) => [...files(listed), ...files("worker-*")];

new PlanRuleTester({ describe, it }, { ...PLAN_BASE_REPO, ...gateways() }).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    { name: "an increase", before: rack1(1500), after: rack1(9000) },
    {
      name: "a decrease in a subnet without nodes",
      before: withEmpty(9000),
      after: withEmpty(1500),
    },
  ],
  invalid: [
    {
      name: "a subnet's own MTU decreases: at its mtu, for its nodes' host files",
      before: rack1(9000),
      after: rack1(1500),
      disruptions: [
        {
          messageId: "shrinks",
          titleId: "decrease",
          data: {
            subnet: "rack-1",
            from: 9000,
            to: 1500,
            nodes: "4 nodes (1 listed, worker-*: 3)",
          },
          file: "topology.yaml",
          line: 9,
          column: 12,
          change: { resource: "Subnet/rack-1", field: "mtu", from: "9000", to: "1500" },
          acknowledgeable: true,
          pools: [],
          nodes: rack1Nodes,
          addresses: rack1Files("node-1"),
        },
      ],
    },
    {
      name: "the Cluster's underlay MTU decreases: one change per subnet, at underlayMTU",
      before: underlay(9000),
      after: underlay(1500),
      disruptions: [
        {
          messageId: "shrinks",
          titleId: "decrease",
          data: {
            subnet: "rack-1",
            from: 9000,
            to: 1500,
            nodes: "4 nodes (1 listed, worker-*: 3)",
          },
          file: "netcompile.yaml",
          line: 8,
          column: 18,
          change: { resource: "Subnet/rack-1", field: "mtu", from: "9000", to: "1500" },
          acknowledgeable: true,
          pools: [],
          nodes: rack1Nodes,
          addresses: rack1Files("*"),
        },
        {
          messageId: "shrinks",
          titleId: "decrease",
          data: { subnet: "rack-2", from: 9000, to: 1500, nodes: "1 node (node-2)" },
          file: "netcompile.yaml",
          line: 8,
          column: 18,
          change: { resource: "Subnet/rack-2", field: "mtu", from: "9000", to: "1500" },
          acknowledgeable: true,
          pools: [],
          nodes: ["node-2"],
          addresses: files("*"),
        },
      ],
    },
  ],
});
