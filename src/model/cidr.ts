/**
 * Addresses and CIDRs as numbers. Parsing is as strict as Go's net.ParseCIDR (what Calico
 * uses): dotted-quad IPv4 only, no leading zeros, no zone. ip-bigint does the number work.
 * Every address and CIDR made here is frozen: the model shares them between nodes, pools and
 * allocations.
 */
import { isIPv4, isIPv6 } from "node:net";
import { parseIp, stringifyIp } from "ip-bigint";

export type IpVersion = 4 | 6;

export interface IpAddress {
  readonly version: IpVersion;
  readonly value: bigint;
  /** Canonical text (compressed IPv6, plain dotted quad). */
  readonly text: string;
}

export interface Cidr {
  readonly version: IpVersion;
  readonly prefix: number;
  /** The address as written (may have host bits set). */
  readonly address: bigint;
  /** First and last address of the network. */
  readonly start: bigint;
  readonly end: bigint;
  /** True when the address as written has bits set below the prefix. */
  readonly hostBitsSet: boolean;
  /** Canonical masked form, e.g. "10.0.0.0/8"; what every renderer prints. */
  readonly canonical: string;
}

const bitsOf = (version: IpVersion): number => (version === 4 ? 32 : 128);

export function parseAddress(text: string): IpAddress | undefined {
  if (typeof text !== "string") return undefined;
  if (isIPv4(text)) {
    const value = parseIp(text).number;
    return Object.freeze({ version: 4, value, text: stringifyIp({ number: value, version: 4 }) });
  }
  if (isIPv6(text) && !text.includes("%")) {
    const parsed = parseIp(text);
    // An IPv4-mapped IPv6 address is IPv6 to Calico and to the kernel.
    const value = parsed.number;
    return Object.freeze({ version: 6, value, text: stringifyIp({ number: value, version: 6 }) });
  }
  return undefined;
}

export function parseCidr(text: string): Cidr | undefined {
  if (typeof text !== "string") return undefined;
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const ip = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!ip || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > bitsOf(ip.version)) return undefined;
  return makeCidr(ip.version, ip.value, prefix);
}

export function makeCidr(version: IpVersion, address: bigint, prefix: number): Cidr {
  const hostMask = (1n << BigInt(bitsOf(version) - prefix)) - 1n;
  const start = address & ~hostMask;
  return Object.freeze({
    version,
    prefix,
    address,
    start,
    end: start | hostMask,
    hostBitsSet: (address & hostMask) !== 0n,
    canonical: `${formatAddress(version, start)}/${prefix}`,
  });
}

export function formatAddress(version: IpVersion, value: bigint): string {
  if (version === 4 && value >= 0n && value <= MAX_ADDRESS[4]) {
    const n = Number(value);
    return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  }
  return stringifyIp({ number: value, version });
}

/** The last address of each family. */
const MAX_ADDRESS = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  return a.version === b.version && a.start <= b.end && b.start <= a.end;
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.version === inner.version && outer.start <= inner.start && inner.end <= outer.end;
}

export function cidrContainsAddress(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.version === ip.version && cidr.start <= ip.value && ip.value <= cidr.end;
}

/** Number of addresses in the CIDR. */
export function cidrSize(cidr: Cidr): bigint {
  return cidr.end - cidr.start + 1n;
}

/** The address `offset` places after `ip`, or undefined past the end of the address space. */
export function addressPlus(ip: IpAddress, offset: bigint): IpAddress | undefined {
  const value = ip.value + offset;
  if (value < 0n || value > MAX_ADDRESS[ip.version]) return undefined;
  return Object.freeze({ version: ip.version, value, text: formatAddress(ip.version, value) });
}

/**
 * Every pair of items whose CIDRs overlap, as [written first, written later], found by a sweep
 * over the items sorted by start address (no all-pairs loop). Items without a CIDR are skipped.
 */
export function overlappingPairs<T>(
  items: readonly T[],
  cidrOf: (item: T) => Cidr | undefined,
): [T, T][] {
  const entries = items
    .map((item, index) => ({ item, index, cidr: cidrOf(item) }))
    .filter((e): e is { item: T; index: number; cidr: Cidr } => e.cidr !== undefined)
    .sort(
      (a, b) =>
        a.cidr.version - b.cidr.version ||
        (a.cidr.start < b.cidr.start ? -1 : a.cidr.start > b.cidr.start ? 1 : 0) ||
        a.index - b.index,
    );
  const pairs: [T, T][] = [];
  for (const [i, a] of entries.entries()) {
    // Sorted by start, an item can only overlap the ones after it that start before it ends.
    for (let j = i + 1; j < entries.length; j++) {
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- j < entries.length
      const b = entries[j]!;
      if (b.cidr.version !== a.cidr.version || b.cidr.start > a.cidr.end) break;
      pairs.push(a.index < b.index ? [a.item, b.item] : [b.item, a.item]);
    }
  }
  return pairs;
}
