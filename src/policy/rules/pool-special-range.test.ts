import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-special-range.js";

const pool = (cidr: string) => ({ "pools.yaml": poolYaml("p", `cidr: ${cidr}`) });
const at = { file: "pools.yaml", line: 6, column: 9 };
const special = (cidr: string, name: string, range: string) => ({
  messageId: "special",
  data: { pool: "p", cidr, name, range },
  ...at,
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "a private range", files: pool("10.0.0.0/8") },
    { name: "touching 0.0.0.0/8 from above", files: pool("1.0.0.0/8") },
    { name: "touching loopback from below", files: pool("126.0.0.0/8") },
    { name: "touching loopback from above", files: pool("128.0.0.0/8") },
    { name: "touching multicast from below", files: pool("223.255.255.0/24") },
    { name: "touching multicast from above", files: pool("240.0.0.0/4") },
    { name: "next to ::1", files: pool("::2/128") },
    { name: "IPv6 unique local", files: pool("fd00::/8") },
  ],
  invalid: [
    {
      name: "the whole IPv4 space",
      files: pool("0.0.0.0/0"),
      errors: [
        { messageId: "wholeSpace", data: { pool: "p", cidr: "0.0.0.0/0", version: 4 }, ...at },
      ],
    },
    {
      name: "the whole IPv6 space",
      files: pool("::/0"),
      errors: [{ messageId: "wholeSpace", data: { pool: "p", cidr: "::/0", version: 6 }, ...at }],
    },
    {
      name: "inside 0.0.0.0/8",
      files: pool("0.0.0.0/16"),
      errors: [special("0.0.0.0/16", '"this network"', "0.0.0.0/8")],
    },
    {
      name: "loopback",
      files: pool("127.0.0.0/16"),
      errors: [special("127.0.0.0/16", "loopback", "127.0.0.0/8")],
    },
    {
      name: "a superset of loopback",
      files: pool("96.0.0.0/3"),
      errors: [special("96.0.0.0/3", "loopback", "127.0.0.0/8")],
    },
    {
      name: "multicast",
      files: pool("224.0.0.0/24"),
      errors: [special("224.0.0.0/24", "multicast", "224.0.0.0/4")],
    },
    {
      name: "two ranges at once",
      files: pool("0.0.0.0/1"),
      errors: [
        special("0.0.0.0/1", '"this network"', "0.0.0.0/8"),
        special("0.0.0.0/1", "loopback", "127.0.0.0/8"),
      ],
    },
    { name: "::1", files: pool("::1/128"), errors: [special("::1/128", "loopback", "::1/128")] },
    {
      name: "the unspecified IPv6 address",
      files: pool("::/120"),
      errors: [
        special("::/120", "unspecified-address", "::/128"),
        special("::/120", "loopback", "::1/128"),
      ],
    },
    {
      name: "IPv6 multicast",
      files: pool("ff02::/16"),
      errors: [special("ff02::/16", "multicast", "ff00::/8")],
    },
  ],
});
