import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-block-size-range.js";

const pool = (cidr: string, ...more: string[]) => ({
  "pools.yaml": poolYaml("p", `cidr: ${cidr}`, ...more),
});
/** blockSize on spec line 2 (line 7); its value starts at column 14. */
const at = { file: "pools.yaml", line: 7, column: 14 };
const v4 = (blockSize: number) => ({
  messageId: "outOfRange",
  data: { pool: "p", blockSize, min: 20, max: 32, version: 4 },
  ...at,
});
const v6 = (blockSize: number) => ({
  messageId: "outOfRange",
  data: { pool: "p", blockSize, min: 116, max: 128, version: 6 },
  ...at,
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IPv4 default (26)", files: pool("10.0.0.0/16") },
    { name: "IPv4 20, the smallest", files: pool("10.0.0.0/16", "blockSize: 20") },
    { name: "IPv4 32, the largest", files: pool("10.0.0.0/16", "blockSize: 32") },
    { name: "0 means the default", files: pool("10.0.0.0/16", "blockSize: 0") },
    { name: "IPv6 default (122)", files: pool("fd00::/48") },
    { name: "IPv6 116, the smallest", files: pool("fd00::/48", "blockSize: 116") },
    { name: "IPv6 128, the largest", files: pool("fd00::/48", "blockSize: 128") },
  ],
  invalid: [
    { name: "IPv4 19", files: pool("10.0.0.0/16", "blockSize: 19"), errors: [v4(19)] },
    {
      name: "IPv4 33 (Calico's e2e test)",
      files: pool("1.2.3.0/24", "blockSize: 33"),
      errors: [v4(33)],
    },
    {
      name: "a disabled pool is checked too",
      files: pool("10.0.0.0/16", "blockSize: 19", "disabled: true"),
      errors: [v4(19)],
    },
    { name: "IPv6 115", files: pool("fd00::/48", "blockSize: 115"), errors: [v6(115)] },
    {
      name: "IPv6 with an IPv4 block size",
      files: pool("fd00::/48", "blockSize: 26"),
      errors: [v6(26)],
    },
  ],
});
