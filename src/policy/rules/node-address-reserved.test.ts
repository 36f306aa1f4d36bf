import { describe, it } from "vitest";
import { groupYaml, nodeYaml, oneSubnetTopology, RuleTester } from "../tester.js";
import { rule } from "./node-address-reserved.js";

/** rack-1 (10.0.1.0/24) with `extra` lines in its entry, then `body`. */
const topology = (body: string, extra = "") => {
  const files = oneSubnetTopology(body);
  return {
    "topology.yaml": files["topology.yaml"]!.replace(
      "cidr: 10.0.1.0/24\n",
      `cidr: 10.0.1.0/24\n${extra}`,
    ),
  };
};
const gateway = "      gateway: 10.0.1.1\n";
const rack1 = { subnet: "rack-1", cidr: "10.0.1.0/24" };
/** The first node's address (or the group's firstAddress) is at line 12 (13 with a gateway). */
const at = (line: number, column: number) => ({ file: "topology.yaml", line, column });

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "host addresses, the first and the last",
      files: topology(`  nodes:\n${nodeYaml("a", "10.0.1.1")}${nodeYaml("b", "10.0.1.254")}`),
    },
    {
      name: "a group that ends on the last host address",
      files: topology(`  nodeGroups:\n${groupYaml("w-", 4, "10.0.1.251")}`, gateway),
    },
    {
      name: "a /31 has no network or broadcast address (RFC 3021)",
      files: {
        "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: link
      cidr: 10.0.9.0/31
  nodes:
${nodeYaml("a", "10.0.9.0")}${nodeYaml("b", "10.0.9.1")}`,
      },
    },
    {
      name: "IPv6 has no broadcast address",
      files: {
        "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: v6
      cidr: fd00::/120
  nodes:
${nodeYaml("a", "fd00::ff")}`,
      },
    },
  ],
  invalid: [
    {
      name: "the network address",
      files: topology(`  nodes:\n${nodeYaml("a", "10.0.1.0")}`),
      errors: [
        { messageId: "network", data: { node: "a", address: "10.0.1.0", ...rack1 }, ...at(11, 16) },
      ],
    },
    {
      name: "the broadcast address",
      files: topology(`  nodes:\n${nodeYaml("a", "10.0.1.10")}${nodeYaml("b", "10.0.1.255")}`),
      errors: [
        {
          messageId: "broadcast",
          data: { node: "b", address: "10.0.1.255", ...rack1 },
          ...at(13, 16),
        },
      ],
    },
    {
      name: "the gateway",
      files: topology(`  nodes:\n${nodeYaml("a", "10.0.1.1")}`, gateway),
      errors: [
        { messageId: "gateway", data: { node: "a", address: "10.0.1.1", ...rack1 }, ...at(12, 16) },
      ],
    },
    {
      name: "a dual-stack node's addressV6 is its IPv6 subnet's gateway",
      files: {
        "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: v6
      cidr: fd00:1::/64
      gateway: fd00:1::1
  nodes:
    - name: a
      address: 10.0.1.10
      addressV6: fd00:1::1
`,
      },
      errors: [
        {
          messageId: "gateway",
          data: { node: "a", address: "fd00:1::1", subnet: "v6", cidr: "fd00:1::/64" },
          ...at(15, 18),
        },
      ],
    },
    {
      name: "a group that overflows onto the broadcast address, once, at firstAddress",
      files: topology(`  nodeGroups:\n${groupYaml("w-", 5, "10.0.1.251")}`, gateway),
      errors: [
        {
          messageId: "groupBroadcast",
          data: { group: "w-", node: "w-5", address: "10.0.1.255", ...rack1 },
          ...at(14, 21),
        },
      ],
    },
    {
      name: "a group that starts on the network address and runs over the gateway",
      files: topology(`  nodeGroups:\n${groupYaml("w-", 3, "10.0.1.0")}`, gateway),
      errors: [
        {
          messageId: "groupNetwork",
          data: { group: "w-", node: "w-1", address: "10.0.1.0", ...rack1 },
          ...at(14, 21),
        },
        {
          messageId: "groupGateway",
          data: { group: "w-", node: "w-2", address: "10.0.1.1", ...rack1 },
          ...at(14, 21),
        },
      ],
    },
  ],
});
