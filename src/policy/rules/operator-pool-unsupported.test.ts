import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { OPERATOR_MAX_POOLS, rule } from "./operator-pool-unsupported.js";

const cluster = (install: string, backend?: string) =>
  `${BASE_REPO["netcompile.yaml"]}  install: ${install}\n` +
  (backend ? `  networking:\n    backend: ${backend}\n` : "");
const on = (install: string, backend: string | undefined, ...spec: string[]) => ({
  "netcompile.yaml": cluster(install, backend),
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});
/** `count` /24 pools of 172.16.0.0/12, none overlapping. */
const pools = (count: number) => ({
  "netcompile.yaml": cluster("operator"),
  "pools.yaml": Array.from({ length: count }, (_, i) =>
    poolYaml(`p${i}`, `cidr: 172.16.${i}.0/24`, "vxlanMode: CrossSubnet"),
  ).join("---\n"),
});
const p = { pool: "p" };
const file = "pools.yaml";

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "a namespaceSelector with install: manifest (an IPPool object carries it)",
      files: on("manifest", undefined, "namespaceSelector: team == 'a'", "allowedUses: [Workload]"),
    },
    {
      name: "every field the Installation carries",
      files: on(
        "operator",
        undefined,
        "vxlanMode: CrossSubnet",
        "natOutgoing: true",
        "blockSize: 24",
        "disabled: true",
        "disableBGPExport: true",
        "nodeSelector: zone == 'a'",
        "allowedUses: [Workload]",
        "assignmentMode: Manual",
      ),
    },
    {
      name: "an empty namespaceSelector is no selector",
      files: on("operator", undefined, 'namespaceSelector: ""'),
    },
    { name: `exactly ${OPERATOR_MAX_POOLS} pools`, files: pools(OPERATOR_MAX_POOLS) },
    {
      name: "a disabled pool smaller than a block with install: manifest (Calico accepts it)",
      files: {
        "netcompile.yaml": cluster("manifest"),
        "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/27", "disabled: true"),
      },
    },
    {
      name: "an enabled pool smaller than a block is pool-smaller-than-block's",
      files: {
        "netcompile.yaml": cluster("operator"),
        "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/27"),
      },
    },
    {
      name: "a disabled IP-in-IP pool with backend bird",
      files: on("operator", "bird", "ipipMode: Always", "disabled: true"),
    },
    {
      name: "a disabled VXLAN pool with backend vxlan",
      files: on("operator", "vxlan", "vxlanMode: Always", "disabled: true"),
    },
    {
      name: "a disabled IP-in-IP pool with backend vxlan and install: manifest",
      files: on("manifest", "vxlan", "ipipMode: Always", "disabled: true"),
    },
  ],
  invalid: [
    {
      name: "an enabled IP-in-IP workload pool with backend vxlan (ipip-requires-bgp leaves it here)",
      files: on("operator", "vxlan", "ipipMode: Always"),
      errors: [
        {
          messageId: "withoutBGP",
          data: { ...p, what: "an IP-in-IP pool for Workload, Tunnel", backend: "vxlan" },
          file,
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "a disabled IP-in-IP workload pool with backend vxlan",
      files: on("operator", "vxlan", "ipipMode: Always", "disabled: true"),
      errors: [
        {
          messageId: "withoutBGP",
          data: { ...p, what: "a disabled IP-in-IP pool", backend: "vxlan" },
          file,
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "an unencapsulated workload pool with backend none (backend-none-pool leaves it here)",
      files: on("operator", "none", "natOutgoing: true"),
      errors: [
        {
          messageId: "withoutBGP",
          data: { ...p, what: "an unencapsulated pool for Workload, Tunnel", backend: "none" },
          file,
          line: 5,
          column: 1,
        },
      ],
    },
    {
      name: "a namespaceSelector (Calico accepts it with allowedUses [Workload])",
      files: on("operator", undefined, "namespaceSelector: team == 'a'", "allowedUses: [Workload]"),
      errors: [{ messageId: "namespaceSelector", data: p, file, line: 7, column: 22 }],
    },
    {
      name: `${OPERATOR_MAX_POOLS + 1} pools`,
      files: pools(OPERATOR_MAX_POOLS + 1),
      errors: [
        {
          messageId: "tooManyPools",
          data: { limit: OPERATOR_MAX_POOLS, count: OPERATOR_MAX_POOLS + 1 },
          file: "netcompile.yaml",
          line: 7,
          column: 12,
        },
      ],
    },
    {
      name: "a disabled pool smaller than a block",
      files: {
        "netcompile.yaml": cluster("operator"),
        "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/27", "disabled: true"),
      },
      errors: [
        {
          messageId: "disabledSmallerThanBlock",
          data: { ...p, cidr: "10.244.0.0/27", blockSize: 26, prefix: 27 },
          file,
          line: 6,
          column: 9,
        },
      ],
    },
    {
      name: "a disabled IP-in-IP pool for tunnel addresses only, with backend vxlan",
      files: on("operator", "vxlan", "ipipMode: Always", "disabled: true", "allowedUses: [Tunnel]"),
      errors: [
        {
          messageId: "withoutBGP",
          data: { ...p, what: "a disabled IP-in-IP pool", backend: "vxlan" },
          file,
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "an unencapsulated LoadBalancer pool with backend none",
      files: on("operator", "none", "allowedUses: [LoadBalancer]"),
      errors: [
        {
          messageId: "withoutBGP",
          data: { ...p, what: "an unencapsulated pool for LoadBalancer", backend: "none" },
          file,
          line: 5,
          column: 1,
        },
      ],
    },
  ],
});
