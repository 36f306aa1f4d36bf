import { PrefixEffects, prefixDifferences } from "../../live/compare.js";
import { defineLiveRule } from "../live-rule.js";
import { byGroup, liveRelated, whoText } from "../live-helpers.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/**
 * The blackhole of CrossSubnet: calico-node detected a prefix wider than the node's real subnet,
 * so Felix and BIRD take nodes behind the router for neighbours and send their pods' packets
 * unencapsulated to a router that cannot route pod addresses.
 */
export const rule = defineLiveRule({
  id: "live-prefix-wider",
  meta: {
    description:
      "A node's live prefix (projectcalico.org/IPv4Address) is wider than its Topology subnet, so CrossSubnet traffic to other subnets leaves unencapsulated across a router that does not route pod addresses.",
    defaultSeverity: "error",
    scope: "live",
    category: "live",
    messages: {
      direct:
        '{who} detected {live}, wider than subnet "{subnet}" ({cidr}): Felix and BIRD send {pairs} of pool {pools} unencapsulated across the router, which does not route pod addresses, e.g. {from} -> {to}: that traffic is dropped',
    },
  },
  check(model, ctx) {
    if (model.topology.routesWorkloadIPs) return;
    const effects = new PrefixEffects(model, ctx.live);
    const wider = prefixDifferences(model, ctx.live).filter((d) => d.relation === "wider");
    for (const set of byGroup(wider, (d) => `${d.family}|${d.address.prefix.canonical}`)) {
      const [first] = set;
      const effect = effects.effect(
        set.map((d) => d.node),
        first.address.prefix,
        first.subnet.cidr,
        first.family,
      );
      if (effect.direct === 0 || !effect.directExample) continue;
      const [from, to] = effect.directExample;
      ctx.report({
        messageId: "direct",
        data: {
          who: whoText(set.map((d) => d.node)),
          live: first.address.text,
          subnet: first.subnet.name,
          cidr: first.subnet.cidr.canonical,
          pairs: ctx.countText(effect.direct, "node pair"),
          pools: effect.pools.join(", "),
          from: from.name,
          to: to.name,
        },
        span: nodeFieldSpan(first.node, "address"),
        resource: nodeResource(first.node),
        related: [
          liveRelated(first.address.origin, `${first.address.field} ${first.address.text}`),
        ],
      });
    }
  },
});
