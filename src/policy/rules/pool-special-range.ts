import { cidrOverlaps } from "../../model/cidr.js";
import { SPECIAL_RANGES } from "../calico-limits.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Loopback, multicast and "this network" addresses are not routed like unicast addresses, so
 * pods there are unreachable. Calico accepts such pools; netcompile does not.
 */
export const rule = defineRule({
  id: "pool-special-range",
  meta: {
    description:
      "An IPPool overlaps a range that cannot hold workload addresses (loopback, multicast, 0.0.0.0/8, ::1, ff00::/8), or is a whole address space.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      wholeSpace:
        'IPPool "{pool}": cidr {cidr} is the whole IPv{version} address space, including loopback, multicast and the nodes\' own addresses; use a private range',
      special:
        'IPPool "{pool}": cidr {cidr} overlaps the {name} range {range}, whose addresses are not routed like unicast addresses',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      const cidr = pool.cidr;
      if (!cidr) continue;
      const span = pool.source.at(["spec", "cidr"]);
      const resource = poolResource(pool);
      if (cidr.prefix === 0) {
        ctx.report({
          messageId: "wholeSpace",
          data: { pool: pool.name, cidr: pool.cidrText, version: cidr.version },
          span,
          resource,
        });
        continue;
      }
      for (const range of SPECIAL_RANGES) {
        if (!cidrOverlaps(cidr, range.cidr)) continue;
        ctx.report({
          messageId: "special",
          data: {
            pool: pool.name,
            cidr: pool.cidrText,
            name: range.name,
            range: range.cidr.canonical,
          },
          span,
          resource,
        });
      }
    }
  },
});
