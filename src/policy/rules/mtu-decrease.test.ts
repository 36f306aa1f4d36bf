import { describe, it } from "vitest";
import {
  clusterYaml,
  PLAN_BASE_REPO,
  PlanRuleTester,
  topologyYaml,
  type ExpectedDisruption,
} from "../../plan/rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./mtu-decrease.js";

const podMTU = (n: number) => ({ "netcompile.yaml": clusterYaml("networking:", `  podMTU: ${n}`) });
const subnets = (mtu: number) => ({
  "topology.yaml": topologyYaml({ subnet: { "rack-1": `mtu: ${mtu}`, "rack-2": `mtu: ${mtu}` } }),
});
const decrease = (
  from: number,
  to: number,
  at: { file: string; line: number; column: number },
  titleId = "derived",
): ExpectedDisruption => ({
  messageId: "keepsOld",
  titleId,
  stepsId: "recreate",
  data: { from, to, nodes: "5 nodes (2 listed, worker-*: 3)" },
  ...at,
  change: {
    resource: "Cluster/lab",
    field: "networking.podMTU",
    from: String(from),
    to: String(to),
  },
  acknowledgeable: true,
  pools: [],
  nodes: ["node-1", "node-2", "worker-1", "worker-2", "worker-3"],
  addresses: ["v1/ConfigMap/kube-system/calico-config"],
});

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    { name: "an increase", before: podMTU(1400), after: podMTU(1450) },
  ],
  invalid: [
    {
      name: "written: a decrease, at podMTU",
      before: podMTU(1450),
      after: podMTU(1400),
      disruptions: [
        decrease(1450, 1400, { file: "netcompile.yaml", line: 8, column: 13 }, "explicit"),
      ],
    },
    {
      name: "derived from smaller subnet MTUs: at the first subnet's mtu",
      before: subnets(9000),
      after: subnets(1500),
      disruptions: [decrease(8980, 1480, { file: "topology.yaml", line: 9, column: 12 })],
    },
    {
      name: "derived from an encapsulation switch: at the pool's new mode",
      before: {},
      after: { "pools.yaml": poolYaml("pool-1", "cidr: 192.168.0.0/16", "vxlanMode: Always") },
      disruptions: [decrease(1480, 1450, { file: "pools.yaml", line: 7, column: 14 })],
    },
    {
      name: "derived from a new VXLAN pool: at the Cluster's spec",
      before: {},
      after: {
        "pools.yaml": `${PLAN_BASE_REPO["pools.yaml"]}---\n${poolYaml("pool-2", "cidr: 10.244.0.0/16", "vxlanMode: Always")}`,
      },
      disruptions: [decrease(1480, 1450, { file: "netcompile.yaml", line: 6, column: 3 })],
    },
  ],
});
