import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-allowed-uses.js";

const pool = (...spec: string[]) => ({
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});
const p = { pool: "p" };
const file = "pools.yaml";

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "Workload and Tunnel", files: pool("allowedUses: [Workload, Tunnel]") },
    { name: "Tunnel alone without a namespaceSelector", files: pool("allowedUses: [Tunnel]") },
    { name: "LoadBalancer alone", files: pool("allowedUses: [LoadBalancer]") },
    {
      name: "LoadBalancer with the explicit defaults",
      files: pool(
        "allowedUses: [LoadBalancer]",
        "nodeSelector: all()",
        "ipipMode: Never",
        "disableBGPExport: false",
      ),
    },
    {
      name: "a namespaceSelector with allowedUses [Workload]",
      files: pool(`namespaceSelector: region == "east"`, "allowedUses: [Workload]"),
    },
    { name: "an empty namespaceSelector is no selector", files: pool('namespaceSelector: ""') },
    {
      name: "disableBGPExport on a workload pool (Calico's e2e spec)",
      files: pool("disableBGPExport: true"),
    },
  ],
  invalid: [
    {
      name: "LoadBalancer with Tunnel (Calico's test)",
      files: pool("allowedUses: [LoadBalancer, Tunnel]"),
      errors: [
        { messageId: "loadBalancerWith", data: { ...p, use: "Tunnel" }, file, line: 7, column: 31 },
      ],
    },
    {
      name: "LoadBalancer with Workload and Tunnel: one finding per entry",
      files: pool("allowedUses:", "  - Workload", "  - LoadBalancer", "  - Tunnel"),
      errors: [
        {
          messageId: "loadBalancerWith",
          data: { ...p, use: "Workload" },
          file,
          line: 8,
          column: 7,
        },
        { messageId: "loadBalancerWith", data: { ...p, use: "Tunnel" }, file, line: 10, column: 7 },
      ],
    },
    {
      name: "LoadBalancer with VXLAN (Calico's test)",
      files: pool("allowedUses: [LoadBalancer]", "vxlanMode: Always"),
      errors: [
        {
          messageId: "loadBalancerEncapsulation",
          data: { ...p, field: "vxlanMode", mode: "Always" },
          file,
          line: 8,
          column: 14,
        },
      ],
    },
    {
      name: "LoadBalancer with IP-in-IP CrossSubnet",
      files: pool("allowedUses: [LoadBalancer]", "ipipMode: CrossSubnet"),
      errors: [
        {
          messageId: "loadBalancerEncapsulation",
          data: { ...p, field: "ipipMode", mode: "CrossSubnet" },
          file,
          line: 8,
          column: 13,
        },
      ],
    },
    {
      name: "LoadBalancer with a nodeSelector other than all() (Calico's test)",
      files: pool("allowedUses: [LoadBalancer]", "nodeSelector: '!all()'"),
      errors: [
        {
          messageId: "loadBalancerNodeSelector",
          data: { ...p, selector: "!all()" },
          file,
          line: 8,
          column: 17,
        },
      ],
    },
    {
      name: "LoadBalancer with a selector equivalent to all() (upstream compares the text)",
      files: pool("allowedUses: [LoadBalancer]", "nodeSelector: all() || has(x)"),
      errors: [
        {
          messageId: "loadBalancerNodeSelector",
          data: { ...p, selector: "all() || has(x)" },
          file,
          line: 8,
          column: 17,
        },
      ],
    },
    {
      name: "LoadBalancer with disableBGPExport (Calico's test; its message says the opposite)",
      files: pool("allowedUses: [LoadBalancer]", "disableBGPExport: true"),
      errors: [{ messageId: "loadBalancerBGPExport", data: p, file, line: 8, column: 21 }],
    },
    {
      name: "Tunnel with a namespaceSelector (Calico's test)",
      files: pool("allowedUses: [Tunnel]", `namespaceSelector: region == "east"`),
      errors: [{ messageId: "tunnelNamespaceSelector", data: p, file, line: 8, column: 22 }],
    },
    {
      name: "Workload and Tunnel with a namespaceSelector (Calico's test)",
      files: pool("allowedUses: [Workload, Tunnel]", `namespaceSelector: region == "east"`),
      errors: [{ messageId: "tunnelNamespaceSelector", data: p, file, line: 8, column: 22 }],
    },
    {
      name: "a namespaceSelector without allowedUses: the default includes Tunnel",
      files: pool(`namespaceSelector: region == "east"`),
      errors: [{ messageId: "defaultTunnelNamespaceSelector", data: p, file, line: 7, column: 22 }],
    },
  ],
});
