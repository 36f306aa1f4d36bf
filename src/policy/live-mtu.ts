/**
 * The MTU the repository gives pods next to calico-config's veth_mtu: both MTU live rules read
 * this. veth_mtu 0 (calico.yaml's default) makes Felix detect the MTU from the host's
 * interfaces, which a snapshot does not show: nothing is compared then. The budget is the one
 * the repository's own pod MTU takes (model/mtu.ts podMTULimit): per IP family, its underlay
 * less the largest header of the tunnels Felix turns on, WireGuard's included
 * (felix/dataplane/linux/int_dataplane.go:1505-1533), the smallest family winning.
 */
import type { Span } from "../diagnostics/types.js";
import type { LiveSnapshot } from "../live/snapshot.js";
import { ENCAPSULATION_NAME, type PodMTUBudget } from "../model/mtu.js";
import type { Model } from "../model/types.js";
import { podMTUBudget } from "./underlay-source.js";

export interface MTUComparison {
  readonly live: number;
  readonly liveSpan: Span;
  readonly liveObject: string;
  /** The largest pod MTU the repository's underlay carries with its tunnels. */
  readonly budget: PodMTUBudget;
  /** The tunnel that sets the budget as messages name it ("no encapsulation" when none). */
  readonly encapsulation: string;
  readonly underlay: number;
  /** Where that underlay MTU comes from: declared, the provider's default or its path limit. */
  readonly where: string;
  /** Where the repository says it. */
  readonly underlayAt: Span;
}

export function compareMTU(model: Model, live: LiveSnapshot): MTUComparison | undefined {
  const veth = live.calicoConfig?.vethMTU;
  if (!veth || veth.value === 0) return undefined;
  const { budget, underlay, where, at } = podMTUBudget(model);
  return {
    live: veth.value,
    liveSpan: veth.origin.span,
    liveObject: veth.origin.object,
    budget,
    encapsulation: budget.encapsulation
      ? ENCAPSULATION_NAME[budget.encapsulation]
      : "no encapsulation",
    underlay,
    where,
    underlayAt: at,
  };
}
