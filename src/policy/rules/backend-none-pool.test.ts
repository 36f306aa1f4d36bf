import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./backend-none-pool.js";

const cluster = (backend: string) =>
  `${BASE_REPO["netcompile.yaml"]}  networking:\n    backend: ${backend}\n`;
const on = (backend: string, ...spec: string[]) => ({
  "netcompile.yaml": cluster(backend),
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});
const onOperator = (...spec: string[]) => ({
  "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]}  install: operator\n  networking:\n    backend: none\n`,
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "VXLAN with backend vxlan", files: on("vxlan", "vxlanMode: Always") },
    { name: "IP-in-IP with backend bird", files: on("bird", "ipipMode: Always") },
    {
      name: "backend none and no pool at all",
      files: { "netcompile.yaml": cluster("none"), "pools.yaml": null },
    },
    {
      name: "backend none with a LoadBalancer pool only",
      files: on("none", "allowedUses: [LoadBalancer]"),
    },
    {
      name: "IP-in-IP with backend none and install: operator: operator-pool-unsupported reports it",
      files: onOperator("ipipMode: Always"),
    },
    {
      name: "an unencapsulated pool with backend none and install: operator: the same",
      files: onOperator(),
    },
  ],
  invalid: [
    {
      name: "VXLAN with backend none and install: operator (the operator accepts it, no VTEP either)",
      files: onOperator("vxlanMode: CrossSubnet"),
      errors: [
        { messageId: "vxlan", data: { pool: "p" }, file: "pools.yaml", line: 7, column: 14 },
      ],
    },
    {
      name: "VXLAN with backend none: no node address, no VTEP",
      files: on("none", "vxlanMode: CrossSubnet"),
      errors: [
        {
          messageId: "vxlan",
          data: { pool: "p" },
          file: "pools.yaml",
          line: 7,
          column: 14,
        },
      ],
    },
    {
      name: "IP-in-IP with backend none",
      files: on("none", "ipipMode: Always"),
      errors: [
        {
          messageId: "ipip",
          data: { pool: "p" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "an unencapsulated pool with backend none",
      files: on("none", "natOutgoing: true"),
      errors: [
        {
          messageId: "routed",
          data: { pool: "p" },
          file: "pools.yaml",
          line: 5,
          column: 1,
        },
      ],
    },
    {
      name: "a disabled VXLAN pool still routes its workloads",
      files: on("none", "vxlanMode: Always", "disabled: true"),
      errors: [
        {
          messageId: "vxlan",
          data: { pool: "p" },
          file: "pools.yaml",
          line: 7,
          column: 14,
        },
      ],
    },
  ],
});
