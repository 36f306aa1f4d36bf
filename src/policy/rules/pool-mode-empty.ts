import { CRD_API_VERSION } from "../../model/resolve.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * `ipipMode: ""` and `vxlanMode: ""` are accepted by Calico and mean Never: clientv3 fills in
 * Never before it validates or stores the pool. Worth an info: an empty mode usually means a
 * template left a value out.
 */
export const rule = defineRule({
  id: "pool-mode-empty",
  meta: {
    description: 'An IPPool writes ipipMode or vxlanMode as "", which Calico reads as Never.',
    defaultSeverity: "info",
    category: "calico",
    needsEvery: [],
    waivable: true,
    messages: {
      empty:
        'IPPool "{pool}": {field} "" means Never to Calico (it fills in Never and stores that); write {field}: Never, or the mode you meant',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      for (const field of ["ipipMode", "vxlanMode"] as const) {
        if (pool.written[field] !== "") continue;
        // A v1 object's `ipip` field decides its ipipMode instead (pool-legacy-field says so).
        if (field === "ipipMode" && pool.apiVersion === CRD_API_VERSION && pool.written.ipip)
          continue;
        ctx.report({
          messageId: "empty",
          data: { pool: pool.name, field },
          span: pool.source.at(["spec", field]),
          resource: poolResource(pool),
        });
      }
    }
  },
});
