import { defineRule } from "../rule.js";
import { isPresent } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico refuses an enabled pool whose prefix is longer than its block size: not even one
 * block fits (validator.go and clientv3 ippool.go; disabled pools are exempt).
 */
export const rule = defineRule({
  id: "pool-smaller-than-block",
  meta: {
    description: "An enabled IPPool is smaller than one of its blocks (prefix length > blockSize).",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      tooSmall:
        'IPPool "{pool}": cidr {cidr} is smaller than one /{blockSize} block, and Calico refuses an enabled pool that cannot hold a block; use a larger cidr or a blockSize of at least {prefix}',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (!pool.cidr || pool.disabled || pool.cidr.prefix <= pool.blockSize) continue;
      const related = isPresent(pool.source, ["spec", "blockSize"])
        ? [{ ...pool.source.at(["spec", "blockSize"]), message: "the block size is set here" }]
        : [];
      ctx.report({
        messageId: "tooSmall",
        data: {
          pool: pool.name,
          cidr: pool.cidrText,
          blockSize: pool.blockSize,
          prefix: pool.cidr.prefix,
        },
        span: pool.source.at(["spec", "cidr"]),
        resource: poolResource(pool),
        related,
      });
    }
  },
});
