/**
 * The pod MTU rule, in one place: which tunnels Felix turns on, which underlay MTU the paths
 * between nodes fit in (declared, or the provider's, or a provider's path limit) and what is left
 * of it for pods once a tunnel header is added. The model's derived podMTU, the static-mode tunnel
 * devices, `explain` and the MTU rules all ask this module.
 */
import { ENCAP_OVERHEAD } from "./defaults.js";
import { FAMILIES } from "./families.js";
import { AWS_VPC_BOUNDARY_MTU, PROVIDERS } from "./providers.js";
import type { ClusterModel, IpFamily, Pool, Provider, Subnet } from "./types.js";

/** A tunnel encapsulation, by the header it adds (VXLAN over IPv6 costs 20 bytes more). */
export type TunnelEncapsulation = keyof typeof ENCAP_OVERHEAD;

export interface PodMTUBudget {
  /** The encapsulation with the largest header among those given; undefined for none. */
  readonly encapsulation: TunnelEncapsulation | undefined;
  /** Its header, in bytes (0 without encapsulation). */
  readonly overhead: number;
  /** The MTU pods can use: the underlay MTU less the overhead. */
  readonly mtu: number;
}

/**
 * The tunnels Felix turns on, as its encapsulation resolver decides them: from every pool,
 * disabled ones included (felix/calc/encapsulation_resolver.go:221-267 keys on each pool's CIDR
 * and never reads `disabled`), IPv4 VXLAN and IPv6 VXLAN apart. A pool whose CIDR does not parse
 * never reaches Felix.
 */
export function felixEncapsulations(
  pools: readonly Pick<Pool, "ipipMode" | "vxlanMode" | "cidr">[],
): Set<TunnelEncapsulation> {
  const used = new Set<TunnelEncapsulation>();
  for (const pool of pools) {
    if (!pool.cidr) continue;
    if (pool.ipipMode !== "Never") used.add("ipip");
    if (pool.vxlanMode !== "Never") used.add(pool.cidr.version === 6 ? "vxlan-v6" : "vxlan");
  }
  return used;
}

/**
 * The MTU pods can use inside `underlayMTU` when their packets may take any of
 * `encapsulations`: the largest header decides, as Felix takes the smallest MTU of the tunnels
 * it has on (felix/dataplane/linux/int_dataplane.go:1505-1534, determinePodMTU).
 */
export function podMTUWithin(
  underlayMTU: number,
  encapsulations: Iterable<TunnelEncapsulation>,
): PodMTUBudget {
  let encapsulation: TunnelEncapsulation | undefined;
  for (const e of encapsulations) {
    if (encapsulation === undefined || ENCAP_OVERHEAD[e] > ENCAP_OVERHEAD[encapsulation])
      encapsulation = e;
  }
  const overhead = encapsulation === undefined ? 0 : ENCAP_OVERHEAD[encapsulation];
  return { encapsulation, overhead, mtu: underlayMTU - overhead };
}

/** Where an underlay MTU comes from: declared, a provider's default, or a provider's path limit. */
export type MTUOrigin =
  /** The subnet's own `mtu`. */
  | { readonly kind: "subnet"; readonly subnet: string }
  /** The Cluster's `networking.underlayMTU`. */
  | { readonly kind: "cluster" }
  /** Nothing declared: the provider's figure (providers.ts). */
  | { readonly kind: "provider"; readonly provider: Provider }
  /** AWS: two subnets that hold nodes are in different VPCs, and traffic leaving a VPC is limited. */
  | { readonly kind: "vpc-boundary"; readonly subnets: readonly [string, string] };

/** The underlay MTU the pod MTU is derived from, and where it comes from. */
export interface UnderlayMTU {
  readonly mtu: number;
  readonly origin: MTUOrigin;
  /** The smallest subnet that holds nodes, when the figure is a subnet's. */
  readonly subnet: string | undefined;
}

/** A subnet's underlay MTU: its own `mtu`, else the Cluster's `networking.underlayMTU`, else the provider's. */
export function subnetUnderlayMTU(
  declared: number | undefined,
  cluster: Pick<ClusterModel, "provider" | "underlayMTU" | "underlayMTUExplicit">,
  subnet: string,
): { readonly mtu: number; readonly origin: MTUOrigin } {
  if (declared !== undefined) return { mtu: declared, origin: { kind: "subnet", subnet } };
  if (cluster.underlayMTUExplicit) return { mtu: cluster.underlayMTU, origin: { kind: "cluster" } };
  return { mtu: cluster.underlayMTU, origin: { kind: "provider", provider: cluster.provider } };
}

/**
 * The underlay MTU every path between nodes fits in: the smallest MTU of the subnets that hold
 * nodes (`holding`, in topology order), and on AWS no more than its VPC-boundary limit when those
 * subnets name different `vpc`s (a subnet that names none counts as a VPC of its own).
 */
