import type { IpFamily, Model, Subnet } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { fieldSpan, isPresent } from "../spans.js";

const ENCAPSULATION_NAME = {
  ipip: "IP-in-IP",
  vxlan: "VXLAN",
  "vxlan-v6": "IPv6 VXLAN",
  wireguard: "WireGuard",
  "wireguard-v6": "IPv6 WireGuard",
} as const;

/**
 * A pod MTU larger than the underlay can carry (after the tunnel header) means dropped or
 * fragmented packets — the classic "small pings work, big transfers hang".
 */
export const rule = defineRule({
  id: "mtu-exceeds-underlay",
  meta: {
    description:
      "The Cluster's networking.podMTU is above the smallest underlay MTU minus the encapsulation overhead (IP-in-IP 20, VXLAN 50, IPv6 VXLAN 70, WireGuard 60, IPv6 WireGuard 80), per IP family.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: ["Topology", "IPPool"],
    messages: {
      withEncapsulation:
        "podMTU {podMTU} does not fit: the smallest underlay MTU is {underlay} ({where}) and {encapsulation} adds {overhead} bytes, so pods can use at most {max}; larger packets are dropped or fragmented",
      withoutEncapsulation:
        "podMTU {podMTU} is above the smallest underlay MTU, {underlay} ({where}); larger packets are dropped or fragmented",
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    if (cluster.podMTU === undefined) return;
    // The same limit the derived pod MTU takes (mtu.ts): per family, the smallest wins.
    const limit = model.podMTULimit;
    const underlay = limit?.underlayMTU ?? model.effectiveUnderlayMTU;
    const largest = limit?.encapsulation;
    const overhead = limit?.overhead ?? 0;
    const max = limit?.mtu ?? underlay;
    if (cluster.podMTU <= max) return;
    const { where, at } = underlaySource(model, underlay, limit?.family);
    const span = cluster.source.at(["spec", "networking", "podMTU"]);
    const resource = `Cluster/${cluster.metadata.name}`;
    const related = [{ ...at, message: `the underlay MTU ${underlay}` }];
    if (largest) {
      ctx.report({
        messageId: "withEncapsulation",
        data: {
          podMTU: cluster.podMTU,
          underlay,
          where,
          encapsulation: ENCAPSULATION_NAME[largest],
          overhead,
          max,
        },
        span,
        resource,
        related,
      });
    } else {
      ctx.report({
        messageId: "withoutEncapsulation",
        data: { podMTU: cluster.podMTU, underlay, where },
        span,
        resource,
        related,
      });
    }
  },
});

/** Where the smallest underlay MTU comes from: a subnet's own mtu (of the family), or the Cluster's. */
function underlaySource(
  model: Model,
  underlay: number,
  family: IpFamily | undefined,
): { where: string; at: ReturnType<typeof fieldSpan> } {
  const holding = new Set<Subnet>();
  for (const node of model.topology.nodes) {
    for (const a of [node.ipv4, node.ipv6])
      if (a?.subnet && (family === undefined || a.family === family)) holding.add(a.subnet);
  }
  // A family without subnets of its own takes the smallest of all (resolve.ts underlayMTUs).
  if (holding.size === 0 && family !== undefined) return underlaySource(model, underlay, undefined);
  const subnet = model.topology.subnets.find(
    (s) => holding.has(s) && s.mtu === underlay && s.mtuExplicit,
  );
  if (subnet) return { where: `subnet "${subnet.name}"`, at: subnet.source.at(["mtu"]) };
  const path = ["spec", "networking", "underlayMTU"];
  return isPresent(model.cluster.source, path)
    ? { where: "networking.underlayMTU", at: model.cluster.source.at(path) }
    : { where: "the default underlayMTU", at: fieldSpan(model.cluster.source, path) };
}
