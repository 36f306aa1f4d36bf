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
/** A dual-stack node (after racksV6): its addressV6 value at line 16, column 18. */
const dual = (v6: string, v4 = "10.0.1.10") => `${node("a", v4)}      addressV6: ${v6}\n`;
const atV6 = { file: "topology.yaml", line: 16, column: 18 };
const racksV6 = `${racks}    - name: rack-1-v6\n      cidr: fd00:1::/64\n`;
/** The first node's address value is at line 13, column 16. */
const at = { file: "topology.yaml", line: 13, column: 16 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "a dual-stack node: each address in one subnet of its family",
      files: topology(racksV6, `  nodes:\n${dual("fd00:1::10")}`),
    },
    {
      name: "a dual-stack node group",
      files: topology(
        racksV6,
        "  nodeGroups:\n    - { namePrefix: w-, count: 3, subnet: rack-1, firstAddress: 10.0.1.20, subnetV6: rack-1-v6, firstAddressV6: 'fd00:1::20' }\n",
      ),
    },
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
      name: "addressV6 is an IPv4 address",
      files: topology(racksV6, `  nodes:\n${dual("10.0.2.10")}`),
      errors: [{ messageId: "notIPv6", data: { node: "a", address: "10.0.2.10" }, ...atV6 }],
    },
    {
      name: "addressV6 beside an IPv6 address",
      files: topology(racksV6, `  nodes:\n${dual("fd00:1::11", "fd00:1::10")}`),
      errors: [{ messageId: "twoIPv6", data: { node: "a", address: "fd00:1::10" }, ...atV6 }],
    },
    {
      name: "addressV6 in no subnet",
      files: topology(racksV6, `  nodes:\n${dual("fd00:2::10")}`),
      errors: [
        {
          messageId: "outside",
          data: {
            node: "a",
            field: "addressV6",
            address: "fd00:2::10",
            subnets: "rack-1 10.0.1.0/24, rack-2 10.0.2.0/24, rack-1-v6 fd00:1::/64",
          },
          ...atV6,
        },
      ],
    },
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
            field: "address",
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
          data: { node: "a", field: "address", address: "10.0.1.5", subnets: "rack-1, site" },
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
