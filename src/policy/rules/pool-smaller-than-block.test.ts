import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-smaller-than-block.js";

const pool = (cidr: string, ...more: string[]) => ({
  "pools.yaml": poolYaml("p", `cidr: ${cidr}`, ...more),
});
const at = { file: "pools.yaml", line: 6, column: 9 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "a /26 holds exactly one default block", files: pool("1.2.3.0/26") },
    { name: "a large pool", files: pool("1.0.0.0/10") },
    { name: "a disabled /27", files: pool("1.2.3.0/27", "disabled: true") },
    { name: "a /27 with blockSize 27", files: pool("1.2.3.0/27", "blockSize: 27") },
    { name: "IPv6 /122 holds one default block", files: pool("aabb:aabb::/122") },
    { name: "a disabled IPv6 /128", files: pool("aabb:aabb::ffff/128", "disabled: true") },
  ],
  invalid: [
    {
      name: "an enabled /27 with the default block size",
      files: pool("1.2.3.0/27"),
      errors: [
        {
          messageId: "tooSmall",
          data: { pool: "p", cidr: "1.2.3.0/27", blockSize: 26, prefix: 27 },
          ...at,
        },
      ],
    },
    {
      name: "an enabled IPv6 /128",
      files: pool("aabb:aabb::ffff/128"),
      errors: [
        {
          messageId: "tooSmall",
          data: { pool: "p", cidr: "aabb:aabb::ffff/128", blockSize: 122, prefix: 128 },
          ...at,
        },
      ],
    },
    {
      name: "a /24 with blockSize 19 (Calico reports the range too)",
      files: pool("1.2.3.0/24", "blockSize: 19"),
      errors: [
        {
          messageId: "tooSmall",
          data: { pool: "p", cidr: "1.2.3.0/24", blockSize: 19, prefix: 24 },
          ...at,
        },
      ],
    },
  ],
});
