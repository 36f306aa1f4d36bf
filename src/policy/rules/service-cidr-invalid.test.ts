import { describe, it } from "vitest";
import { BASE_REPO, RuleTester } from "../tester.js";
import { rule } from "./service-cidr-invalid.js";

/** The service CIDRs start on line 9 of netcompile.yaml; each value at column 9. */
const services = (...cidrs: string[]) => ({
  "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]}  networking:\n    serviceCIDRs:${
    cidrs.length ? `\n${cidrs.map((c) => `      - "${c}"\n`).join("")}` : " []\n"
  }`,
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IPv4 and IPv6", files: services("10.96.0.0/12", "fd00:96::/108") },
    { name: "none", files: services() },
  ],
  invalid: [
    {
      name: "a bare address",
      files: services("10.96.0.0"),
      errors: [
        { messageId: "invalid", data: { index: 0 }, file: "netcompile.yaml", line: 9, column: 9 },
      ],
    },
    {
      name: "the second entry",
      files: services("10.96.0.0/12", "nope"),
      errors: [
        { messageId: "invalid", data: { index: 1 }, file: "netcompile.yaml", line: 10, column: 9 },
      ],
    },
  ],
});
