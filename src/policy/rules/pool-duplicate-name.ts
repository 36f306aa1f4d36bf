import type { Rule } from "../rule.js";

/** Two IPPools with one name: Calico keeps one, and which one depends on apply order. */
export const rule: Rule = {
  id: "pool-duplicate-name",
  meta: {
    description: "Two IPPools have the same name.",
    defaultSeverity: "error",
    messages: {
      duplicate:
        'IPPool "{pool}" is defined more than once; the second definition would replace the first',
    },
  },
  check(model, ctx) {
    const first = new Map<string, (typeof model.pools)[number]>();
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
        resource: `IPPool/${pool.name}`,
        related: [{ ...earlier.source.at(["metadata", "name"]), message: "first defined here" }],
      });
    }
  },
};
