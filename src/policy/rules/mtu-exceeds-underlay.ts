import { ENCAPSULATION_NAME } from "../../model/mtu.js";
import { defineRule } from "../rule.js";
import { podMTUBudget } from "../underlay-source.js";

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
    // The same limit the derived pod MTU takes (mtu.ts): per family, the smallest wins, and
    // the family whose underlay limits names its own origin (a subnet of that family, ...).
    const { budget, underlay, where, at } = podMTUBudget(model);
    const { encapsulation: largest, overhead, mtu: max } = budget;
    if (cluster.podMTU <= max) return;
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
