import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico refuses a pool with both ipipMode and vxlanMode other than Never ("Cannot enable
 * both VXLAN and IPIP on the same IPPool", clientv3 ippool.go); CrossSubnet counts as on.
 */
export const rule = defineRule({
  id: "pool-encapsulation-exclusive",
  meta: {
    description: "An IPPool turns on both IP-in-IP and VXLAN.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      both: 'IPPool "{pool}": ipipMode {ipipMode} and vxlanMode {vxlanMode} are both on; one pool cannot mix encapsulations, so set one of them to Never',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (pool.ipipMode === "Never" || pool.vxlanMode === "Never") continue;
      ctx.report({
        messageId: "both",
        data: { pool: pool.name, ipipMode: pool.ipipMode, vxlanMode: pool.vxlanMode },
        span: pool.source.at(["spec", "vxlanMode"]),
        resource: poolResource(pool),
        related: [{ ...pool.source.at(["spec", "ipipMode"]), message: "ipipMode is set here" }],
      });
    }
  },
});
