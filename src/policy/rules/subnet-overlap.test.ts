import { describe, it } from "vitest";
import { RuleTester } from "../tester.js";
import { rule } from "./subnet-overlap.js";

const subnets = (...cidrs: string[]) => ({
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
${cidrs.map((c, i) => `    - name: s${i + 1}\n      cidr: ${c}\n`).join("")}  nodes:
    - name: node-1
      address: 10.0.1.10
`,
});
/** Subnet i (1-based) has its cidr value on line 6 + 2i, column 13. */
const cidrOf = (i: number) => ({ file: "topology.yaml", line: 6 + 2 * i, column: 13 });

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "exactly touching", files: subnets("10.0.0.0/24", "10.0.1.0/24") },
    { name: "IPv4 and IPv6", files: subnets("10.0.1.0/24", "fd00::/64") },
  ],
  invalid: [
    {
      name: "one inside another",
      files: subnets("10.0.0.0/16", "10.0.1.0/24"),
      errors: [
        {
          messageId: "overlap",
          data: { subnet: "s2", cidr: "10.0.1.0/24", other: "s1", otherCidr: "10.0.0.0/16" },
          ...cidrOf(2),
        },
      ],
    },
    {
      name: "the later one is larger",
      files: subnets("10.0.1.0/24", "10.0.0.0/16"),
      errors: [
        {
          messageId: "overlap",
          data: { subnet: "s2", cidr: "10.0.0.0/16", other: "s1", otherCidr: "10.0.1.0/24" },
          ...cidrOf(2),
        },
      ],
    },
    {
      name: "identical IPv6",
      files: subnets("10.0.1.0/24", "fd00::/64", "fd00::/64"),
      errors: [
        {
          messageId: "overlap",
          data: { subnet: "s3", cidr: "fd00::/64", other: "s2", otherCidr: "fd00::/64" },
          ...cidrOf(3),
        },
      ],
    },
  ],
});
