/**
 * The pod MTU rule, in one place: which tunnels Felix turns on, and what is left of an underlay
 * MTU for pods once a tunnel header is added. The model's derived podMTU, the static-mode tunnel
 * devices and the mtu-exceeds-underlay rule all ask this module.
 */
import { ENCAP_OVERHEAD } from "./defaults.js";
import type { IpFamily, Pool } from "./types.js";

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

/** The IP family of the underlay a tunnel's outer packets travel on. */
export const TUNNEL_FAMILY: Readonly<Record<TunnelEncapsulation, IpFamily>> = {
  ipip: 4,
  vxlan: 4,
  "vxlan-v6": 6,
  wireguard: 4,
  "wireguard-v6": 6,
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
  for (const family of [4, 6] as const) {
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
}): TunnelEncapsulation[] {
  return [
    ...(wireguard.ipv4 ? (["wireguard"] as const) : []),
    ...(wireguard.ipv6 ? (["wireguard-v6"] as const) : []),
  ];
}
