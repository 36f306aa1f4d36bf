import { DNS1123_SUBDOMAIN } from "../calico-limits.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/** Calico (validateObjectMeta) and Kubernetes accept only DNS-1123 subdomains as names. */
export const rule = defineRule({
  id: "pool-name-invalid",
  meta: {
    description: "An IPPool's name is not a DNS-1123 subdomain.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      invalid:
        'IPPool name "{pool}" is not a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (DNS1123_SUBDOMAIN.test(pool.name)) continue;
      ctx.report({
        messageId: "invalid",
        data: { pool: pool.name },
        span: pool.source.at(["metadata", "name"]),
        resource: poolResource(pool),
      });
    }
  },
});
