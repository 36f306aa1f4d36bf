import type { Cidr } from "../../model/cidr.js";
import type { Pool } from "../../model/types.js";
import type { Rule } from "../rule.js";
import { poolResource } from "../spans.js";

/**
 * Calico refuses to create a pool whose CIDR overlaps another pool's, disabled or not
 * ("IPPool(a) CIDR overlaps with IPPool(b) CIDR ...", clientv3 ippool.go). Pools with the
 * same name are pool-duplicate-name's business, as Calico skips them here too.
 */
export const rule: Rule = {
  id: "pool-overlap",
  meta: {
    description: "Two IPPools' CIDRs overlap.",
    defaultSeverity: "error",
    category: "calico",
    messages: {
      overlap:
        'IPPool "{pool}": cidr {cidr} overlaps IPPool "{other}" ({otherCidr}); Calico refuses to create the second of two overlapping pools',
    },
  },
  check(model, ctx) {
    const order = new Map(model.pools.map((p, i) => [p, i]));
    // Sorted by start, a pool can only overlap the ones after it that start before it ends.
    const sorted = model.pools
      .filter((p): p is Pool & { cidr: Cidr } => p.cidr !== undefined)
      .sort(
        (a, b) =>
          a.cidr.version - b.cidr.version ||
          (a.cidr.start < b.cidr.start ? -1 : a.cidr.start > b.cidr.start ? 1 : 0) ||
          order.get(a)! - order.get(b)!,
      );
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length; j++) {
        const b = sorted[j]!;
        if (b.cidr.version !== a.cidr.version || b.cidr.start > a.cidr.end) break;
        if (a.name === b.name) continue;
        // Report on the one written later; the earlier one is the related location.
        const [first, second] = order.get(a)! < order.get(b)! ? [a, b] : [b, a];
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
    }
  },
};
