import { describe, it } from "vitest";
import { poolYaml, RuleTester, v1PoolYaml } from "../tester.js";
import { rule } from "./pool-legacy-field-rejected.js";

const v3 = (...spec: string[]) => ({
  "pools.yaml": poolYaml("p", "cidr: 192.168.0.0/16", "ipipMode: Never", ...spec),
});
const v1 = (...spec: string[]) => ({
  "pools.yaml": v1PoolYaml("p", "cidr: 192.168.0.0/16", ...spec),
});
const at = (line: number, column: number) => ({ file: "pools.yaml", line, column });

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "no v1 field", files: v3() },
    {
      name: "nat-outgoing: false (accepted, Calico's validator test)",
      files: v3("nat-outgoing: false"),
    },
    { name: "ipip: null (accepted)", files: v3("ipip: null") },
    {
      name: "a crd.projectcalico.org/v1 object keeps both in its CRD",
      files: v1("ipip: {enabled: true, mode: always}", "nat-outgoing: true"),
    },
  ],
  invalid: [
    {
      name: "a non-nil ipip (Calico's validator test)",
      files: v3("ipip: {enabled: true, mode: always}"),
      errors: [
        {
          messageId: "ipip",
          data: { pool: "p", written: "{enabled: true, mode: always}", mode: "Always" },
          ...at(8, 9),
        },
      ],
    },
    {
      name: "even an empty ipip object",
      files: v3("ipip: {}"),
      errors: [
        {
          messageId: "ipip",
          data: { pool: "p", written: "{enabled: false}", mode: "Never" },
          ...at(8, 9),
        },
      ],
    },
    {
      name: "nat-outgoing: true (Calico's validator test)",
      files: v3("nat-outgoing: true"),
      errors: [{ messageId: "natOutgoing", data: { pool: "p" }, ...at(8, 17) }],
    },
  ],
});
