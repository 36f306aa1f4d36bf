import { describe, it } from "vitest";
import { kubeNode, LiveRuleTester } from "../live-rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./live-pool-selection-differs.js";

/** pool-1 selecting rack=r1, and node-1 labelled rack=r1 in the Topology. */
const files = {
  "pools.yaml": poolYaml(
    "pool-1",
    "cidr: 192.168.0.0/16",
    "ipipMode: CrossSubnet",
    'nodeSelector: rack == "r1"',
  ),
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
      labels:
        rack: r1
    - name: node-2
      address: 10.0.2.10
`,
};
/** The nodeSelector's value: line 8, column 17. */
const selector = { file: "pools.yaml", line: 8, column: 17 };
/** `labels:` in a kubeNode file with one annotation: line 6, column 5 (its first entry). */
const labels = (node: string, why: string) => ({
  file: `live/${node}.yaml`,
  line: 7,
  column: 5,
  message: `Node ${node}: labels ${why}`,
});

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "the labels select the same nodes",
      files,
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24", labels: { rack: "r1" } }) },
    },
    {
      name: "labels the selector does not read may differ",
      files,
      live: {
        "node-1.yaml": kubeNode("node-1", {
          ipv4: "10.0.1.10/24",
          labels: { rack: "r1", gpu: "yes" },
        }),
      },
    },
  ],
  invalid: [
    {
      name: "a node lost the label: the pool no longer selects it",
      files,
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24", labels: { rack: "r9" } }) },
      errors: [
        {
          messageId: "fewer",
          data: { pool: "pool-1", nodes: "1 node (node-1)" },
          ...selector,
          related: [labels("node-1", "rack=r9 (Topology: r1)")],
        },
      ],
    },
    {
      name: "a node carries the label in the cluster only",
      files,
      live: {
        "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24", labels: { rack: "r1" } }),
        "node-2.yaml": kubeNode("node-2", {
          ipv4: "10.0.2.10/24",
          labels: { rack: "r1", zone: "x" },
        }),
      },
      errors: [
        {
          messageId: "more",
          data: { pool: "pool-1", nodes: "1 node (node-2)" },
          ...selector,
          related: [labels("node-2", "rack=r1 (Topology: not set)")],
        },
      ],
    },
  ],
});
