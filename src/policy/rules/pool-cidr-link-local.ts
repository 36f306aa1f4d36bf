import { cidrOverlaps } from "../../model/cidr.js";
import { LINK_LOCAL } from "../calico-limits.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico refuses a pool that overlaps the link-local range of its family, in either
 * direction: 169.254.0.0/16 or fe80::/10 (clientv3 ippool.go, validator.go).
 */
export const rule = defineRule({
  id: "pool-cidr-link-local",
  meta: {
    description: "An IPPool overlaps the link-local range 169.254.0.0/16 or fe80::/10.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      linkLocal:
        'IPPool "{pool}": cidr {cidr} overlaps the IPv{version} link-local range {range}, which Calico refuses',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (!pool.cidr) continue;
      const range = LINK_LOCAL[pool.cidr.version];
      if (!cidrOverlaps(pool.cidr, range)) continue;
      ctx.report({
        messageId: "linkLocal",
        data: {
          pool: pool.name,
          cidr: pool.cidrText,
          version: pool.cidr.version,
          range: range.canonical,
        },
        span: pool.source.at(["spec", "cidr"]),
        resource: poolResource(pool),
      });
    }
  },
});
