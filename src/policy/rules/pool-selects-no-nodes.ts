import { defineRule } from "../rule.js";
import { fieldSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/** An enabled workload pool that selects no node hands out no address: usually a typo. */
export const rule = defineRule({
  id: "pool-selects-no-nodes",
  meta: {
    description: "An enabled workload IPPool's nodeSelector selects none of the topology's nodes.",
    defaultSeverity: "warning",
    category: "topology",
    needsEvery: ["Topology"],
    messages: {
      none: 'IPPool "{pool}": nodeSelector {selector} selects none of the {count} nodes, so no pod gets an address from this pool',
    },
  },
  check(model, ctx) {
    const count = model.topology.nodes.length;
    if (count === 0) return;
    for (const pool of model.pools) {
      if (pool.disabled || !pool.nodeSelector || !pool.allowedUses.includes("Workload")) continue;
      if ((model.nodesByPool.get(pool.name) ?? []).length > 0) continue;
      ctx.report({
        messageId: "none",
        data: { pool: pool.name, selector: pool.nodeSelectorText || "all()", count },
        span: fieldSpan(pool.source, ["spec", "nodeSelector"]),
        resource: poolResource(pool),
      });
    }
  },
});
