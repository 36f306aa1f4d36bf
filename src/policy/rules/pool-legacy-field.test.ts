import { describe, it } from "vitest";
import { poolYaml, RuleTester, v1PoolYaml } from "../tester.js";
import { rule } from "./pool-legacy-field.js";

const v3 = (...spec: string[]) => ({
  "pools.yaml": poolYaml("p", "cidr: 192.168.0.0/16", "ipipMode: CrossSubnet", ...spec),
});
const v1 = (...spec: string[]) => ({
  "pools.yaml": v1PoolYaml("p", "cidr: 192.168.0.0/16", ...spec),
});
const at = (line: number, column: number) => ({ file: "pools.yaml", line, column });

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "no v1 field", files: v3() },
    { name: "a v1 object with v3 fields only", files: v1("ipipMode: CrossSubnet") },
    // Refused by projectcalico.org/v3: pool-legacy-field-rejected reports these.
    { name: "v3 ipip set", files: v3("ipip: {enabled: true}") },
    { name: "v3 nat-outgoing: true", files: v3("nat-outgoing: true") },
  ],
  invalid: [
    {
      name: "v3 nat-outgoing: false is accepted and ignored (Calico's validator test)",
      files: v3("nat-outgoing: false"),
      errors: [{ messageId: "natOutgoingIgnored", data: { pool: "p" }, ...at(8, 17) }],
    },
    {
      name: "ipip: null is accepted and ignored",
      files: v3("ipip: null"),
      errors: [{ messageId: "ipipIgnored", data: { pool: "p" }, ...at(8, 9) }],
    },
    {
      name: "v1 ipip cross-subnet: Calico reads ipipMode CrossSubnet",
      files: v1("ipip: {enabled: true, mode: cross-subnet}"),
      errors: [
        {
          messageId: "ipipConverted",
          data: { pool: "p", written: "{enabled: true, mode: cross-subnet}", mode: "CrossSubnet" },
          ...at(7, 9),
        },
      ],
    },
    {
      name: "v1 ipip without a mode is Always, and wins over ipipMode",
      files: v1("ipipMode: Never", "ipip: {enabled: true}"),
      errors: [
        {
          messageId: "ipipConverted",
          data: { pool: "p", written: "{enabled: true}", mode: "Always" },
          ...at(8, 9),
        },
      ],
    },
    {
      name: "v1 ipip disabled is Never",
      files: v1("ipipMode: Always", "ipip: {enabled: false, mode: always}"),
      errors: [
        {
          messageId: "ipipConverted",
          data: { pool: "p", written: "{enabled: false, mode: always}", mode: "Never" },
          ...at(8, 9),
        },
      ],
    },
    {
      name: "v1 nat-outgoing: true turns outgoing NAT on",
      files: v1("natOutgoing: false", "nat-outgoing: true"),
      errors: [
        {
          messageId: "natOutgoingConverted",
          data: { pool: "p", value: "true", effective: "true" },
          ...at(8, 17),
        },
      ],
    },
    {
      name: "v1 nat-outgoing: false leaves natOutgoing as written",
      files: v1("natOutgoing: true", "nat-outgoing: false"),
      errors: [
        {
          messageId: "natOutgoingConverted",
          data: { pool: "p", value: "false", effective: "true" },
          ...at(8, 17),
        },
      ],
    },
  ],
});
