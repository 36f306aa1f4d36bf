import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico refuses a pool CIDR with host bits set ("IPPool CIDR is not strictly masked",
 * clientv3 ippool.go); it does not mask it silently.
 */
export const rule = defineRule({
  id: "pool-cidr-not-masked",
  meta: {
    description: "An IPPool's cidr has bits set below its prefix length.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      notMasked:
        'IPPool "{pool}": cidr {cidr} has host bits set, and Calico refuses it ("IPPool CIDR is not strictly masked"); write {masked}',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (!pool.cidr?.hostBitsSet) continue;
      ctx.report({
        messageId: "notMasked",
        data: { pool: pool.name, cidr: pool.cidrText, masked: pool.cidr.canonical },
        span: pool.source.at(["spec", "cidr"]),
        resource: poolResource(pool),
      });
    }
  },
});
