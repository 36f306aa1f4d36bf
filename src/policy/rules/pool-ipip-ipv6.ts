import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/** Calico refuses IP-in-IP on an IPv6 pool ("IPIP is not supported on an IPv6 IP pool"). */
export const rule = defineRule({
  id: "pool-ipip-ipv6",
  meta: {
    description: "An IPv6 IPPool turns on IP-in-IP.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      ipv6: 'IPPool "{pool}": ipipMode {ipipMode} on the IPv6 pool {cidr}; IP-in-IP carries only IPv4, so use vxlanMode for IPv6',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (pool.cidr?.version !== 6 || pool.ipipMode === "Never") continue;
      ctx.report({
        messageId: "ipv6",
        data: { pool: pool.name, ipipMode: pool.ipipMode, cidr: pool.cidrText },
        span: pool.source.at(["spec", "ipipMode"]),
        resource: poolResource(pool),
      });
    }
  },
});
