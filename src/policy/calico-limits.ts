/**
 * The limits Calico v3.31 enforces on IP pools (libcalico-go clientv3/ippool.go and
 * validator/v3/validator.go), and the ranges netcompile adds, in one place.
 */
import { makeCidr, parseCidr, type Cidr, type IpVersion } from "../model/cidr.js";
import { must } from "../util/must.js";

/** A CIDR written here, which parses. */
function known(text: string): Cidr {
  return must(parseCidr(text), `the CIDR ${text}`);
}

/** Block sizes Calico accepts per family (clientv3 validateAndSetDefaults). */
export const BLOCK_SIZE_RANGE: Readonly<Record<IpVersion, { min: number; max: number }>> = {
  4: { min: 20, max: 32 },
  6: { min: 116, max: 128 },
};

/** Calico refuses pools that overlap these, in either direction. */
export const LINK_LOCAL: Readonly<Record<IpVersion, Cidr>> = {
  4: known("169.254.0.0/16"),
  6: known("fe80::/10"),
};

/** Ranges that cannot hold workload addresses; Calico accepts them, netcompile does not. */
export const SPECIAL_RANGES: readonly { readonly cidr: Cidr; readonly name: string }[] = [
  { cidr: known("0.0.0.0/8"), name: '"this network"' },
  { cidr: known("127.0.0.0/8"), name: "loopback" },
  { cidr: known("224.0.0.0/4"), name: "multicast" },
  { cidr: known("::/128"), name: "unspecified-address" },
  { cidr: known("::1/128"), name: "loopback" },
  { cidr: known("ff00::/8"), name: "multicast" },
];

/** An IPv4-mapped IPv6 network (::ffff:0:0/96): Go's To4() makes Calico read it as IPv4. */
export function isIpv4Mapped(cidr: Cidr): boolean {
  return cidr.version === 6 && cidr.prefix >= 96 && cidr.start >> 32n === 0xffffn;
}

/** The IPv4 network an IPv4-mapped IPv6 network stands for. */
export function ipv4OfMapped(cidr: Cidr): Cidr {
  return makeCidr(4, cidr.start & 0xffffffffn, cidr.prefix - 96);
}

/** Kubernetes object names (IPPool metadata.name): a DNS-1123 subdomain. */
export const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Node names: a DNS-1123 label (they become host names and folder names). */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS1123_LABEL_MAX = 63;

/** VXLAN settings: a 24-bit network identifier, a UDP port. */
export const VXLAN_VNI_RANGE = { min: 1, max: 16777215 } as const;
export const PORT_RANGE = { min: 1, max: 65535 } as const;

/** Calico's limit on an object's annotations, keys and values together (validator.go:47). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Why `key` is not a Kubernetes qualified name (a label or annotation key: an optional DNS-1123
 * subdomain prefix and "/", then a name of at most 63 characters), or undefined when it is one.
 * Kubernetes' IsQualifiedName, which Calico's validator runs on every label and (lower-cased)
 * annotation key (validator.go:2144-2191).
 */
export function qualifiedNameProblem(key: string): string | undefined {
  const parts = key.split("/");
  if (parts.length > 2) return 'at most one "/", between a DNS subdomain prefix and the name';
  const [first = "", second] = parts;
  const name = second ?? first;
  if (second !== undefined) {
    const prefix = first;
    if (prefix.length === 0) return 'the prefix before "/" must not be empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      return "the prefix must be a lowercase DNS subdomain";
  }
  if (name.length === 0) return "the name part must not be empty";
  if (name.length > 63) return "the name part must be no more than 63 characters";
  if (!QUALIFIED_NAME_PART.test(name))
    return "the name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return undefined;
}

/** Why `value` is not a Kubernetes label value (IsValidLabelValue), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return "must be no more than 63 characters";
  if (!LABEL_VALUE.test(value))
    return "must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit";
  return undefined;
}
