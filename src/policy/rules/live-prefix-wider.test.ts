import { describe, it } from "vitest";
import { kubeNode, LiveRuleTester } from "../live-rule-tester.js";
import { groupYaml, nodeYaml, oneSubnetTopology } from "../tester.js";
import { rule } from "./live-prefix-wider.js";

/** node-1's address in the base topology.yaml: line 13, column 16. */
const node1 = { file: "topology.yaml", line: 13, column: 16 };
/** projectcalico.org/IPv4Address in a kubeNode file: line 5, column 36. */
const annotation = (file: string, object: string, value: string) => ({
  file: `live/${file}`,
  line: 5,
  column: 36,
  message: `${object}: projectcalico.org/IPv4Address ${value}`,
});
const wide = (prefix: string) => ({
  "node-1.yaml": kubeNode("node-1", { ipv4: `10.0.1.10/${prefix}`, ipip: "192.168.10.1" }),
});

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "the live prefixes are the subnets", live: {} },
    { name: "wider, but no node of another subnet inside it", live: wide("23") },
    {
      name: "wider, but the underlay routes pod addresses",
      files: {
        "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
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
  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: node-2
      address: 10.0.2.10
`,
      },
      live: wide("16"),
    },
    {
      name: "wider, but the pool encapsulates always",
      files: {
        "pools.yaml":
          "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-1\nspec:\n  cidr: 192.168.0.0/16\n  ipipMode: Always\n",
      },
      live: wide("16"),
    },
    {
      name: "narrower is another rule's",
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/28" }) },
    },
  ],
  invalid: [
    {
      name: "a /16 where the subnet is a /24 reaches the other rack directly",
      live: wide("16"),
      errors: [
        {
          messageId: "direct",
          data: {
            who: 'node "node-1"',
            live: "10.0.1.10/16",
            subnet: "rack-1",
            cidr: "10.0.1.0/24",
            pairs: "1 node pair",
            pools: "pool-1",
            from: "node-1",
            to: "node-2",
          },
          ...node1,
          related: [annotation("node-1.yaml", "Node node-1", "10.0.1.10/16")],
        },
      ],
    },
    {
      name: "a node group that detected a /16: one finding for the group, counting its pairs",
      files: oneSubnetTopology(
        `    - name: rack-2\n      cidr: 10.0.2.0/24\n  nodes:\n${nodeYaml("node-2", "10.0.2.10")}  nodeGroups:\n${groupYaml("w-", 3, "10.0.1.20")}`,
      ),
      live: {
        "node-1.yaml": null,
        "w-1.yaml": kubeNode("w-1", { ipv4: "10.0.1.20/16" }),
        "w-2.yaml": kubeNode("w-2", { ipv4: "10.0.1.21/16" }),
        "w-3.yaml": kubeNode("w-3", { ipv4: "10.0.1.22/24" }),
      },
      errors: [
        {
          messageId: "direct",
          data: {
            who: 'node group "w-" (2 nodes, e.g. "w-1")',
            live: "10.0.1.20/16",
            subnet: "rack-1",
            cidr: "10.0.1.0/24",
            pairs: "2 node pairs",
            pools: "pool-1",
            from: "w-1",
            to: "node-2",
          },
          file: "topology.yaml",
          line: 18,
          column: 21,
          related: [annotation("w-1.yaml", "Node w-1", "10.0.1.20/16")],
        },
      ],
    },
  ],
});
