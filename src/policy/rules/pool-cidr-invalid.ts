import type { Rule } from "../rule.js";

/** Calico: spec.cidr is required and must parse as a CIDR (validator.go, validateIPPoolSpec). */
export const rule: Rule = {
  id: "pool-cidr-invalid",
  meta: {
    description: "An IPPool's cidr is missing or is not a CIDR.",
    defaultSeverity: "error",
    messages: {
      invalid:
        'IPPool "{pool}": cidr "{cidr}" is not a CIDR (expected an address and a prefix length, e.g. 192.168.0.0/16)',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (pool.cidr) continue;
      ctx.report({
        messageId: "invalid",
        data: { pool: pool.name, cidr: pool.cidrText },
        span: pool.source.at(["spec", "cidr"]),
        resource: `IPPool/${pool.name}`,
      });
    }
  },
};
