/**
 * The pod MTU rule, in one place: what is left of an underlay MTU for pods once a tunnel
 * header is added. The model's derived podMTU, the static-mode tunnel devices and the
 * mtu-exceeds-underlay rule all ask this function.
 */
import { ENCAP_OVERHEAD } from "./defaults.js";

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
 * The MTU pods can use inside `underlayMTU` when their packets may take any of
 * `encapsulations`: the largest header decides.
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
