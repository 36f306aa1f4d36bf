import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-name-invalid.js";

const named = (name: string) => ({ "pools.yaml": poolYaml(name, "cidr: 10.244.0.0/16") });
const at = { file: "pools.yaml", line: 4, column: 9 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "with a dot (Calico's test name)", files: named("pool.name") },
    { name: "one character", files: named("a") },
    { name: "digits and dashes", files: named("ippool-1") },
    { name: "253 characters", files: named("x".repeat(253)) },
  ],
  invalid: [
    {
      name: "upper case",
      files: named("Pool"),
      errors: [{ messageId: "invalid", data: { pool: "Pool" }, ...at }],
    },
    {
      name: "an underscore",
      files: named("pool_1"),
      errors: [{ messageId: "invalid", data: { pool: "pool_1" }, ...at }],
    },
    {
      name: "a leading dash",
      files: named("-pool"),
      errors: [{ messageId: "invalid", data: { pool: "-pool" }, ...at }],
    },
    {
      name: "a trailing dot",
      files: named("pool."),
      errors: [{ messageId: "invalid", data: { pool: "pool." }, ...at }],
    },
  ],
});
