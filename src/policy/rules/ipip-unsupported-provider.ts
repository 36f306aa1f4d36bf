import { defineRule } from "../rule.js";
import { poolResource } from "../spans.js";

/** Azure's network drops IP protocol 4, so IP-in-IP never arrives; VXLAN (UDP) does. */
export const rule = defineRule({
  id: "ipip-unsupported-provider",
  meta: {
    description: "An enabled IPPool uses IP-in-IP on a provider whose network drops it (Azure).",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      azure:
        'IPPool "{pool}": ipipMode {mode} on Azure, whose network drops IP-in-IP (IP protocol 4); use vxlanMode {mode} and ipipMode Never',
    },
  },
  check(model, ctx) {
    if (model.cluster.provider !== "azure") return;
    for (const pool of model.pools) {
      if (pool.disabled || pool.ipipMode === "Never") continue;
      ctx.report({
        messageId: "azure",
        data: { pool: pool.name, mode: pool.ipipMode },
        span: pool.source.at(["spec", "ipipMode"]),
        resource: poolResource(pool),
        related: [{ ...model.cluster.source.at(["spec", "provider"]), message: "the provider" }],
      });
    }
  },
});
