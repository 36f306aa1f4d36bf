import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./firewall-requirements.js";

const cluster = (provider: string, ...spec: string[]) =>
  `${BASE_REPO["netcompile.yaml"]!.replace("bare-metal", provider)}${spec.map((l) => `  ${l}\n`).join("")}`;
const pools = (...docs: string[][]) => ({
  "pools.yaml": docs.map(([name, ...spec]) => poolYaml(name!, ...spec)).join("---\n"),
});
/** A pool's first spec line after cidr is line 7 (the second pool's, 16): value at column 13/14. */
const at = (line: number, column: number, file = "pools.yaml") => ({ file, line, column });
const ipipData = (pool: string, firewall = "security groups") => ({
  pool,
  firewall,
  admit: "IP protocol 4",
});
const bgpData = (firewall = "security groups") => ({ firewall, admit: "TCP 179" });

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "bare metal and other providers: no fabric firewall netcompile knows of (explain still says)",
      files: { "netcompile.yaml": cluster("bare-metal") },
    },
    { name: "provider other", files: { "netcompile.yaml": cluster("other") } },
    {
      name: "a static host runs no BIRD, and a pool that does not encapsulate needs no tunnel",
      files: {
        "netcompile.yaml": cluster("aws", "hostNetwork: { mode: static }"),
        "topology.yaml": BASE_REPO["topology.yaml"]!.replace(
          /cidr: (10\.0\.\d)\.0\/24/g,
          "cidr: $1.0/24\n      gateway: $1.1",
        ),
        ...pools(["p", "cidr: 10.244.0.0/16", "ipipMode: Never"]),
      },
    },
  ],
  invalid: [
    {
      name: "IP-in-IP: protocol 4 at the first pool that uses it, and BGP at the pool that needs BIRD",
      files: {
        "netcompile.yaml": cluster("aws"),
        ...pools(
          ["a", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet"],
          ["b", "cidr: 10.245.0.0/16", "ipipMode: Always"],
        ),
      },
      errors: [
        { messageId: "ipip", data: ipipData("a", "security groups"), ...at(7, 13) },
        { messageId: "bgp", data: bgpData("security groups"), ...at(7, 13) },
      ],
    },
    {
      name: "VXLAN on its configured port, once; no BGP with the vxlan backend",
      files: {
        "netcompile.yaml": cluster("gcp", "networking: { vxlanPort: 4790 }"),
        ...pools(
          ["a", "cidr: 10.244.0.0/16", "vxlanMode: Always"],
          ["b", "cidr: 10.245.0.0/16", "vxlanMode: CrossSubnet"],
        ),
      },
      errors: [
        {
          messageId: "vxlan",
          data: { pool: "a", firewall: "VPC firewall rules", admit: "UDP 4790" },
          ...at(7, 14),
        },
      ],
    },
    {
      name: "a written backend bird: BGP at the backend, even for VXLAN pools",
      files: {
        "netcompile.yaml": cluster("openstack", "networking:", "  backend: bird"),
        ...pools(["a", "cidr: 10.244.0.0/16", "vxlanMode: Always"]),
      },
      errors: [
        {
          messageId: "vxlan",
          data: { pool: "a", firewall: "security groups", admit: "UDP 4789" },
          ...at(7, 14),
        },
        { messageId: "bgp", data: bgpData(), ...at(8, 14, "netcompile.yaml") },
      ],
    },
    {
      name: "both tunnels, each at its first pool; a disabled pool's tunnel counts",
      files: {
        "netcompile.yaml": cluster("openstack", "networking:", "  backend: vxlan"),
        ...pools(
          ["old", "cidr: 10.243.0.0/16", "ipipMode: Always", "disabled: true"],
          ["new", "cidr: 10.244.0.0/16", "vxlanMode: Always"],
        ),
      },
      errors: [
        { messageId: "ipip", data: ipipData("old"), ...at(7, 13) },
        {
          messageId: "vxlan",
          data: { pool: "new", firewall: "security groups", admit: "UDP 4789" },
          ...at(16, 14),
        },
      ],
    },
    {
      name: "WireGuard for IPv4: UDP 51820 at networking.wireguard",
      files: {
        "netcompile.yaml": cluster(
          "aws",
          "networking:",
          "  backend: vxlan",
          "  wireguard:",
          "    ipv4: true",
        ),
        ...pools(["a", "cidr: 10.244.0.0/16", "vxlanMode: Always"]),
      },
      errors: [
        {
          messageId: "vxlan",
          data: { pool: "a", firewall: "security groups", admit: "UDP 4789" },
          ...at(7, 14),
        },
        {
          messageId: "wireguard",
          data: { firewall: "security groups", admit: "UDP 51820" },
          ...at(10, 7, "netcompile.yaml"),
        },
      ],
    },
    {
      name: "WireGuard for both families: UDP 51820 and 51821",
      files: {
        "netcompile.yaml": cluster(
          "azure",
          "networking:",
          "  backend: vxlan",
          "  wireguard: { ipv4: true, ipv6: true }",
        ),
        ...pools(["a", "cidr: 10.244.0.0/16", "vxlanMode: Always"]),
      },
      errors: [
        {
          messageId: "vxlan",
          data: { pool: "a", firewall: "network security groups", admit: "UDP 4789" },
          ...at(7, 14),
        },
        {
          messageId: "wireguard",
          data: { firewall: "network security groups", admit: "UDP 51820 and UDP 51821" },
          ...at(9, 16, "netcompile.yaml"),
        },
      ],
    },
  ],
});
