/**
 * The pod MTU rule, in one place: which tunnels Felix turns on, and what is left of an underlay
 * MTU for pods once a tunnel header is added. The model's derived podMTU, the static-mode tunnel
 * devices and the mtu-exceeds-underlay rule all ask this module.
 */
import { ENCAP_OVERHEAD } from "./defaults.js";
import type { Pool } from "./types.js";

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
