import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-overlap.js";

/** Each pool in its own file, read in name order: a.yaml, b.yaml, c.yaml. */
const pools = (a: string, b: string, ...more: string[]) => ({
  "pools.yaml": null,
  "a.yaml": poolYaml("a", `cidr: ${a}`),
  "b.yaml": poolYaml("b", `cidr: ${b}`, ...more),
});
const inB = { file: "b.yaml", line: 6, column: 9 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "exactly touching", files: pools("10.0.0.0/16", "10.1.0.0/16") },
    { name: "touching, larger first", files: pools("10.2.0.0/15", "10.1.0.0/16") },
    { name: "IPv4 and IPv6 never overlap", files: pools("0.0.0.0/8", "::/8") },
    {
      name: "same name is pool-duplicate-name's finding",
      files: {
        "pools.yaml": null,
        "a.yaml": poolYaml("a", "cidr: 10.0.0.0/16"),
        "b.yaml": poolYaml("a", "cidr: 10.0.0.0/16"),
      },
    },
  ],
  invalid: [
    {
      name: "identical",
      files: pools("10.0.0.0/16", "10.0.0.0/16"),
      errors: [
        {
          messageId: "overlap",
          data: { pool: "b", cidr: "10.0.0.0/16", other: "a", otherCidr: "10.0.0.0/16" },
          ...inB,
        },
      ],
    },
    {
      name: "one address in common",
      files: pools("10.0.0.0/16", "10.0.255.255/32"),
      errors: [
        {
          messageId: "overlap",
          data: { pool: "b", cidr: "10.0.255.255/32", other: "a", otherCidr: "10.0.0.0/16" },
          ...inB,
        },
      ],
    },
    {
      name: "the later pool is larger",
      files: pools("10.1.0.0/16", "10.0.0.0/15"),
      errors: [
        {
          messageId: "overlap",
          data: { pool: "b", cidr: "10.0.0.0/15", other: "a", otherCidr: "10.1.0.0/16" },
          ...inB,
        },
      ],
    },
    {
      name: "a disabled pool counts",
      files: pools("10.0.0.0/16", "10.0.0.0/24", "disabled: true"),
      errors: [
        {
          messageId: "overlap",
          data: { pool: "b", cidr: "10.0.0.0/24", other: "a", otherCidr: "10.0.0.0/16" },
          ...inB,
        },
      ],
    },
    {
      name: "IPv6",
      files: pools("fd00::/48", "fd00:0:0:1::/64"),
      errors: [
        {
          messageId: "overlap",
          data: { pool: "b", cidr: "fd00:0:0:1::/64", other: "a", otherCidr: "fd00::/48" },
          ...inB,
        },
      ],
    },
    {
      name: "every overlapping pair once",
      files: {
        ...pools("10.0.0.0/8", "10.1.0.0/16"),
        "c.yaml": poolYaml("c", "cidr: 10.1.2.0/24"),
      },
      errors: [
        {
          messageId: "overlap",
          data: { pool: "b", cidr: "10.1.0.0/16", other: "a", otherCidr: "10.0.0.0/8" },
          ...inB,
        },
        {
          messageId: "overlap",
          data: { pool: "c", cidr: "10.1.2.0/24", other: "a", otherCidr: "10.0.0.0/8" },
          file: "c.yaml",
          line: 6,
          column: 9,
        },
        {
          messageId: "overlap",
          data: { pool: "c", cidr: "10.1.2.0/24", other: "b", otherCidr: "10.1.0.0/16" },
          file: "c.yaml",
          line: 6,
          column: 9,
        },
      ],
    },
  ],
});
