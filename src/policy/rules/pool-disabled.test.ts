import { describe, it } from "vitest";
import {
  clusterYaml,
  PLAN_BASE_REPO,
  PlanRuleTester,
  topologyYaml,
} from "../../plan/rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./pool-disabled.js";

const pools = (...docs: string[]) => ({ "pools.yaml": docs.join("---\n") });
const one = (disabled: boolean, mode = "ipipMode: CrossSubnet") =>
  poolYaml("pool-1", "cidr: 192.168.0.0/16", mode, ...(disabled ? ["disabled: true"] : []));
const vxlanOne = (disabled: boolean) => one(disabled, "vxlanMode: CrossSubnet");
const routedOne = (disabled: boolean) => one(disabled, "natOutgoing: true");
/** pool-b serves node-2 only (label pool=b). */
const poolB = (mode = "ipipMode: CrossSubnet") =>
  poolYaml("pool-b", "cidr: 10.244.0.0/16", mode, 'nodeSelector: pool == "b"');
const v6 = poolYaml("pool-6", "cidr: fd00:10::/64", "vxlanMode: CrossSubnet");
/** The same nodes, dual-stack: an IPv6 pool needs every node to have an IPv6 address. */
const dualStack = topologyYaml()
  .replace(
    "      cidr: 10.0.2.0/24\n",
    "      cidr: 10.0.2.0/24\n    - name: rack-6\n      cidr: fd00:1::/64\n",
  )
  .replace("address: 10.0.1.10\n", "address: 10.0.1.10\n      addressV6: fd00:1::10\n")
  .replace("address: 10.0.2.10\n", "address: 10.0.2.10\n      addressV6: fd00:1::20\n")
  .replace(
    "firstAddress: 10.0.1.100\n",
    "firstAddress: 10.0.1.100\n      subnetV6: rack-6\n      firstAddressV6: fd00:1::100\n",
  );
const newPool = (mode: string, ...more: string[]) =>
  poolYaml("new", "cidr: 10.245.0.0/16", mode, ...more);
