import { overlappingPairs } from "../../model/cidr.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico refuses to create a pool whose CIDR overlaps another pool's, disabled or not
 * ("IPPool(a) CIDR overlaps with IPPool(b) CIDR ...", clientv3 ippool.go). Pools with the
 * same name are pool-duplicate-name's business, as Calico skips them here too.
 */
export const rule = defineRule({
  id: "pool-overlap",
  meta: {
    description: "Two IPPools' CIDRs overlap.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      overlap:
        'IPPool "{pool}": cidr {cidr} overlaps IPPool "{other}" ({otherCidr}); Calico refuses to create the second of two overlapping pools',
    },
  },
  check(model, ctx) {
    for (const [first, second] of overlappingPairs(model.pools, (p) => p.cidr)) {
      if (first.name === second.name) continue;
      ctx.report({
        messageId: "overlap",
        data: {
          pool: second.name,
          cidr: second.cidrText,
          other: first.name,
          otherCidr: first.cidrText,
        },
        span: second.source.at(["spec", "cidr"]),
        resource: poolResource(second),
        related: [{ ...first.source.at(["spec", "cidr"]), message: `IPPool "${first.name}"` }],
      });
    }
  },
});