export function effectiveUnderlayMTU(
  cluster: Pick<ClusterModel, "provider" | "underlayMTU" | "underlayMTUExplicit">,
  holding: readonly Pick<Subnet, "name" | "mtu" | "mtuOrigin" | "vpc">[],
): UnderlayMTU {
  const [first] = holding;
  if (first === undefined) {
    const { mtu, origin } = subnetUnderlayMTU(undefined, cluster, "");
    return { mtu, origin, subnet: undefined };
  }
  let smallest = first;
  for (const s of holding) if (s.mtu < smallest.mtu) smallest = s;
  const boundary = PROVIDERS[cluster.provider].vpcBoundaryMTU;
  const other = holding.find((s) => s.vpc !== first.vpc);
  if (boundary && other && boundary.mtu < smallest.mtu) {
    const subnets = Object.freeze([first.name, other.name] as const);
    const origin = Object.freeze({ kind: "vpc-boundary", subnets } as const);
    return { mtu: boundary.mtu, origin, subnet: undefined };
  }
  return { mtu: smallest.mtu, origin: smallest.mtuOrigin, subnet: smallest.name };
}

/** Where an underlay MTU comes from, in words, with the provider's source when it is theirs. */
export function describeMTUOrigin(origin: MTUOrigin): string {
  switch (origin.kind) {
    case "subnet":
      return `subnet ${origin.subnet}'s mtu`;
    case "cluster":
      return "networking.underlayMTU";
    case "provider": {
      const facts = PROVIDERS[origin.provider];
      return `nothing declares one: ${facts.underlayMTU.what}, the default for provider ${origin.provider} (${facts.underlayMTU.source})`;
    }
    case "vpc-boundary": {
      const limit = AWS_VPC_BOUNDARY_MTU;
      return `subnets ${origin.subnets[0]} and ${origin.subnets[1]} are in different VPCs, and ${limit.what} is ${limit.mtu} (${limit.source})`;
    }
  }
}

/** The same, in a few words, for a finding's message. */
export function shortMTUOrigin(origin: MTUOrigin): string {
  switch (origin.kind) {
    case "subnet":
      return `subnet "${origin.subnet}"`;
    case "cluster":
      return "networking.underlayMTU";
    case "provider":
      return `the default for provider ${origin.provider}: ${PROVIDERS[origin.provider].underlayMTU.what}`;
    case "vpc-boundary":
      return `AWS's limit between subnets "${origin.subnets[0]}" and "${origin.subnets[1]}", in different VPCs`;
  }
}

/** The IP family of the underlay a tunnel's outer packets travel on. */
export const TUNNEL_FAMILY: Readonly<Record<TunnelEncapsulation, IpFamily>> = {
  ipip: 4,
  vxlan: 4,
  "vxlan-v6": 6,
  wireguard: 4,
  "wireguard-v6": 6,
};

/** Each tunnel as messages name it. */
export const ENCAPSULATION_NAME: Readonly<Record<TunnelEncapsulation, string>> = {
  ipip: "IP-in-IP",
  vxlan: "VXLAN",
  "vxlan-v6": "IPv6 VXLAN",
  wireguard: "WireGuard",
  "wireguard-v6": "IPv6 WireGuard",
};

/** What limits the pod MTU: one family's underlay MTU less the largest header on it. */
export interface PodMTULimit extends PodMTUBudget {
  readonly family: IpFamily;
  readonly underlayMTU: number;
}

/**
 * The pod MTU when pods have addresses of `families` and their packets may take any of
 * `tunnels`: for each family, its underlay MTU less the largest header of that family's tunnels
 * (none: the whole underlay MTU); the smallest of those wins, as one veth MTU serves both
 * families. Undefined when no family is in use.
 */
export function podMTULimit(
  underlay: Readonly<Record<IpFamily, number>>,
  families: Iterable<IpFamily>,
  tunnels: Iterable<TunnelEncapsulation>,
): PodMTULimit | undefined {
  const used = new Set(families);
  const list = [...tunnels];
  for (const t of list) used.add(TUNNEL_FAMILY[t]);
  let limit: PodMTULimit | undefined;
  for (const family of FAMILIES) {
    if (!used.has(family)) continue;
    const budget = podMTUWithin(
      underlay[family],
      list.filter((t) => TUNNEL_FAMILY[t] === family),
    );
    if (!limit || budget.mtu < limit.mtu)
      limit = { ...budget, family, underlayMTU: underlay[family] };
  }
  return limit;
}

/** The WireGuard tunnels a Cluster turns on (`networking.wireguard`). */
export function wireguardTunnels(wireguard: {
  readonly ipv4: boolean;
  readonly ipv6: boolean;
}): ("wireguard" | "wireguard-v6")[] {
  return [
    ...(wireguard.ipv4 ? (["wireguard"] as const) : []),
    ...(wireguard.ipv6 ? (["wireguard-v6"] as const) : []),
  ];
}
