import { describe, it } from "vitest";
import { kubeNode, LiveRuleTester } from "../live-rule-tester.js";
import { rule } from "./live-node-unknown.js";

/** In a kubeNode file with one annotation and the hostname label, `name:` is line 8, column 9. */
const named = (node: string) => ({
  file: `live/${node}.yaml`,
  line: 8,
  column: 9,
  message: `Node ${node}: not in the Topology`,
});

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "every live node is in the Topology", live: {} },
    { name: "a Topology node missing live is another rule's", live: { "node-2.yaml": null } },
  ],
  invalid: [
    {
      name: "a node in rack-1 the Topology does not list",
      live: { "node-9.yaml": kubeNode("node-9", { ipv4: "10.0.1.99/24" }) },
      errors: [
        {
          messageId: "subnet",
          data: { nodes: "1 node (node-9)", subnet: "rack-1" },
          file: "topology.yaml",
          line: 8,
          column: 13,
          related: [named("node-9")],
        },
      ],
    },
    {
      name: "four new nodes: one finding per subnet, three named",
      live: {
        "a-1.yaml": kubeNode("a-1", { ipv4: "10.0.2.21/24" }),
        "a-2.yaml": kubeNode("a-2", { ipv4: "10.0.2.22/24" }),
        "a-10.yaml": kubeNode("a-10", { ipv4: "10.0.2.30/24" }),
        "a-3.yaml": kubeNode("a-3", { ipv4: "10.0.2.23/24" }),
      },
      errors: [
        {
          messageId: "subnet",
          data: { nodes: "4 nodes (a-1, a-2, a-3, …)", subnet: "rack-2" },
          file: "topology.yaml",
          line: 10,
          column: 13,
          related: [named("a-1"), named("a-10"), named("a-2")],
        },
      ],
    },
    {
      name: "a node in a network the Topology does not have",
      live: { "edge-1.yaml": kubeNode("edge-1", { ipv4: "172.16.5.4/24" }) },
      errors: [
        {
          messageId: "outside",
          data: { nodes: "1 node (edge-1)", address: "172.16.5.4" },
          file: "topology.yaml",
          line: 6,
          column: 3,
          related: [named("edge-1")],
        },
      ],
    },
  ],
});
