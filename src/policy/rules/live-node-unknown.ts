import { modelFamilies } from "../../live/compare.js";
import type { LiveNode } from "../../live/snapshot.js";
import type { Subnet } from "../../model/types.js";
import { defineLiveRule } from "../live-rule.js";
import { liveRelated, namesText, subnetOf, topologyPlace, type NonEmpty } from "../live-helpers.js";
import { nodeResource } from "../../model/resources.js";

/** Nodes the cluster runs that the Topology does not list: nothing netcompile checks covers them. */
export const rule = defineLiveRule({
  id: "live-node-unknown",
  meta: {
    description:
      "A node runs in the cluster but is not in the Topology, so no check of netcompile covers it.",
    defaultSeverity: "warning",
    scope: "live",
    category: "live",
    messages: {
      subnet:
        'the cluster runs {nodes} in subnet "{subnet}" that the Topology does not list: netcompile checks nothing about them; add them (or raise the count of their node group)',
      outside:
        "the cluster runs {nodes} at addresses in no subnet of the Topology (e.g. {address}): netcompile checked no pool or route of that network; add the subnet and the nodes",
    },
  },
  check(model, ctx) {
    const known = new Set(model.topology.nodes.map((n) => n.name));
    const families = new Set(model.topology.nodes.flatMap(modelFamilies));
    const bySubnet = new Map<Subnet | undefined, NonEmpty<LiveNode>>();
    for (const live of ctx.live.nodes.values()) {
      if (known.has(live.name)) continue;
      const address =
        (families.has(6) && !families.has(4) ? live.address[6] : undefined) ??
        live.address[4] ??
        live.address[6];
      const subnet = address && subnetOf(model, address.address);
      const list = bySubnet.get(subnet);
      if (list) list.push(live);
      else bySubnet.set(subnet, [live]);
    }
    for (const [subnet, nodes] of bySubnet) {
      const [first] = nodes;
      const related = nodes.slice(0, 3).map((n) => liveRelated(n.origin, "not in the Topology"));
      const names = namesText(nodes.map((n) => n.name));
      if (subnet) {
        ctx.report({
          messageId: "subnet",
          data: { nodes: names, subnet: subnet.name },
          span: topologyPlace(model, subnet),
          resource: nodeResource(first),
          related,
        });
      } else {
        const address = first.address[4] ?? first.address[6];
        ctx.report({
          messageId: "outside",
          data: { nodes: names, address: address?.address.text ?? "none" },
          span: topologyPlace(model, undefined),
          resource: nodeResource(first),
          related,
        });
      }
    }
  },
});
