import { nodeAddress, poolFamily } from "../../model/families.js";
import type { Node } from "../../model/types.js";
import { PROVIDERS } from "../../model/providers.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * IP-in-IP Always also wraps packets between nodes of one subnet, which reach each other
 * directly; CrossSubnet wraps only what crosses a router. Not where the provider's fabric drops
 * that direct traffic (GCE, unless the underlay routes workload addresses) or IP-in-IP itself
 * (Azure): there the advice would contradict the error beside it.
 */
export const rule = defineRule({
  id: "ipip-cross-subnet-preferred",
  meta: {
    description: "An IPPool uses ipipMode Always although some of its nodes share a subnet.",
    defaultSeverity: "info",
    category: "topology",
    needsEvery: [],
    messages: {
      preferCrossSubnet:
        'IPPool "{pool}" wraps every packet in IP-in-IP (ipipMode Always), but some of its nodes share a subnet (e.g. "{nodeA}" and "{nodeB}" in "{subnet}"); ipipMode CrossSubnet sends their traffic directly, without the 20 bytes of overhead',
    },
  },
  check(model, ctx) {
    const { dropsIPIP, dropsUnroutedPodTraffic } = PROVIDERS[model.cluster.provider];
    if (dropsIPIP) return;
    if (dropsUnroutedPodTraffic && !model.topology.routesWorkloadIPs) return;
    for (const pool of model.pools) {
      if (pool.ipipMode !== "Always") continue;
      const seen = new Map<string, Node>();
      for (const node of model.nodesByPool.get(pool.name) ?? []) {
        const subnet = nodeAddress(node, poolFamily(pool))?.subnet;
        if (!subnet) continue;
        const other = seen.get(subnet.name);
        if (!other) {
          seen.set(subnet.name, node);
          continue;
        }
        ctx.report({
          messageId: "preferCrossSubnet",
          data: { pool: pool.name, nodeA: other.name, nodeB: node.name, subnet: subnet.name },
          span: pool.source.at(["spec", "ipipMode"]),
          resource: poolResource(pool),
        });
        break;
      }
    }
  },
});
