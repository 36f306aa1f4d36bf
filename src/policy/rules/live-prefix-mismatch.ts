import { PrefixEffects, prefixDifferences } from "../../live/compare.js";
import { defineLiveRule } from "../live-rule.js";
import { byGroup, liveRelated, whoText } from "../live-helpers.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/**
 * Every other way a live prefix disagrees with the Topology subnet: narrower (Felix encapsulates
 * what netcompile routes directly), a host prefix (the node is alone in its subnet), or wider
 * where no traffic is dropped today (live-prefix-wider reports the drops).
 */
export const rule = defineLiveRule({
  id: "live-prefix-mismatch",
  meta: {
    description:
      "A node's live prefix differs from its Topology subnet without dropping traffic: narrower or a host prefix (always encapsulated), or wider where no CrossSubnet traffic crosses a router today.",
    defaultSeverity: "warning",
    scope: "live",
    category: "live",
    messages: {
      narrower:
        '{who} detected {live}, narrower than subnet "{subnet}" ({cidr}): Felix encapsulates {pairs} that netcompile routes directly{example}',
      host: '{who} detected {live}, a host prefix: Felix takes it as alone in its subnet, not in subnet "{subnet}" ({cidr}), and encapsulates {pairs} that netcompile routes directly',
      wider:
        '{who} detected {live}, wider than subnet "{subnet}" ({cidr}); no traffic changes today ({why}), but the Topology does not match what Calico sees',
    },
  },
  check(model, ctx) {
    const effects = new PrefixEffects(model, ctx.live);
    const routed = model.topology.routesWorkloadIPs;
    for (const set of byGroup(
      prefixDifferences(model, ctx.live),
      (d) => `${d.family}|${d.address.prefix.canonical}`,
    )) {
      const [first] = set;
      const nodes = set.map((d) => d.node);
      const effect = effects.effect(nodes, first.address.prefix, first.subnet.cidr, first.family);
      const common = {
        who: whoText(nodes),
        live: first.address.text,
        subnet: first.subnet.name,
        cidr: first.subnet.cidr.canonical,
      };
      const where = {
        span: nodeFieldSpan(first.node, "address"),
        resource: nodeResource(first.node),
        related: [
          liveRelated(first.address.origin, `${first.address.field} ${first.address.text}`),
        ],
      };
      if (first.relation === "wider") {
        if (effect.direct > 0 && !routed) continue; // live-prefix-wider's
        const why = routed
          ? "the underlay routes pod addresses (routesWorkloadIPs: true)"
          : "no node behind the router that a CrossSubnet pool serves is inside it";
        ctx.report({ messageId: "wider", data: { ...common, why }, ...where });
        continue;
      }
      const full = first.address.prefix.prefix === (first.family === 4 ? 32 : 128);
      const pairs = ctx.countText(effect.encapsulated, "node pair");
      if (full) {
        ctx.report({ messageId: "host", data: { ...common, pairs }, ...where });
        continue;
      }
      const pair = effect.encapsulatedExample;
      const example = pair ? `, e.g. ${pair[0].name} -> ${pair[1].name}` : "";
      ctx.report({ messageId: "narrower", data: { ...common, pairs, example }, ...where });
    }
  },
});
