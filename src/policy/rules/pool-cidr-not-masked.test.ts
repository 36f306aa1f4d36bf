import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-cidr-not-masked.js";

const pool = (cidr: string) => ({ "pools.yaml": poolYaml("p", `cidr: ${cidr}`) });
const at = { file: "pools.yaml", line: 6, column: 9 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IPv4 network", files: pool("10.0.0.0/24") },
    { name: "the upper half of a /24 as a /25", files: pool("10.0.0.128/25") },
    { name: "IPv6 network", files: pool("aa:bb::/120") },
    { name: "IPv6 written long-hand is still masked", files: pool("aabb:aabb::0000/122") },
    { name: "a /32 has no host bits", files: pool("10.9.9.9/32") },
  ],
  invalid: [
    {
      name: "IPv4 address with host bits",
      files: pool("10.0.0.5/24"),
      errors: [
        {
          messageId: "notMasked",
          data: { pool: "p", cidr: "10.0.0.5/24", masked: "10.0.0.0/24" },
          ...at,
        },
      ],
    },
    {
      name: "one bit below the prefix",
      files: pool("10.0.0.128/24"),
      errors: [
        {
          messageId: "notMasked",
          data: { pool: "p", cidr: "10.0.0.128/24", masked: "10.0.0.0/24" },
          ...at,
        },
      ],
    },
    {
      name: "IPv6 with host bits (Calico's e2e test)",
      files: pool("aa:bb::cc/120"),
      errors: [
        {
          messageId: "notMasked",
          data: { pool: "p", cidr: "aa:bb::cc/120", masked: "aa:bb::/120" },
          ...at,
        },
      ],
    },
  ],
});
