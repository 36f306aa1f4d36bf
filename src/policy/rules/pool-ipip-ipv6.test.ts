import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-ipip-ipv6.js";

const pool = (cidr: string, ...more: string[]) => ({
  "pools.yaml": poolYaml("p", `cidr: ${cidr}`, ...more),
});
const at = { file: "pools.yaml", line: 7, column: 13 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "VXLAN on IPv6 is allowed", files: pool("fd00::/48", "vxlanMode: Always") },
    { name: "IPv6 with ipipMode Never", files: pool("fd00::/48", "ipipMode: Never") },
    { name: "IPv6 with ipipMode left out (defaults to Never)", files: pool("fd00::/48") },
    { name: "IP-in-IP on IPv4", files: pool("10.244.0.0/16", "ipipMode: Always") },
  ],
  invalid: [
    {
      name: "IPv6 with IP-in-IP Always",
      files: pool("fd00::/48", "ipipMode: Always"),
      errors: [
        { messageId: "ipv6", data: { pool: "p", ipipMode: "Always", cidr: "fd00::/48" }, ...at },
      ],
    },
    {
      name: "IPv6 with IP-in-IP CrossSubnet",
      files: pool("fd00::/48", "ipipMode: CrossSubnet"),
      errors: [
        {
          messageId: "ipv6",
          data: { pool: "p", ipipMode: "CrossSubnet", cidr: "fd00::/48" },
          ...at,
        },
      ],
    },
  ],
});
