import { describe, it } from "vitest";
import { poolYaml, RuleTester, v1PoolYaml } from "../tester.js";
import { rule } from "./pool-mode-empty.js";

const pool = (...spec: string[]) => ({
  "pools.yaml": poolYaml("p", "cidr: 192.168.0.0/16", "natOutgoing: true", ...spec),
});
const v1 = (...spec: string[]) => ({
  "pools.yaml": v1PoolYaml("p", "cidr: 192.168.0.0/16", ...spec),
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "modes left out", files: pool() },
    { name: "modes written Never", files: pool("ipipMode: Never", "vxlanMode: Never") },
    {
      name: "a v1 object's ipip field decides its ipipMode",
      files: v1('ipipMode: ""', "ipip: {enabled: true, mode: cross-subnet}"),
    },
  ],
  invalid: [
    {
      name: 'ipipMode "" and vxlanMode "" (Calico\'s own e2e pool)',
      files: pool('ipipMode: ""', 'vxlanMode: ""'),
      errors: [
        {
          messageId: "empty",
          data: { pool: "p", field: "ipipMode" },
          file: "pools.yaml",
          line: 8,
          column: 13,
        },
        {
          messageId: "empty",
          data: { pool: "p", field: "vxlanMode" },
          file: "pools.yaml",
          line: 9,
          column: 14,
        },
      ],
    },
    {
      name: 'vxlanMode "" beside an IP-in-IP mode',
      files: pool("ipipMode: CrossSubnet", "vxlanMode: ''"),
      errors: [
        {
          messageId: "empty",
          data: { pool: "p", field: "vxlanMode" },
          file: "pools.yaml",
          line: 9,
          column: 14,
        },
      ],
    },
  ],
});
