import type { Pool } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Two IPPools with one name: `kubectl apply` and `calicoctl apply` turn the second into an
 * update of the first, so one silently replaces the other (or fails on its CIDR).
 */
export const rule = defineRule({
  id: "pool-duplicate-name",
  meta: {
    description: "Two IPPools have the same name.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      duplicate:
        'IPPool "{pool}" is defined more than once; applying both makes the second an update of the first',
    },
  },
  check(model, ctx) {
    const first = new Map<string, Pool>();
    for (const pool of model.pools) {
      const earlier = first.get(pool.name);
      if (!earlier) {
        first.set(pool.name, pool);
        continue;
      }
      ctx.report({
        messageId: "duplicate",
        data: { pool: pool.name },
        span: pool.source.at(["metadata", "name"]),
        resource: poolResource(pool),
        related: [{ ...earlier.source.at(["metadata", "name"]), message: "first defined here" }],
      });
    }
  },
});
