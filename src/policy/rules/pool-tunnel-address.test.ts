import { describe, it } from "vitest";
import { oneSubnetTopology, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-tunnel-address.js";

const pools = (...docs: string[]) => ({ "pools.yaml": docs.join("---\n") });
const at = (line: number, column: number) => ({ file: "pools.yaml", line, column });
const BOTH = "2 nodes (node-1, node-2)";

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IP-in-IP with the default uses (Workload and Tunnel)", files: {} },
    {
      name: "VXLAN with the default uses",
      files: pools(poolYaml("p", "cidr: 10.244.0.0/16", "vxlanMode: Always")),
    },
    {
      name: "a Workload-only VXLAN pool beside a VXLAN pool that gives every node its tunnel address",
      files: pools(
        poolYaml("p", "cidr: 10.244.0.0/16", "vxlanMode: Always", "allowedUses: [Workload]"),
        poolYaml("t", "cidr: 10.245.0.0/24", "vxlanMode: Always", "allowedUses: [Tunnel]"),
      ),
    },
    {
      name: "a Workload-only CrossSubnet pool whose nodes share one subnet: nothing is encapsulated",
      files: {
        ...oneSubnetTopology(
          "  nodes:\n    - name: node-1\n      address: 10.0.1.10\n    - name: node-2\n      address: 10.0.1.11\n",
        ),
        ...pools(
          poolYaml("p", "cidr: 10.244.0.0/16", "vxlanMode: CrossSubnet", "allowedUses: [Workload]"),
        ),
      },
    },
    {
      name: "a disabled Workload-only VXLAN pool",
      files: pools(
        poolYaml(
          "old",
          "cidr: 10.246.0.0/16",
          "vxlanMode: Always",
          "allowedUses: [Workload]",
          "disabled: true",
        ),
        poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet"),
      ),
    },
  ],
  invalid: [
    {
      name: "a VXLAN pool restricted to [Workload] with no other tunnel pool: no VTEP anywhere",
      files: pools(
        poolYaml("p", "cidr: 10.244.0.0/16", "vxlanMode: Always", "allowedUses: [Workload]"),
      ),
      errors: [
        {
          messageId: "vxlan",
          data: { pool: "p", field: "vxlanMode", mode: "Always", nodes: BOTH, version: 4 },
          ...at(7, 14),
        },
      ],
    },
    {
      name: "an IP-in-IP CrossSubnet pool restricted to [Workload], nodes in two subnets",
      files: pools(
        poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet", "allowedUses: [Workload]"),
      ),
      errors: [
        {
          messageId: "ipip",
          data: { pool: "p", field: "ipipMode", mode: "CrossSubnet", nodes: BOTH },
          ...at(7, 13),
        },
      ],
    },
    {
      name: "a VXLAN pool for node-1 only: node-2's workloads reach it, but node-2 gets no VXLAN address",
      files: pools(
        poolYaml("p", "cidr: 192.168.0.0/16", "ipipMode: CrossSubnet"),
        poolYaml(
          "v",
          "cidr: 10.244.0.0/16",
          "vxlanMode: Always",
          'nodeSelector: kubernetes.io/hostname == "node-1"',
        ),
      ),
      errors: [
        {
          messageId: "vxlan",
          data: {
            pool: "v",
            field: "vxlanMode",
            mode: "Always",
            nodes: "1 node (node-2)",
            version: 4,
          },
          ...at(15, 14),
        },
      ],
    },
    {
      name: "IPv6 VXLAN restricted to [Workload]",
      files: pools(
        poolYaml("p", "cidr: 192.168.0.0/16", "ipipMode: CrossSubnet"),
        poolYaml("v6", "cidr: fd00:10::/64", "vxlanMode: CrossSubnet", "allowedUses: [Workload]"),
      ),
      errors: [
        {
          messageId: "vxlan",
          data: { pool: "v6", field: "vxlanMode", mode: "CrossSubnet", nodes: BOTH, version: 6 },
          ...at(15, 14),
        },
      ],
    },
  ],
});
