import { describe, it } from "vitest";
import { kubeNode, LiveRuleTester } from "../live-rule-tester.js";
import { rule } from "./live-prefix-mismatch.js";

/** node-1's address in the base topology.yaml: line 13, column 16. */
const node1 = { file: "topology.yaml", line: 13, column: 16 };
const common = { who: 'node "node-1"', subnet: "rack-1", cidr: "10.0.1.0/24" };
const live = (ipv4: string) => ({
  "node-1.yaml": kubeNode("node-1", { ipv4, ipip: "192.168.10.1" }),
});
const related = (value: string) => [
  {
    file: "live/node-1.yaml",
    line: 5,
    column: 36,
    message: `Node node-1: projectcalico.org/IPv4Address ${value}`,
  },
];
const routedTopology = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  underlay:
    routesWorkloadIPs: true
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
    - name: rack-1b
      cidr: 10.0.1.128/25
  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: node-2
      address: 10.0.2.10
`;

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "the live prefixes are the subnets", live: {} },
    {
      name: "a wider prefix that drops traffic is live-prefix-wider's",
      live: live("10.0.1.10/16"),
    },
    {
      name: "another address is live-node-address-differs'",
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.11/28", ipip: "192.168.10.1" }) },
    },
  ],
  invalid: [
    {
      name: "a /28 in a /24: Felix encapsulates what netcompile routes directly",
      files: {
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
    - name: node-2
      address: 10.0.2.10
    - name: node-3
      address: 10.0.1.200
`,
      },
      live: {
        ...live("10.0.1.10/28"),
        "node-3.yaml": kubeNode("node-3", { ipv4: "10.0.1.200/24", ipip: "192.168.30.1" }),
      },
      errors: [
        {
          messageId: "narrower",
          data: {
            ...common,
            live: "10.0.1.10/28",
            pairs: "1 node pair",
            example: ", e.g. node-1 -> node-3",
          },
          ...node1,
          related: related("10.0.1.10/28"),
        },
      ],
    },
    {
      name: "no other node in the subnet: narrower, no pair changes",
      live: live("10.0.1.10/26"),
      errors: [
        {
          messageId: "narrower",
          data: { ...common, live: "10.0.1.10/26", pairs: "0 node pairs", example: "" },
          ...node1,
          related: related("10.0.1.10/26"),
        },
      ],
    },
    {
      name: "a /32: alone in its subnet",
      live: live("10.0.1.10/32"),
      errors: [
        {
          messageId: "host",
          data: { ...common, live: "10.0.1.10/32", pairs: "0 node pairs" },
          ...node1,
          related: related("10.0.1.10/32"),
        },
      ],
    },
    {
      name: "no annotation at all: Felix takes the InternalIP as a /32",
      live: { "node-1.yaml": kubeNode("node-1", { internalIP: "10.0.1.10" }) },
      errors: [
        {
          messageId: "host",
          data: { ...common, live: "10.0.1.10", pairs: "0 node pairs" },
          ...node1,
          related: [
            {
              file: "live/node-1.yaml",
              line: 11,
              column: 3,
              message: "Node node-1: InternalIP 10.0.1.10",
            },
          ],
        },
      ],
    },
    {
      name: "wider, but the underlay routes pod addresses",
      files: { "topology.yaml": routedTopology },
      live: live("10.0.1.10/16"),
      errors: [
        {
          messageId: "wider",
          data: {
            ...common,
            live: "10.0.1.10/16",
            why: "the underlay routes pod addresses (routesWorkloadIPs: true)",
          },
          file: "topology.yaml",
          line: 17,
          column: 16,
          related: related("10.0.1.10/16"),
        },
      ],
    },
    {
      name: "wider, but no node of another subnet inside it",
      live: live("10.0.1.10/23"),
      errors: [
        {
          messageId: "wider",
          data: {
            ...common,
            live: "10.0.1.10/23",
            why: "no node behind the router that a CrossSubnet pool serves is inside it",
          },
          ...node1,
          related: related("10.0.1.10/23"),
        },
      ],
    },
  ],
});
