import { describe, it } from "vitest";
import { kubeNode, livePool, LiveRuleTester } from "../live-rule-tester.js";
import { rule } from "./live-tunnel-address-missing.js";

/** node-1's and node-2's names in the base topology.yaml: lines 12 and 14, column 13. */
const node1 = { file: "topology.yaml", line: 12, column: 13 };
const node2 = { file: "topology.yaml", line: 14, column: 13 };
/** `annotations:` in a kubeNode file: line 4, column 3. */
const annotations = (node: string, annotation: string) => ({
  file: `live/${node}.yaml`,
  line: 4,
  column: 3,
  message: `Node ${node}: no projectcalico.org/${annotation}`,
});
/** A livePool's spec line `index` (0-based) holds the mode ("  ipipMode: " or "  vxlanMode: ", then the value). */
const mode = (file: string, pool: string, index: number, what: string) => ({
  file: `live/${file}`,
  line: 6 + index,
  column: what.indexOf(" ") + 5,
  message: `IPPool ${pool}: ${what}`,
});
const vxlan = livePool("pool-1", "cidr: 192.168.0.0/16", "vxlanMode: Always");
const vxlanV6 = livePool("pool-6", "cidr: fd00:10:244::/56", "vxlanMode: CrossSubnet");

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "every node has its IP-in-IP tunnel address", live: {} },
    {
      name: "a pool that does not allow Tunnel use asks for none",
      live: {
        "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24" }),
        "ippools.yaml": livePool(
          "pool-1",
          "allowedUses: [Workload]",
          "cidr: 192.168.0.0/16",
          "ipipMode: CrossSubnet",
        ),
      },
    },
    {
      name: "a disabled pool asks for none",
      live: {
        "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24" }),
        "ippools.yaml": livePool(
          "pool-1",
          "cidr: 192.168.0.0/16",
          "disabled: true",
          "ipipMode: CrossSubnet",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "no IP-in-IP tunnel address",
      live: { "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24" }) },
      errors: [
        {
          messageId: "ipip",
          data: { who: 'node "node-1"', pool: "pool-1" },
          ...node1,
          related: [
            annotations("node-1", "IPv4IPIPTunnelAddr"),
            mode("ippools.yaml", "pool-1", 3, "ipipMode CrossSubnet"),
          ],
        },
      ],
    },
    {
      name: "no VXLAN tunnel address for a VXLAN pool",
      live: {
        "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24", vxlan: "192.168.10.1" }),
        "ippools.yaml": vxlan,
      },
      errors: [
        {
          messageId: "vxlan",
          data: { who: 'node "node-2"', pool: "pool-1" },
          ...node2,
          related: [
            annotations("node-2", "IPv4VXLANTunnelAddr"),
            mode("ippools.yaml", "pool-1", 1, "vxlanMode Always"),
          ],
        },
      ],
    },
    {
      name: "no IPv6 VXLAN tunnel address for an IPv6 VXLAN pool",
      live: {
        "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24", ipip: "192.168.10.1" }),
        "node-2.yaml": kubeNode("node-2", {
          ipv4: "10.0.2.10/24",
          ipip: "192.168.20.1",
          vxlanV6: "fd00:10:244::1",
        }),
        "ippools6.yaml": vxlanV6,
      },
      errors: [
        {
          messageId: "vxlanV6",
          data: { who: 'node "node-1"', pool: "pool-6" },
          ...node1,
          related: [
            annotations("node-1", "IPv6VXLANTunnelAddr"),
            mode("ippools6.yaml", "pool-6", 1, "vxlanMode CrossSubnet"),
          ],
        },
      ],
    },
  ],
});