const ALL = "5 nodes (2 listed, worker-*: 3)";
const ALL_NODES = ["node-1", "node-2", "worker-1", "worker-2", "worker-3"];
const BUT_B = "4 nodes (1 listed, worker-*: 3)";
const BUT_B_NODES = ["node-1", "worker-1", "worker-2", "worker-3"];
const keeps = (noteId: string, nodes = ALL) => ({
  noteId,
  data: { pool: "pool-1", nodes },
  resource: "IPPool/pool-1",
});
const released = (nodes: string) => ({
  noteId: "ipipTunnelReleased",
  data: { pool: "pool-1", nodes },
  resource: "IPPool/pool-1",
});
const at = {
  file: "pools.yaml",
  line: 8,
  column: 13,
  change: { resource: "IPPool/pool-1", field: "spec.disabled", from: "false", to: "true" },
  acknowledgeable: true,
  pools: ["pool-1"],
  addresses: ["projectcalico.org/v3/IPPool/pool-1"],
} as const;
/** The repository after these disables has nodes without tunnel addresses: that rule's own finding. */
const noTunnelRule = { "netcompile.yaml": clusterYaml('rules: {pool-tunnel-address: "off"}') };
const routesPods = {
  "topology.yaml": topologyYaml({ head: ["underlay: {routesWorkloadIPs: true}"] }),
};

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    {
      name: "disabled while another enabled pool serves every node (a migration's first step)",
      before: pools(one(false), newPool("ipipMode: CrossSubnet")),
      after: pools(one(true), newPool("ipipMode: CrossSubnet")),
      notes: [keeps("keepsIPIP")],
    },
    {
      name: "the last IP-in-IP pool disabled, a VXLAN pool serves every node: tunl0 addresses go",
      before: pools(one(false), newPool("vxlanMode: CrossSubnet")),
      after: pools(one(true), newPool("vxlanMode: CrossSubnet")),
      notes: [keeps("keepsIPIP"), released(ALL)],
    },
    {
      name: "a VXLAN pool disabled while another VXLAN pool gives every node its tunnel address",
      before: pools(vxlanOne(false), newPool("vxlanMode: Always")),
      after: pools(vxlanOne(true), newPool("vxlanMode: Always")),
      notes: [keeps("keepsVXLAN")],
    },
    {
      name: "an unencapsulated pool disabled: BIRD keeps routing it",
      before: { ...routesPods, ...pools(routedOne(false), newPool("natOutgoing: true")) },
      after: { ...routesPods, ...pools(routedOne(true), newPool("natOutgoing: true")) },
      notes: [keeps("keepsRouted")],
    },
    {
      name: "a pool that was disabled already",
      before: pools(one(true), newPool("ipipMode: CrossSubnet")),
      after: pools(one(true), newPool("ipipMode: Always")),
    },
    {
      name: "enabled again",
      before: pools(one(true), newPool("ipipMode: CrossSubnet")),
      after: pools(one(false), newPool("ipipMode: CrossSubnet")),
    },
  ],
  invalid: [
    {
      name: "disabled while only some nodes have another pool: the others are stranded",
      before: pools(one(false), poolB()),
      after: { ...noTunnelRule, ...pools(one(true), poolB()) },
      notes: [keeps("keepsIPIP"), released(BUT_B)],
      disruptions: [
        {
          ...at,
          messageId: "stranded",
          titleId: "disabled",
          stepsId: "widenFirst",
          data: { pool: "pool-1", nodes: BUT_B, version: 4 },
          nodes: BUT_B_NODES,
        },
      ],
    },
    {
      name: "an enabled pool of the other IP version does not count",
      before: { ...pools(one(false), v6), "topology.yaml": dualStack },
      after: { ...pools(one(true), v6), "topology.yaml": dualStack },
      notes: [keeps("keepsIPIP"), released(ALL)],
      disruptions: [
        {
          ...at,
          messageId: "stranded",
          titleId: "disabled",
          stepsId: "widenFirst",
          data: { pool: "pool-1", nodes: ALL, version: 4 },
          nodes: ALL_NODES,
        },
      ],
    },
    {
      name: "the last VXLAN pool disabled: every node loses its VTEP, though an IP-in-IP pool gives addresses",
      before: pools(vxlanOne(false), newPool("ipipMode: CrossSubnet")),
      after: pools(vxlanOne(true), newPool("ipipMode: CrossSubnet")),
      notes: [keeps("keepsVXLAN")],
      disruptions: [
        {
          ...at,
          messageId: "vtepWithdrawn",
          titleId: "disabled",
          stepsId: "tunnelFirst",
          data: { pool: "pool-1", tunnelNodes: ALL },
          nodes: ALL_NODES,
        },
      ],
    },
    {
      name: "the same, planned against the rendered tree",
      before: pools(vxlanOne(false), newPool("ipipMode: CrossSubnet")),
      after: pools(vxlanOne(true), newPool("ipipMode: CrossSubnet")),
      rendered: {},
      notes: [keeps("keepsVXLAN")],
      disruptions: [
        {
          ...at,
          messageId: "vtepWithdrawn",
          titleId: "disabled",
          stepsId: "tunnelFirst",
          data: { pool: "pool-1", tunnelNodes: ALL },
          nodes: ALL_NODES,
        },
      ],
    },
    {
      name: "another VXLAN pool that does not allow the Tunnel use keeps no VTEP",
      before: pools(vxlanOne(false), newPool("vxlanMode: Always", "allowedUses: [Workload]")),
      after: {
        ...noTunnelRule,
        ...pools(vxlanOne(true), newPool("vxlanMode: Always", "allowedUses: [Workload]")),
      },
      notes: [keeps("keepsVXLAN")],
      disruptions: [
        {
          ...at,
          messageId: "vtepWithdrawn",
          titleId: "disabled",
          stepsId: "tunnelFirst",
          data: { pool: "pool-1", tunnelNodes: ALL },
          nodes: ALL_NODES,
        },
      ],
    },
    {
      name: "a VXLAN pool disabled while another VXLAN pool serves node-2 only: stranded and without VTEP",
      before: pools(vxlanOne(false), poolB("vxlanMode: CrossSubnet")),
      after: { ...noTunnelRule, ...pools(vxlanOne(true), poolB("vxlanMode: CrossSubnet")) },
      notes: [keeps("keepsVXLAN")],
      disruptions: [
        {
          ...at,
          messageId: "strandedAndVtepWithdrawn",
          titleId: "disabled",
          stepsId: "both",
          data: { pool: "pool-1", nodes: BUT_B, version: 4, tunnelNodes: BUT_B },
          nodes: BUT_B_NODES,
        },
      ],
    },
  ],
});
