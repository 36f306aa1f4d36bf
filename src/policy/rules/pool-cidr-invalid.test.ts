import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-cidr-invalid.js";

const pool = (cidr: string) => ({ "pools.yaml": poolYaml("p", `cidr: ${cidr}`) });
/** spec.cidr's value is at line 6, column 9. */
const at = { file: "pools.yaml", line: 6, column: 9 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IPv4 network", files: pool("10.244.0.0/16") },
    {
      name: "IPv6 network written long-hand (Calico normalises it)",
      files: pool("aabb:aabb::0000/122"),
    },
    {
      name: "a /32 (whether it fits a block is another rule's question)",
      files: pool("10.9.9.9/32"),
    },
    { name: "host bits set is pool-cidr-not-masked's finding", files: pool("10.0.0.5/24") },
    { name: "IPv6 with an embedded IPv4 tail", files: pool("64:ff9b::10.0.0.0/120") },
    { name: "prefix 0 (other rules object to it)", files: pool("10.0.0.0/0") },
  ],
  invalid: [
    {
      name: "empty",
      files: pool('""'),
      errors: [{ messageId: "empty", data: { pool: "p" }, ...at }],
    },
    {
      name: "a bare address: Go's ParseCIDR needs a prefix length",
      files: pool("10.0.0.1"),
      errors: [{ messageId: "invalid", data: { pool: "p", cidr: "10.0.0.1" }, ...at }],
    },
    {
      name: "IPv4 prefix 33",
      files: pool("1.2.3.4/33"),
      errors: [{ messageId: "invalid", data: { pool: "p", cidr: "1.2.3.4/33" }, ...at }],
    },
    {
      name: "IPv6 prefix 129",
      files: pool("aa:bb::/129"),
      errors: [{ messageId: "invalid", data: { pool: "p", cidr: "aa:bb::/129" }, ...at }],
    },
    {
      name: "a leading zero in an IPv4 octet (refused since Go 1.17)",
      files: pool("010.0.0.0/8"),
      errors: [{ messageId: "invalid", data: { pool: "p", cidr: "010.0.0.0/8" }, ...at }],
    },
    {
      name: "short IPv4 form",
      files: pool("10/8"),
      errors: [{ messageId: "invalid", data: { pool: "p", cidr: "10/8" }, ...at }],
    },
    {
      name: "an IPv6 zone",
      files: pool("fe80::1%eth0/64"),
      errors: [{ messageId: "invalid", data: { pool: "p", cidr: "fe80::1%eth0/64" }, ...at }],
    },
    {
      name: "surrounding whitespace is not trimmed",
      files: pool('" 10.0.0.0/8"'),
      errors: [{ messageId: "invalid", data: { pool: "p", cidr: " 10.0.0.0/8" }, ...at }],
    },
    {
      name: "a leading zero in the prefix length",
      files: pool("10.0.0.0/08"),
      errors: [
        {
          messageId: "leadingZero",
          data: { pool: "p", cidr: "10.0.0.0/08", suggestion: "10.0.0.0/8" },
          ...at,
        },
      ],
    },
    {
      name: "an IPv4-mapped IPv6 network",
      files: pool("::ffff:10.0.0.0/104"),
      errors: [
        {
          messageId: "ipv4Mapped",
          data: { pool: "p", cidr: "::ffff:10.0.0.0/104", prefix: 104, ipv4: "10.0.0.0/8" },
          ...at,
        },
      ],
    },
  ],
});
