import { BLOCK_SIZE_RANGE } from "../calico-limits.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico's clientv3 refuses block sizes outside 20-32 (IPv4) and 116-128 (IPv6), on
 * disabled pools too; 0 means the default (26 or 122).
 */
export const rule = defineRule({
  id: "pool-block-size-range",
  meta: {
    description: "An IPPool's blockSize is outside 20-32 (IPv4) or 116-128 (IPv6).",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      outOfRange:
        'IPPool "{pool}": blockSize {blockSize} is outside {min}-{max}, the block sizes Calico allows for an IPv{version} pool',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (!pool.cidr) continue;
      const { min, max } = BLOCK_SIZE_RANGE[pool.cidr.version];
      if (pool.blockSize >= min && pool.blockSize <= max) continue;
      ctx.report({
        messageId: "outOfRange",
        data: { pool: pool.name, blockSize: pool.blockSize, min, max, version: pool.cidr.version },
        span: pool.source.at(["spec", "blockSize"]),
        resource: poolResource(pool),
      });
    }
  },
});
