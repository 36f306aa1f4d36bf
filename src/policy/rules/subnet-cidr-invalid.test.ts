import { describe, it } from "vitest";
import { BASE_REPO, RuleTester } from "../tester.js";
import { rule } from "./subnet-cidr-invalid.js";

/** rack-2's cidr value is line 10, column 13 of the base topology. */
const rack2 = (cidr: string) => ({
  "topology.yaml": BASE_REPO["topology.yaml"]!.replace("cidr: 10.0.2.0/24", `cidr: ${cidr}`),
});
const at = { file: "topology.yaml", line: 10, column: 13 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IPv4", files: rack2("10.0.2.0/24") },
    { name: "IPv6", files: rack2("fd00::/64") },
  ],
  invalid: [
    {
      name: "a bare address",
      files: rack2("10.0.2.0"),
      errors: [{ messageId: "invalid", data: { subnet: "rack-2", cidr: "10.0.2.0" }, ...at }],
    },
    {
      name: "prefix out of range",
      files: rack2("10.0.2.0/33"),
      errors: [{ messageId: "invalid", data: { subnet: "rack-2", cidr: "10.0.2.0/33" }, ...at }],
    },
  ],
});
