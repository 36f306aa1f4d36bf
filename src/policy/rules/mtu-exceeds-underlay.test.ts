import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./mtu-exceeds-underlay.js";

/** networking.podMTU is line 8 of netcompile.yaml, its value at column 13. */
const cluster = (...networking: string[]) =>
  `${BASE_REPO["netcompile.yaml"]}  networking:\n${networking.map((l) => `    ${l}\n`).join("")}`;
const at = { file: "netcompile.yaml", line: 8, column: 13 };
const vxlan = poolYaml("p", "cidr: 10.244.0.0/16", "vxlanMode: Always");
const smallRack = BASE_REPO["topology.yaml"]!.replace(
  "      cidr: 10.0.2.0/24\n",
  "      cidr: 10.0.2.0/24\n      mtu: 1400\n",
);
const byDefault = { underlay: 1500, where: "the default for provider bare-metal: Ethernet's MTU" };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "no podMTU: it is derived", files: {} },
    { name: "IP-in-IP: 1480 fits 1500", files: { "netcompile.yaml": cluster("podMTU: 1480") } },
    {
      name: "VXLAN: 1450 fits 1500",
      files: { "netcompile.yaml": cluster("podMTU: 1450"), "pools.yaml": vxlan },
    },
    {
      name: "IPv6 VXLAN: 1430 fits 1500",
      files: {
        "netcompile.yaml": cluster("podMTU: 1430"),
        "pools.yaml": poolYaml("p", "cidr: fd00::/48", "vxlanMode: CrossSubnet"),
      },
    },
    {
      name: "AWS: 8981 fits the 9001 of one VPC",
      files: { "netcompile.yaml": cluster("podMTU: 8981").replace("bare-metal", "aws") },
    },
    {
      name: "VXLAN with WireGuard: 1440 fits 1500 less WireGuard's 60 bytes",
      files: {
        "netcompile.yaml": cluster("podMTU: 1440", "wireguard: { ipv4: true }"),
        "pools.yaml": vxlan,
      },
    },
    {
      name: "jumbo frames",
      files: { "netcompile.yaml": cluster("podMTU: 8981", "underlayMTU: 9001") },
    },
  ],
  invalid: [
    {
      name: "a disabled VXLAN pool adds its overhead: Felix keeps VXLAN on for its workloads",
      files: {
        "netcompile.yaml": cluster("podMTU: 1480"),
        "old.yaml": poolYaml("old", "cidr: 10.250.0.0/16", "vxlanMode: Always", "disabled: true"),
      },
      errors: [
        {
          messageId: "withEncapsulation",
          data: { podMTU: 1480, ...byDefault, encapsulation: "VXLAN", overhead: 50, max: 1450 },
          ...at,
        },
      ],
    },
    {
      name: "VXLAN with WireGuard: 1450 fits VXLAN but not WireGuard's 60 bytes",
      files: {
        "netcompile.yaml": cluster("podMTU: 1450", "wireguard: { ipv4: true }"),
        "pools.yaml": vxlan,
      },
      errors: [
        {
          messageId: "withEncapsulation",
          data: { podMTU: 1450, ...byDefault, encapsulation: "WireGuard", overhead: 60, max: 1440 },
          ...at,
        },
      ],
    },
    {
      name: "IP-in-IP: 1481 does not fit 1500",
      files: { "netcompile.yaml": cluster("podMTU: 1481") },
      errors: [
        {
          messageId: "withEncapsulation",
          data: { podMTU: 1481, ...byDefault, encapsulation: "IP-in-IP", overhead: 20, max: 1480 },
          ...at,
        },
      ],
    },
    {
      name: "VXLAN: 1451 does not fit 1500",
      files: { "netcompile.yaml": cluster("podMTU: 1451"), "pools.yaml": vxlan },
      errors: [
        {
          messageId: "withEncapsulation",
          data: { podMTU: 1451, ...byDefault, encapsulation: "VXLAN", overhead: 50, max: 1450 },
          ...at,
        },
      ],
    },
    {
      name: "IPv4 IP-in-IP and IPv6 VXLAN: the larger overhead counts",
      files: {
        "netcompile.yaml": cluster("podMTU: 1431"),
        "v6.yaml": poolYaml("v6", "cidr: fd00::/48", "vxlanMode: CrossSubnet"),
      },
      errors: [
        {
          messageId: "withEncapsulation",
          data: {
            podMTU: 1431,
            ...byDefault,
            encapsulation: "IPv6 VXLAN",
            overhead: 70,
            max: 1430,
          },
          ...at,
        },
      ],
    },
    {
      name: "the smallest subnet MTU counts",
      files: { "netcompile.yaml": cluster("podMTU: 1400"), "topology.yaml": smallRack },
      errors: [
        {
          messageId: "withEncapsulation",
          data: {
            podMTU: 1400,
            underlay: 1400,
            where: 'subnet "rack-2"',
            encapsulation: "IP-in-IP",
            overhead: 20,
            max: 1380,
          },
          ...at,
        },
      ],
    },
    {
      name: "the Cluster's underlayMTU",
      files: {
        "netcompile.yaml": cluster("podMTU: 1500", "underlayMTU: 1450"),
        "pools.yaml": vxlan,
      },
      errors: [
        {
          messageId: "withEncapsulation",
          data: {
            podMTU: 1500,
            underlay: 1450,
            where: "networking.underlayMTU",
            encapsulation: "VXLAN",
            overhead: 50,
            max: 1400,
          },
          ...at,
        },
      ],
    },
    {
      name: "GCP: the provider's 1460, when nothing declares an MTU",
      files: {
        "netcompile.yaml": cluster("podMTU: 1450").replace("bare-metal", "gcp"),
      },
      errors: [
        {
          messageId: "withEncapsulation",
          data: {
            podMTU: 1450,
            underlay: 1460,
            where: "the default for provider gcp: the default MTU of a Google Cloud VPC network",
            encapsulation: "IP-in-IP",
            overhead: 20,
            max: 1440,
          },
          ...at,
        },
      ],
    },
    {
      name: "AWS: jumbo frames inside a VPC, 1500 between VPCs",
      files: {
        "netcompile.yaml": cluster("podMTU: 8981").replace("bare-metal", "aws"),
        "topology.yaml": BASE_REPO["topology.yaml"]!.replace(
          "      cidr: 10.0.2.0/24\n",
          "      cidr: 10.0.2.0/24\n      vpc: shared\n",
        ),
      },
      errors: [
        {
          messageId: "withEncapsulation",
          data: {
            podMTU: 8981,
            underlay: 1500,
            where: 'AWS\'s limit between subnets "rack-1" and "rack-2", in different VPCs',
            encapsulation: "IP-in-IP",
            overhead: 20,
            max: 1480,
          },
          ...at,
        },
      ],
    },
    {
      name: "no encapsulation: above the underlay itself",
      files: {
        "netcompile.yaml": cluster("podMTU: 1501"),
        "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16"),
      },
      errors: [{ messageId: "withoutEncapsulation", data: { podMTU: 1501, ...byDefault }, ...at }],
    },
  ],
});
