/**
 * The MTU the repository gives pods next to calico-config's veth_mtu: both MTU live rules read
 * this. veth_mtu 0 (calico.yaml's default) makes Felix detect the MTU from the host's
 * interfaces, which a snapshot does not show: nothing is compared then.
 */
import type { Span } from "../diagnostics/types.js";
import type { LiveSnapshot } from "../live/snapshot.js";
import { podMTUWithin, type PodMTUBudget } from "../model/mtu.js";
import type { Model } from "../model/types.js";
import { fieldSpan } from "./spans.js";

export interface MTUComparison {
  readonly live: number;
  readonly liveSpan: Span;
  readonly liveObject: string;
  /** The largest pod MTU the repository's underlay carries with its encapsulations. */
  readonly budget: PodMTUBudget;
  readonly underlay: number;
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
  };
}

/** Where the repository's underlay MTU is written: the smallest subnet's own mtu, or the Cluster's. */
export function underlaySpan(model: Model): Span {
  const subnet = model.topology.subnets.find(
    (s) =>
      s.mtuExplicit &&
      s.mtu === model.effectiveUnderlayMTU &&
      model.topology.nodes.some((n) => n.subnet === s),
  );
  if (subnet) return subnet.source.at(["mtu"]);
  return fieldSpan(model.cluster.source, ["spec", "networking", "underlayMTU"]);
}
