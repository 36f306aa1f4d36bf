import { describe, it } from "vitest";
import { BASE_REPO, RuleTester } from "../tester.js";
import { rule } from "./mtu-mixed-underlay.js";

const topology = (rack1: string, rack2: string, extra = "") => `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
${rack1}    - name: rack-2
      cidr: 10.0.2.0/24
${rack2}${extra}  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: node-2
      address: 10.0.2.10
`;
const mtu = (n: number) => `      mtu: ${n}\n`;

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "one MTU everywhere", files: { "topology.yaml": topology(mtu(9001), mtu(9001)) } },
    {
      name: "a subnet with no node does not count",
      files: {
        "topology.yaml": topology(
          "",
          "",
          "    - name: spare\n      cidr: 10.0.9.0/24\n      mtu: 1400\n",
        ),
      },
    },
    {
      name: "an explicit podMTU is the operator's choice",
      files: {
        "topology.yaml": topology(mtu(9001), ""),
        "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]}  networking:\n    podMTU: 1480\n`,
      },
    },
  ],
  invalid: [
    {
      name: "rack-2 is smaller",
      files: { "topology.yaml": topology("", mtu(1400)) },
      errors: [
        {
          messageId: "mixed",
          data: { subnet: "rack-2", mtu: 1400, others: '"rack-1" 1500' },
          file: "topology.yaml",
          line: 11,
          column: 12,
        },
      ],
    },
    {
      name: "the smaller subnet takes the Cluster's MTU: the finding is at its name",
      files: { "topology.yaml": topology(mtu(9001), "") },
      errors: [
        {
          messageId: "mixed",
          data: { subnet: "rack-2", mtu: 1500, others: '"rack-1" 9001' },
          file: "topology.yaml",
          line: 10,
          column: 13,
        },
      ],
    },
  ],
});
