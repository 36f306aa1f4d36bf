import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-encapsulation-exclusive.js";

const pool = (ipipMode: string, vxlanMode: string) => ({
  "pools.yaml": poolYaml(
    "p",
    "cidr: 10.244.0.0/16",
    `ipipMode: ${ipipMode}`,
    `vxlanMode: ${vxlanMode}`,
  ),
});
/** vxlanMode's value: line 8, column 14. */
const at = { file: "pools.yaml", line: 8, column: 14 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IP-in-IP only", files: pool("Always", "Never") },
    { name: "VXLAN CrossSubnet only", files: pool("Never", "CrossSubnet") },
    { name: "neither", files: pool("Never", "Never") },
    { name: "both left out", files: { "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16") } },
  ],
  invalid: [
    {
      name: "both Always",
      files: pool("Always", "Always"),
      errors: [
        { messageId: "both", data: { pool: "p", ipipMode: "Always", vxlanMode: "Always" }, ...at },
      ],
    },
    {
      name: "both CrossSubnet",
      files: pool("CrossSubnet", "CrossSubnet"),
      errors: [
        {
          messageId: "both",
          data: { pool: "p", ipipMode: "CrossSubnet", vxlanMode: "CrossSubnet" },
          ...at,
        },
      ],
    },
    {
      name: "IP-in-IP Always with VXLAN CrossSubnet",
      files: pool("Always", "CrossSubnet"),
      errors: [
        {
          messageId: "both",
          data: { pool: "p", ipipMode: "Always", vxlanMode: "CrossSubnet" },
          ...at,
        },
      ],
    },
  ],
});
