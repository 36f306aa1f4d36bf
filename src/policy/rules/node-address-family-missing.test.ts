import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./node-address-family-missing.js";

/** node-1 dual-stack; node-2 (address line 16, column 16) and the group (firstAddress line 21, column 21) IPv4 only. */
const topology = (node2 = "", group = "") => `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: rack-1-v6
      cidr: fd00:1::/64
  nodes:
    - name: node-1
      address: 10.0.1.10
      addressV6: fd00:1::10
    - name: node-2
      address: 10.0.1.11${node2}
  nodeGroups:
    - namePrefix: w-
      count: 3
      subnet: rack-1
      firstAddress: 10.0.1.100${group}
`;
const allDualStack = topology(
  "\n      addressV6: fd00:1::11",
  "\n      subnetV6: rack-1-v6\n      firstAddressV6: fd00:1::100",
);
const v6Pool = (...more: string[]) => ({
  "v6.yaml": poolYaml("v6", "cidr: fd00:244::/48", "vxlanMode: Always", ...more),
});
const node2 = { file: "topology.yaml", line: 16, column: 16 };
const group = { file: "topology.yaml", line: 21, column: 21 };
const cluster = (...lines: string[]) =>
  `${BASE_REPO["netcompile.yaml"]}${lines.map((l) => `  ${l}\n`).join("")}`;
/** IPv6 only: one IPv6 subnet, two IPv6 nodes (addresses at lines 11 and 13, column 16). */
const v6Only = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: v6
      cidr: fd00:1::/64
  nodes:
    - name: node-a
      address: fd00:1::10
    - name: node-b
      address: fd00:1::11
`;
const staticMode = cluster("hostNetwork: { mode: static }");
/** Static host networking needs rack-1's gateway (NC3070): one line more, node-2 and the group a line lower. */
const staticTopology = topology().replace(
  "cidr: 10.0.1.0/24\n",
  "cidr: 10.0.1.0/24\n      gateway: 10.0.1.1\n",
);
const below = (at: typeof node2) => ({ ...at, line: at.line + 1 });

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IPv4 pools and IPv4 nodes", files: { "topology.yaml": topology() } },
    {
      name: "dual-stack nodes with IPv4 and IPv6 pools",
      files: { "topology.yaml": allDualStack, ...v6Pool() },
    },
    {
      name: "IPv6 nodes with only IPv6 pools: calico-node detects no IPv4 address",
      files: { "topology.yaml": v6Only, "pools.yaml": null, ...v6Pool() },
    },
    {
      name: "a disabled IPv6 pool: calico-node is not asked for IPv6",
      files: { "topology.yaml": topology(), ...v6Pool("disabled: true") },
    },
    {
      name: "static mode: the IPv6 pool selects only the dual-stack node",
      files: {
        "netcompile.yaml": staticMode,
        "topology.yaml": staticTopology,
        ...v6Pool('nodeSelector: kubernetes.io/hostname == "node-1"'),
      },
    },
  ],
  invalid: [
    {
      name: "calico mode: an IPv6 pool, and nodes without an IPv6 address (one finding per group)",
      files: { "topology.yaml": topology(), ...v6Pool() },
      errors: [
        {
          messageId: "calicoNode",
          data: {
            node: "node-2",
            family: 6,
            pool: "v6",
            setting: "IP6=autodetect",
            field: "addressV6 (an IPv6 address in an IPv6 subnet)",
          },
          ...node2,
        },
        {
          messageId: "group",
          data: {
            group: "w-",
            count: 3,
            node: "w-1",
            family: 6,
            why: "calico-node detects one on every node (IP6=autodetect) and exits where it finds none",
            field: "subnetV6 and firstAddressV6",
          },
          ...group,
        },
      ],
    },
    {
      name: "install: operator names the Installation's field",
      files: {
        "netcompile.yaml": cluster("install: operator"),
        "topology.yaml": topology(
          "",
          "\n      subnetV6: rack-1-v6\n      firstAddressV6: fd00:1::100",
        ),
        ...v6Pool(),
      },
      errors: [
        {
          messageId: "calicoNode",
          data: {
            node: "node-2",
            family: 6,
            pool: "v6",
            setting: "Installation nodeAddressAutodetectionV6",
            field: "addressV6 (an IPv6 address in an IPv6 subnet)",
          },
          ...node2,
        },
      ],
    },
    {
      name: "an IPv4 pool and an IPv6-only node",
      files: { "topology.yaml": v6Only, ...v6Pool() },
      errors: ["node-a", "node-b"].map((node, i) => ({
        messageId: "calicoNode",
        data: {
          node,
          family: 4,
          pool: "pool-1",
          setting: "IP=autodetect",
          field: "an IPv4 address",
        },
        file: "topology.yaml",
        line: 11 + 2 * i,
        column: 16,
      })),
    },
    {
      name: "no pool at all: calico-node still detects IPv4",
      files: { "topology.yaml": v6Only, "pools.yaml": null },
      errors: ["node-a", "node-b"].map((node, i) => ({
        messageId: "calicoNodeNoPool",
        data: { node, setting: "IP=autodetect" },
        file: "topology.yaml",
        line: 11 + 2 * i,
        column: 16,
      })),
    },
    {
      name: "static mode: an IPv6 pool selects nodes without an IPv6 address",
      files: { "netcompile.yaml": staticMode, "topology.yaml": staticTopology, ...v6Pool() },
      errors: [
        {
          messageId: "pool",
          data: {
            node: "node-2",
            family: 6,
            pool: "v6",
            field: "addressV6 (an IPv6 address in an IPv6 subnet)",
          },
          ...below(node2),
        },
        {
          messageId: "group",
          data: {
            group: "w-",
            count: 3,
            node: "w-1",
            family: 6,
            why: 'IPPool "v6" (IPv6) selects them, and no other node routes to their IPv6 workloads',
            field: "subnetV6 and firstAddressV6",
          },
          ...below(group),
        },
      ],
    },
  ],
});
