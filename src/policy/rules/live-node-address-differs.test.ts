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

/** node-1 is dual-stack: its addressV6 (fd00:1::10) is on line 16, column 18. */
const dualStack = {
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
    - name: rack-1-v6
      cidr: fd00:1::/64
  nodes:
    - name: node-1
      address: 10.0.1.10
      addressV6: fd00:1::10
    - name: node-2
      address: 10.0.2.10
`,
};

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "the same addresses", live: {} },
    {
      name: "a dual-stack node with the same address in each family",
      files: dualStack,
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24", ipv6: "fd00:1::10/64" }) },
    },
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
      name: "a dual-stack node's IPv6 address differs from its addressV6",
      files: dualStack,
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24", ipv6: "fd00:1::11/64" }) },
      errors: [
        {
          messageId: "address",
          data: {
            who: 'node "node-1"',
            live: "fd00:1::11",
            repo: "fd00:1::10",
            subnet: "rack-1-v6",
          },
          file: "topology.yaml",
          line: 16,
          column: 18,
          related: [
            {
              file: "live/node-1.yaml",
              line: 6,
              column: 36,
              message: "Node node-1: projectcalico.org/IPv6Address fd00:1::11/64",
            },
          ],
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
