import { describe, it } from "vitest";
import { groupYaml, nodeYaml, oneSubnetTopology, RuleTester } from "../tester.js";
import { rule } from "./node-duplicate-name.js";

const topology = oneSubnetTopology;
const node = nodeYaml;
const group = groupYaml;

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "distinct names",
      files: topology(`  nodes:\n${node("a", "10.0.1.1")}${node("b", "10.0.1.2")}`),
    },
    {
      name: "prefixes that cannot collide",
      files: topology(
        `  nodeGroups:\n${group("w-", 12, "10.0.1.10")}${group("x-", 3, "10.0.1.30")}`,
      ),
    },
  ],
  invalid: [
    {
      name: "two nodes",
      files: topology(`  nodes:\n${node("a", "10.0.1.1")}${node("a", "10.0.1.2")}`),
      errors: [
        {
          messageId: "duplicate",
          data: { node: "a" },
          file: "topology.yaml",
          line: 12,
          column: 13,
        },
      ],
    },
    {
      name: "a node named like a group member",
      files: topology(
        `  nodes:\n${node("w-2", "10.0.1.1")}  nodeGroups:\n${group("w-", 3, "10.0.1.10")}`,
      ),
      errors: [
        {
          messageId: "group",
          data: { group: "w-", count: 1, node: "w-2" },
          file: "topology.yaml",
          line: 13,
          column: 19,
        },
      ],
    },
    {
      name: "w-1 with 3 members repeats w- with 12 (w-11, w-12)",
      files: topology(
        `  nodeGroups:\n${group("w-", 12, "10.0.1.10")}${group("w-1", 3, "10.0.1.30")}`,
      ),
      errors: [
        {
          messageId: "group",
          data: { group: "w-1", count: 2, node: "w-11" },
          file: "topology.yaml",
          line: 14,
          column: 19,
        },
      ],
    },
  ],
});
