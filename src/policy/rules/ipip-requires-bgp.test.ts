import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./ipip-requires-bgp.js";

const cluster = (backend: string) =>
  `${BASE_REPO["netcompile.yaml"]}  networking:\n    backend: ${backend}\n`;
const on = (backend: string, ...spec: string[]) => ({
  "netcompile.yaml": cluster(backend),
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IP-in-IP with bird", files: on("bird", "ipipMode: Always") },
    {
      name: "no backend written: it is derived (bird)",
      files: { "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: Always") },
    },
    { name: "VXLAN with backend vxlan", files: on("vxlan", "vxlanMode: Always") },
    {
      name: "a disabled VXLAN pool with backend vxlan",
      files: on("vxlan", "vxlanMode: Always", "disabled: true"),
    },
    {
      name: "IP-in-IP with backend none: backend-none-pool reports it",
      files: on("none", "ipipMode: Always"),
    },
    {
      name: "an unencapsulated LoadBalancer pool with backend vxlan (no workload routes)",
      files: on("vxlan", "allowedUses: [LoadBalancer]"),
    },
    {
      name: "IP-in-IP with backend vxlan and install: operator: operator-pool-unsupported reports it",
      files: {
        "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]}  install: operator\n  networking:\n    backend: vxlan\n`,
        "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: Always"),
      },
    },
  ],
  invalid: [
    {
      name: "IP-in-IP CrossSubnet with backend vxlan",
      files: on("vxlan", "ipipMode: CrossSubnet"),
      errors: [
        {
          messageId: "ipip",
          data: { pool: "p", backend: "vxlan" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "no encapsulation with backend vxlan",
      files: on("vxlan", "natOutgoing: true"),
      errors: [
        {
          messageId: "unencapsulated",
          data: { pool: "p", backend: "vxlan" },
          file: "pools.yaml",
          line: 5,
          column: 1,
        },
      ],
    },
    {
      name: "a disabled IP-in-IP pool with backend vxlan: its workloads still need BIRD's routes",
      files: on("vxlan", "ipipMode: Always", "disabled: true"),
      errors: [
        {
          messageId: "disabled",
          data: { pool: "p", backend: "vxlan", how: "IP-in-IP" },
          file: "pools.yaml",
          line: 8,
          column: 13,
        },
      ],
    },
    {
      name: "a disabled unencapsulated pool with backend vxlan",
      files: on("vxlan", "disabled: true"),
      errors: [
        {
          messageId: "disabled",
          data: { pool: "p", backend: "vxlan", how: "unencapsulated" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
  ],
});
