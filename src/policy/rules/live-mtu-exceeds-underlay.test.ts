import { describe, it } from "vitest";
import { calicoConfig, LiveRuleTester, providerAt } from "../live-rule-tester.js";
import { clusterOn } from "../tester.js";
import { rule } from "./live-mtu-exceeds-underlay.js";

const cluster = (networking: string) => clusterOn("bare-metal", networking);
const veth = (value: string) => ({
  file: "live/calico-config.yaml",
  line: 8,
  column: 14,
  message: `ConfigMap calico-config: veth_mtu ${value}`,
});

const DUAL_STACK = {
  "topology.yaml": [
    "apiVersion: netcompile.dev/v1alpha1",
    "kind: Topology",
    "metadata:",
    "  name: lab",
    "spec:",
    "  subnets:",
    "    - {name: rack-1, cidr: 10.0.1.0/24, mtu: 9000}",
    "    - {name: rack-1-v6, cidr: 'fd00:1::/64', mtu: 1500}",
    "  nodes:",
    "    - {name: node-1, address: 10.0.1.10, addressV6: 'fd00:1::10'}",
    "    - {name: node-2, address: 10.0.1.11, addressV6: 'fd00:1::11'}",
    "",
  ].join("\n"),
  "pools.yaml": [
    "apiVersion: projectcalico.org/v3",
    "kind: IPPool",
    "metadata:",
    "  name: pool-v4",
    "spec:",
    "  cidr: 192.168.0.0/16",
    "  vxlanMode: Always",
    "---",
    "apiVersion: projectcalico.org/v3",
    "kind: IPPool",
    "metadata:",
    "  name: pool-v6",
    "spec:",
    "  cidr: fd00:100::/48",
    "",
  ].join("\n"),
};

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "no calico-config in the snapshot", live: {} },
    {
      name: "veth_mtu 0: Felix detects the MTU",
      live: { "calico-config.yaml": calicoConfig("0") },
    },
    { name: "1480 fits 1500 with IP-in-IP", live: { "calico-config.yaml": calicoConfig("1480") } },
    { name: "smaller is another rule's", live: { "calico-config.yaml": calicoConfig("1400") } },
    {
      name: "dual-stack: 1500 fits IPv6 pods without a tunnel and IPv4 VXLAN over 9000",
      files: DUAL_STACK,
      live: { "calico-config.yaml": calicoConfig("1500", "vxlan") },
    },
  ],
  invalid: [
    {
      name: "1500 with IP-in-IP over a 1500 underlay",
      live: { "calico-config.yaml": calicoConfig("1500") },
      errors: [
        {
          messageId: "exceeds",
          data: {
            live: 1500,
            underlay: 1500,
            where: "the default for provider bare-metal: Ethernet's MTU",
            encapsulation: "IP-in-IP",
            overhead: 20,
            max: 1480,
          },
          ...providerAt("bare-metal"),
          related: [veth("1500")],
        },
      ],
    },
    {
      name: "the underlay MTU as written",
      files: cluster("    underlayMTU: 1450\n"),
      live: { "calico-config.yaml": calicoConfig("1440") },
      errors: [
        {
          messageId: "exceeds",
          data: {
            live: 1440,
            underlay: 1450,
            where: "networking.underlayMTU",
            encapsulation: "IP-in-IP",
            overhead: 20,
            max: 1430,
          },
          file: "netcompile.yaml",
          line: 8,
          column: 18,
          related: [veth("1440")],
        },
      ],
    },
    {
      // Nothing declares an MTU: GCP's 1460 (providers.ts), which a 1480 from Ethernet's 1500 overruns.
      name: "the provider's MTU: GCP's 1460",
      files: clusterOn("gcp"),
      live: { "calico-config.yaml": calicoConfig("1480") },
      errors: [
        {
          messageId: "exceeds",
          data: {
            live: 1480,
            underlay: 1460,
            where: "the default for provider gcp: the default MTU of a Google Cloud VPC network",
            encapsulation: "IP-in-IP",
            overhead: 20,
            max: 1440,
          },
          ...providerAt("gcp"),
          related: [veth("1480")],
        },
      ],
    },
    {
      // WireGuard's 60 bytes outweigh IP-in-IP's 20: Felix's pod MTU counts every tunnel it turns on.
      name: "1450 with WireGuard on: 1440 is the most",
      files: cluster("    wireguard:\n      ipv4: true\n"),
      live: { "calico-config.yaml": calicoConfig("1450") },
      errors: [
        {
          messageId: "exceeds",
          data: {
            live: 1450,
            underlay: 1500,
            where: "the default for provider bare-metal: Ethernet's MTU",
            encapsulation: "WireGuard",
            overhead: 60,
            max: 1440,
          },
          ...providerAt("bare-metal"),
          related: [veth("1450")],
        },
      ],
    },
    {
      // IPv6 unencapsulated over 1500, IPv4 VXLAN over 9000: each family its own budget, and the
      // IPv6 family's 1500 (no header) limits; one figure for both (1500 less VXLAN's 50) would not.
      name: "dual-stack: 1501 over the IPv6 family's 1500, which carries pods without a tunnel",
      files: DUAL_STACK,
      live: { "calico-config.yaml": calicoConfig("1501", "vxlan") },
      errors: [
        {
          messageId: "exceeds",
          data: {
            live: 1501,
            underlay: 1500,
            where: 'subnet "rack-1-v6"',
            encapsulation: "no encapsulation",
            overhead: 0,
            max: 1500,
          },
          file: "topology.yaml",
          line: 8,
          column: 51,
          endLine: 8,
          endColumn: 55,
          related: [veth("1501")],
        },
      ],
    },
  ],
});
