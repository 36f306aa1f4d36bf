import { describe, it } from "vitest";
import { groupYaml, nodeYaml, oneSubnetTopology, RuleTester } from "../tester.js";
import { rule } from "./node-duplicate-address.js";

const topology = oneSubnetTopology;
const node = nodeYaml;
const group = groupYaml;
const v6Subnet = "    - name: rack-1-v6\n      cidr: fd00:1::/64\n";
const dual = (name: string, v4: string, v6: string) => `${node(name, v4)}      addressV6: ${v6}\n`;

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "distinct addresses",
      files: topology(`  nodes:\n${node("a", "10.0.1.1")}${node("b", "10.0.1.2")}`),
    },
    {
      name: "a group right after a node",
      files: topology(
        `  nodes:\n${node("a", "10.0.1.1")}  nodeGroups:\n${group("w-", 3, "10.0.1.2")}`,
      ),
    },
    {
      name: "two groups exactly touching",
      files: topology(
        `  nodeGroups:\n${group("a-", 10, "10.0.1.10")}${group("b-", 10, "10.0.1.20")}`,
      ),
    },
  ],
  invalid: [
    {
      name: "two dual-stack nodes with one IPv6 address: at the second's addressV6",
      files: topology(
        `${v6Subnet}  nodes:\n${dual("a", "10.0.1.1", "fd00:1::1")}${dual("b", "10.0.1.2", "fd00:1:0::0001")}`,
      ),
      errors: [
        {
          messageId: "duplicate",
          data: { node: "b", address: "fd00:1::1", other: "a" },
          file: "topology.yaml",
          line: 17,
          column: 18,
        },
      ],
    },
    {
      name: "two nodes",
      files: topology(`  nodes:\n${node("a", "10.0.1.1")}${node("b", "10.0.1.1")}`),
      errors: [
        {
          messageId: "duplicate",
          data: { node: "b", address: "10.0.1.1", other: "a" },
          file: "topology.yaml",
          line: 13,
          column: 16,
        },
      ],
    },
    {
      name: "the same address written differently",
      files: topology(
        "    - name: v6\n      cidr: fd00::/64\n  nodes:\n" +
          node("a", "fd00::1") +
          node("b", "fd00:0::0001"),
      ),
      errors: [
        {
          messageId: "duplicate",
          data: { node: "b", address: "fd00::1", other: "a" },
          file: "topology.yaml",
          line: 15,
          column: 16,
        },
      ],
    },
    {
      name: "two overlapping groups: one finding with the count",
      files: topology(
        `  nodeGroups:\n${group("a-", 10, "10.0.1.10")}${group("b-", 10, "10.0.1.15")}`,
      ),
      errors: [
        {
          messageId: "group",
          data: { group: "b-", count: 5, address: "10.0.1.15", node: "b-1", other: "a-6" },
          file: "topology.yaml",
          line: 17,
          column: 21,
        },
      ],
    },
  ],
});
