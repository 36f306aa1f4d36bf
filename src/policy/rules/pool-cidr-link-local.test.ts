import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-cidr-link-local.js";

const pool = (cidr: string) => ({ "pools.yaml": poolYaml("p", `cidr: ${cidr}`) });
const at = { file: "pools.yaml", line: 6, column: 9 };
const v4 = (cidr: string) => ({
  messageId: "linkLocal",
  data: { pool: "p", cidr, version: 4, range: "169.254.0.0/16" },
  ...at,
});
const v6 = (cidr: string) => ({
  messageId: "linkLocal",
  data: { pool: "p", cidr, version: 6, range: "fe80::/10" },
  ...at,
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "touching 169.254.0.0/16 from below", files: pool("169.253.0.0/16") },
    { name: "touching 169.254.0.0/16 from above", files: pool("169.255.0.0/16") },
    { name: "touching fe80::/10 from below", files: pool("fe40::/10") },
    { name: "touching fe80::/10 from above", files: pool("fec0::/10") },
    { name: "a private range", files: pool("10.0.0.0/8") },
  ],
  invalid: [
    {
      name: "inside 169.254.0.0/16",
      files: pool("169.254.5.0/24"),
      errors: [v4("169.254.5.0/24")],
    },
    {
      name: "the last address of the range",
      files: pool("169.254.255.255/32"),
      errors: [v4("169.254.255.255/32")],
    },
    { name: "a superset (169.0.0.0/8)", files: pool("169.0.0.0/8"), errors: [v4("169.0.0.0/8")] },
    { name: "the whole IPv4 space", files: pool("0.0.0.0/0"), errors: [v4("0.0.0.0/0")] },
    { name: "inside fe80::/10", files: pool("fe80::/120"), errors: [v6("fe80::/120")] },
    { name: "a superset (fe00::/7)", files: pool("fe00::/7"), errors: [v6("fe00::/7")] },
  ],
});
