import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-overlaps-service-cidr.js";

const services = (...cidrs: string[]) =>
  `${BASE_REPO["netcompile.yaml"]}  networking:\n    serviceCIDRs:\n${cidrs.map((c) => `      - "${c}"\n`).join("")}`;
const pool = (cidr: string) => ({ "pools.yaml": poolYaml("p", `cidr: ${cidr}`) });
const at = { file: "pools.yaml", line: 6, column: 9 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "apart",
      files: { "netcompile.yaml": services("10.96.0.0/12"), ...pool("10.244.0.0/16") },
    },
    {
      name: "touching 10.96.0.0/12 from above",
      files: { "netcompile.yaml": services("10.96.0.0/12"), ...pool("10.112.0.0/12") },
    },
    {
      name: "an unparsable service CIDR is service-cidr-invalid's finding",
      files: { "netcompile.yaml": services("nope"), ...pool("10.96.0.0/16") },
    },
  ],
  invalid: [
    {
      name: "inside the service range",
      files: { "netcompile.yaml": services("10.96.0.0/12"), ...pool("10.96.0.0/16") },
      errors: [
        {
          messageId: "overlap",
          data: { pool: "p", cidr: "10.96.0.0/16", service: "10.96.0.0/12" },
          ...at,
        },
      ],
    },
    {
      name: "the IPv6 service range",
      files: {
        "netcompile.yaml": services("10.96.0.0/12", "fd00:96::/108"),
        ...pool("fd00:96::/64"),
      },
      errors: [
        {
          messageId: "overlap",
          data: { pool: "p", cidr: "fd00:96::/64", service: "fd00:96::/108" },
          ...at,
        },
      ],
    },
  ],
});
