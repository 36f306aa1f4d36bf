import { describe, it } from "vitest";
import { nodeYaml, RuleTester } from "../tester.js";
import { rule } from "./node-address-outside-subnets.js";

const topology = (subnets: string, nodes: string) => ({
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
${subnets}${nodes}`,
});
const racks = `    - name: rack-1
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
`;
/** rack-1 and a /16 around both racks: their addresses are in two subnets. */
const overlapping = `    - name: rack-1
      cidr: 10.0.1.0/24
    - name: site
      cidr: 10.0.0.0/16
`;
const node = nodeYaml;
/** The first node's address value is at line 13, column 16. */
const at = { file: "topology.yaml", line: 13, column: 16 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "each node in one subnet",
      files: topology(racks, `  nodes:\n${node("a", "10.0.1.10")}`),
    },
    {
      name: "the first address of a subnet",
      files: topology(racks, `  nodes:\n${node("a", "10.0.1.0")}`),
    },
    {
      name: "the last address of a subnet",
      files: topology(racks, `  nodes:\n${node("a", "10.0.2.255")}`),
    },
  ],
  invalid: [
    {
      name: "not an address",
      files: topology(racks, `  nodes:\n${node("a", "10.0.1")}`),
      errors: [{ messageId: "notAnAddress", data: { node: "a", address: "10.0.1" }, ...at }],
    },
    {
      name: "between two subnets",
      files: topology(racks, `  nodes:\n${node("a", "10.0.3.1")}`),
      errors: [
        {
          messageId: "outside",
          data: {
            node: "a",
            address: "10.0.3.1",
            subnets: "rack-1 10.0.1.0/24, rack-2 10.0.2.0/24",
          },
          ...at,
        },
      ],
    },
    {
      name: "inside two subnets",
      files: topology(overlapping, `  nodes:\n${node("a", "10.0.1.5")}`),
      errors: [
        {
          messageId: "several",
          data: { node: "a", address: "10.0.1.5", subnets: "rack-1, site" },
          ...at,
        },
      ],
    },
    {
      name: "a node group inside two subnets: one finding at firstAddress",
      files: topology(
        overlapping,
        "  nodeGroups:\n    - namePrefix: w-\n      count: 4\n      subnet: site\n      firstAddress: 10.0.1.254\n",
      ),
      errors: [
        {
          messageId: "groupSeveral",
          data: {
            group: "w-",
            count: 2,
            address: "10.0.1.254",
            node: "w-1",
            subnets: "rack-1, site",
          },
          file: "topology.yaml",
          line: 15,
          column: 21,
        },
      ],
    },
  ],
});
