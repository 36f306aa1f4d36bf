import { describe, it } from "vitest";
import { kubeNode, LiveRuleTester } from "../live-rule-tester.js";
import { rule } from "./live-node-address-differs.js";

/** node-1's address in the base topology.yaml: line 13, column 16. */
const node1 = { file: "topology.yaml", line: 13, column: 16 };
const annotation = (value: string) => [
  {
    file: "live/node-1.yaml",
    line: 5,
    column: 36,
    message: `Node node-1: projectcalico.org/IPv4Address ${value}`,
  },
];

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "the same addresses", live: {} },
    {
      name: "only the prefix differs (another rule's)",
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/16" }) },
    },
  ],
  invalid: [
    {
      name: "another address in the same subnet",
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.11/24" }) },
      errors: [
        {
          messageId: "address",
          data: { who: 'node "node-1"', live: "10.0.1.11", repo: "10.0.1.10", subnet: "rack-1" },
          ...node1,
          related: annotation("10.0.1.11/24"),
        },
      ],
    },
    {
      name: "an address in the other subnet",
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.2.77/24" }) },
      errors: [
        {
          messageId: "subnet",
          data: {
            who: 'node "node-1"',
            live: "10.0.2.77",
            repo: "10.0.1.10",
            where: 'subnet "rack-2"',
            subnet: "rack-1",
          },
          ...node1,
          related: annotation("10.0.2.77/24"),
        },
      ],
    },
    {
      name: "an address in no subnet of the Topology",
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "172.16.0.9/24" }) },
      errors: [
        {
          messageId: "subnet",
          data: {
            who: 'node "node-1"',
            live: "172.16.0.9",
            repo: "10.0.1.10",
            where: "no subnet of the Topology",
            subnet: "rack-1",
          },
          ...node1,
          related: annotation("172.16.0.9/24"),
        },
      ],
    },
    {
      name: "only an IPv6 address in the cluster",
      live: { "node-1.yaml": kubeNode("node-1", { ipv6: "fd00::10/64" }) },
      errors: [
        {
          messageId: "missing",
          data: { who: 'node "node-1"', family: 4, repo: "10.0.1.10" },
          ...node1,
        },
      ],
    },
  ],
});
