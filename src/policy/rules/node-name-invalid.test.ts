import { describe, it } from "vitest";
import { RuleTester } from "../tester.js";
import { rule } from "./node-name-invalid.js";

const topology = (body: string) => ({
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
${body}`,
});
const node = (name: string) => `  nodes:\n    - name: ${name}\n      address: 10.0.1.1\n`;
const group = (prefix: string, count: number) =>
  `  nodeGroups:\n    - namePrefix: ${prefix}\n      count: ${count}\n      subnet: rack-1\n      firstAddress: 10.0.1.10\n`;
/** A node's name value: line 10, column 13; a group's namePrefix value: line 10, column 19. */
const nodeAt = { file: "topology.yaml", line: 10, column: 13 };
const groupAt = { file: "topology.yaml", line: 10, column: 19 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "lower case with a dash", files: topology(node("node-1")) },
    { name: "63 characters", files: topology(node("n".repeat(63))) },
    { name: "a group whose names stay within 63", files: topology(group("w".repeat(61), 99)) },
  ],
  invalid: [
    {
      name: "upper case",
      files: topology(node("Node-1")),
      errors: [{ messageId: "invalid", data: { node: "Node-1" }, ...nodeAt }],
    },
    {
      name: "a dot (a subdomain, not a label)",
      files: topology(node("node.1")),
      errors: [{ messageId: "invalid", data: { node: "node.1" }, ...nodeAt }],
    },
    {
      name: "a trailing dash",
      files: topology(node("node-")),
      errors: [{ messageId: "invalid", data: { node: "node-" }, ...nodeAt }],
    },
    {
      name: "64 characters",
      files: topology(node("n".repeat(64))),
      errors: [{ messageId: "invalid", data: { node: "n".repeat(64) }, ...nodeAt }],
    },
    {
      name: "a group prefix in upper case",
      files: topology(group("W-", 2)),
      errors: [{ messageId: "group", data: { group: "W-", count: 2, node: "W-1" }, ...groupAt }],
    },
    {
      name: "a group whose tenth name is 64 characters long",
      files: topology(group("w".repeat(62), 10)),
      errors: [
        {
          messageId: "group",
          data: { group: "w".repeat(62), count: 1, node: `${"w".repeat(62)}10` },
          ...groupAt,
        },
      ],
    },
  ],
});
