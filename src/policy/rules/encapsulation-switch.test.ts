import { describe, it } from "vitest";
import {
  PLAN_BASE_REPO,
  PlanRuleTester,
  topologyYaml,
  type ExpectedDisruption,
} from "../../plan/rule-tester.js";
import { nodeYaml, poolYaml } from "../tester.js";
import { rule } from "./encapsulation-switch.js";

const pool = (...spec: string[]) => ({
  "pools.yaml": poolYaml("pool-1", "cidr: 192.168.0.0/16", ...spec),
});
/** The underlay routes workload addresses: a pool without encapsulation is valid. */
const routed = {
  "topology.yaml": topologyYaml({ head: ["underlay:", "  routesWorkloadIPs: true"] }),
};
const all = ["node-1", "node-2", "worker-1", "worker-2", "worker-3"];
const switched = (
  from: string,
  to: string,
  messageId: string,
  line: number,
  column: number,
  extra: Record<string, string> = {},
): ExpectedDisruption => ({
  messageId,
  titleId: "switch",
  stepsId: "window",
  data: { pool: "pool-1", from, to, nodes: "5 nodes (2 listed, worker-*: 3)", ...extra },
  file: "pools.yaml",
  line,
  column,
  change: { resource: "IPPool/pool-1", field: "encapsulation", from, to },
  acknowledgeable: true,
  pools: ["pool-1"],
  nodes: all,
  addresses: ["projectcalico.org/v3/IPPool/pool-1"],
});

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    {
      name: "another field of the pool changes",
      before: {},
      after: pool("ipipMode: CrossSubnet", "natOutgoing: true"),
    },
    {
      name: "a new pool with another encapsulation",
      before: {},
      after: {
        "pools.yaml": `${poolYaml("pool-1", "cidr: 192.168.0.0/16", "ipipMode: CrossSubnet")}---\n${poolYaml("pool-2", "cidr: 10.244.0.0/16", "vxlanMode: Always")}`,
      },
    },
    {
      name: "a pool disabled while it switches (pool-disabled's to say)",
      before: {},
      after: pool("vxlanMode: Always", "disabled: true"),
    },
    {
      name: "a disabled pool switches",
      before: pool("ipipMode: CrossSubnet", "disabled: true"),
      after: pool("vxlanMode: Always", "disabled: true"),
    },
  ],
  invalid: [
    {
      name: "IP-in-IP CrossSubnet to VXLAN: the tunnel device is replaced, at vxlanMode",
      before: {},
      after: pool("vxlanMode: Always"),
      disruptions: [switched("IPIPCrossSubnet", "VXLAN", "ipipToVxlan", 7, 14)],
    },
    {
      name: "VXLAN to IP-in-IP CrossSubnet, at ipipMode",
      before: pool("vxlanMode: Always"),
      after: {},
      disruptions: [switched("VXLAN", "IPIPCrossSubnet", "vxlanToIpip", 7, 13)],
    },
    {
      name: "no encapsulation to IP-in-IP Always: traffic starts being encapsulated",
      before: { ...routed, ...pool() },
      after: { ...routed, ...pool("ipipMode: Always") },
      disruptions: [switched("None", "IPIP", "starts", 7, 13)],
    },
    {
      name: "no encapsulation to VXLAN CrossSubnet: encapsulated across subnets",
      before: { ...routed, ...pool() },
      after: { ...routed, ...pool("vxlanMode: CrossSubnet") },
      disruptions: [switched("None", "VXLANCrossSubnet", "startsAcrossSubnets", 7, 14)],
    },
    {
      name: "IP-in-IP Always to none: at spec when ipipMode is left out",
      before: { ...routed, ...pool("ipipMode: Always") },
      after: { ...routed, ...pool() },
      disruptions: [switched("IPIP", "None", "stops", 6, 3)],
    },
    {
      name: "IP-in-IP CrossSubnet to Never: stops being encapsulated across subnets",
      before: routed,
      after: { ...routed, ...pool("ipipMode: Never") },
      disruptions: [switched("IPIPCrossSubnet", "None", "stopsAcrossSubnets", 7, 13)],
    },
    {
      name: "IP-in-IP CrossSubnet to Always: same-subnet traffic goes into the tunnel (pairs counted)",
      before: {},
      after: pool("ipipMode: Always"),
      disruptions: [
        switched("IPIPCrossSubnet", "IPIP", "intoTunnel", 7, 13, { pairs: "6 node pairs" }),
      ],
    },
    {
      name: "VXLAN Always to CrossSubnet: same-subnet traffic leaves the tunnel",
      before: pool("vxlanMode: Always"),
      after: pool("vxlanMode: CrossSubnet"),
      disruptions: [
        switched("VXLAN", "VXLANCrossSubnet", "outOfTunnel", 7, 14, { pairs: "6 node pairs" }),
      ],
    },
    {
      name: "into the tunnel, a node of the base in no subnet: the pairs are not counted",
      before: { "topology.yaml": topologyYaml({ nodes: nodeYaml("node-9", "10.0.9.9") }) },
      baseErrors: ["node-address-outside-subnets"],
      after: pool("ipipMode: Always"),
      disruptions: [
        {
          ...switched("IPIPCrossSubnet", "IPIP", "intoTunnelUncounted", 7, 13),
          data: {
            pool: "pool-1",
            from: "IPIPCrossSubnet",
            to: "IPIP",
            nodes: "6 nodes (3 listed, worker-*: 3)",
          },
          nodes: ["node-1", "node-2", "node-9", "worker-1", "worker-2", "worker-3"],
        },
      ],
    },
    {
      name: "out of the tunnel, a node of the base in no subnet: the pairs are not counted",
      before: {
        "topology.yaml": topologyYaml({ nodes: nodeYaml("node-9", "10.0.9.9") }),
        ...pool("ipipMode: Always"),
      },
      baseErrors: ["node-address-outside-subnets"],
      after: {},
      disruptions: [
        {
          ...switched("IPIP", "IPIPCrossSubnet", "outOfTunnelUncounted", 7, 13),
          data: {
            pool: "pool-1",
            from: "IPIP",
            to: "IPIPCrossSubnet",
            nodes: "6 nodes (3 listed, worker-*: 3)",
          },
          nodes: ["node-1", "node-2", "node-9", "worker-1", "worker-2", "worker-3"],
        },
      ],
    },
  ],
});
