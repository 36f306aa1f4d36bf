/**
 * The MTU the repository gives pods next to calico-config's veth_mtu: both MTU live rules read
 * this. veth_mtu 0 (calico.yaml's default) makes Felix detect the MTU from the host's
 * interfaces, which a snapshot does not show: nothing is compared then.
 */
import type { Span } from "../diagnostics/types.js";
import type { LiveSnapshot } from "../live/snapshot.js";
import { podMTUWithin, type PodMTUBudget } from "../model/mtu.js";
import type { Model } from "../model/types.js";
import { underlaySource } from "./underlay-source.js";

export interface MTUComparison {
  readonly live: number;
  readonly liveSpan: Span;
  readonly liveObject: string;
  /** The largest pod MTU the repository's underlay carries with its encapsulations. */
  readonly budget: PodMTUBudget;
  readonly underlay: number;
  /** Where that underlay MTU comes from: declared, the provider's default or its path limit. */
  readonly where: string;
}

export function compareMTU(model: Model, live: LiveSnapshot): MTUComparison | undefined {
  const veth = live.calicoConfig?.vethMTU;
  if (!veth || veth.value === 0) return undefined;
  return {
    live: veth.value,
    liveSpan: veth.origin.span,
    liveObject: veth.origin.object,
    budget: podMTUWithin(model.effectiveUnderlayMTU, model.encapsulations),
    underlay: model.effectiveUnderlayMTU,
    where: underlaySource(model).where,
  };
}

/** Where the repository's underlay MTU comes from (as mtu-exceeds-underlay says it). */
export function underlaySpan(model: Model): Span {
  return underlaySource(model).at;
}
