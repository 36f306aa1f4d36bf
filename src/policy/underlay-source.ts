/**
 * Where the underlay MTU the pod MTU is derived from comes from (model.underlayMTU.origin, or one
 * family's from model.familyUnderlay), in a few words and as the place to point at: the rules
 * that compare an MTU with it (repository and live) name the same origin and the same place.
 */
import type { Span } from "../diagnostics/types.js";
import { shortMTUOrigin, type PodMTUBudget, type UnderlayMTU } from "../model/mtu.js";
import type { Model } from "../model/types.js";
import { fieldSpan } from "./spans.js";

export function underlaySource(
  model: Model,
  underlay: UnderlayMTU = model.underlayMTU,
): { readonly where: string; readonly at: Span } {
  const { origin } = underlay;
  const where = shortMTUOrigin(origin);
  const subnetSpan = (name: string, field: string) => {
    const subnet = model.topology.subnets.find((s) => s.name === name);
    return subnet
      ? fieldSpan(subnet.source, [field], ["name"])
      : fieldSpan(model.cluster.source, ["spec", "networking", "underlayMTU"]);
  };
  switch (origin.kind) {
    case "subnet":
      return { where, at: subnetSpan(origin.subnet, "mtu") };
    case "cluster":
      return { where, at: model.cluster.source.at(["spec", "networking", "underlayMTU"]) };
    case "provider":
      return { where, at: fieldSpan(model.cluster.source, ["spec", "provider"]) };
    case "vpc-boundary":
      return { where, at: subnetSpan(origin.subnets[1], "vpc") };
  }
}

/**
 * The budget the repository's pod MTU takes (model.podMTULimit: the limiting family's underlay
 * less its largest tunnel header; without one, the whole underlay) and where that underlay
 * comes from: what mtu-exceeds-underlay and the live MTU rules compare with.
 */
export function podMTUBudget(model: Model) {
  const limit = model.podMTULimit;
  const underlay = limit ? model.familyUnderlay[limit.family] : model.underlayMTU;
  const budget: PodMTUBudget = limit ?? {
    encapsulation: undefined,
    overhead: 0,
    mtu: underlay.mtu,
  };
  return {
    budget,
    underlay: underlay.mtu,
    ...underlaySource(model, underlay),
  };
}
