import { stringifyIp } from "ip-bigint";
import { describe, expect, it } from "vitest";
import {
  addressPlus,
  cidrContains,
  cidrContainsAddress,
  cidrOverlaps,
  formatAddress,
  overlappingPairs,
  parseAddress,
  parseCidr,
} from "./cidr.js";

describe("parseCidr", () => {
  it.each([
    ["10.0.0.0/8", "10.0.0.0/8", false],
    ["10.1.2.3/8", "10.0.0.0/8", true],
    ["192.168.0.0/16", "192.168.0.0/16", false],
    ["0.0.0.0/0", "0.0.0.0/0", false],
    ["fd00::/48", "fd00::/48", false],
    ["FD00:0:0::1/64", "fd00::/64", true],
    ["2001:db8::/128", "2001:db8::/128", false],
  ])("%s -> %s (host bits set: %s)", (text, canonical, hostBits) => {
    const cidr = parseCidr(text)!;
    expect(cidr.canonical).toBe(canonical);
    expect(cidr.hostBitsSet).toBe(hostBits);
  });

  it.each([
    "10.0.0.0",
    "10.0.0.0/33",
    "10.1/8",
    "010.0.0.0/8",
    "10.0.0.0/-1",
    "10.0.0.0/8/8",
    "fd00::/129",
    "fe80::1%eth0/64",
    "",
    " 10.0.0.0/8",
    "10.0.0.0/ 8",
    "10.0.0.256/24",
    "x/8",
  ])("rejects %j as Go's net.ParseCIDR would", (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it("computes overlap and containment, including CIDRs that exactly touch", () => {
    const a = parseCidr("10.0.0.0/24")!;
    const b = parseCidr("10.0.1.0/24")!;
    const wide = parseCidr("10.0.0.0/23")!;
    expect(cidrOverlaps(a, b)).toBe(false);
    expect(cidrOverlaps(a, wide)).toBe(true);
    expect(cidrContains(wide, b)).toBe(true);
    expect(cidrContains(b, wide)).toBe(false);
    expect(cidrOverlaps(a, parseCidr("fd00::/8")!)).toBe(false);
    expect(cidrContainsAddress(a, parseAddress("10.0.0.255")!)).toBe(true);
    expect(cidrContainsAddress(a, parseAddress("10.0.1.0")!)).toBe(false);
  });

  it("steps addresses and stops at the end of the address space", () => {
    expect(addressPlus(parseAddress("10.0.0.254")!, 3n)?.text).toBe("10.0.1.1");
    expect(addressPlus(parseAddress("255.255.255.255")!, 1n)).toBeUndefined();
    expect(addressPlus(parseAddress("fd00::ffff")!, 1n)?.text).toBe("fd00::1:0");
  });
});

describe("formatAddress", () => {
  it("writes IPv4 addresses as ip-bigint does, at the ends of the space and in between", () => {
    const values = [0n, 1n, 255n, 256n, 65535n, 65536n, 16777215n, 16777216n, 2147483647n];
    values.push(2147483648n, 4294967040n, 4294967295n);
    let x = 0x9e3779b9n;
    for (let i = 0; i < 2000; i++) values.push((x = (x * 6364136223846793005n + 1n) % (1n << 32n)));
    for (const value of values)
      expect(formatAddress(4, value), String(value)).toBe(
        stringifyIp({ number: value, version: 4 }),
      );
  });
});

describe("overlappingPairs", () => {
  it("finds every overlapping pair, in written order, and nothing that merely touches", () => {
    const items = [
      "10.0.1.0/24",
      "bogus",
      "10.0.0.0/16",
      "10.0.2.0/24",
      "fd00::/8",
      "10.1.0.0/16",
      "10.0.1.128/25",
    ];
    const pairs = overlappingPairs(items, parseCidr).map(([a, b]) => `${a} ~ ${b}`);
    expect(pairs.sort()).toEqual(
      [
        "10.0.1.0/24 ~ 10.0.0.0/16",
        "10.0.1.0/24 ~ 10.0.1.128/25",
        "10.0.0.0/16 ~ 10.0.2.0/24",
        "10.0.0.0/16 ~ 10.0.1.128/25",
      ].sort(),
    );
  });
});
