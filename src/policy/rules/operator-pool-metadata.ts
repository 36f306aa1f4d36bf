import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/** Rendered output sets this label itself, and netcompile.dev/ annotations are netcompile's own. */
const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
const NETCOMPILE_ANNOTATION_PREFIX = "netcompile.dev/";

/**
 * The operator makes each pool from an Installation ipPools entry, which has no metadata: the
 * pool it creates carries only the operator's managed-by label (tigera/operator v1.40.15
 * pkg/controller/ippool/pool_controller.go ToProjectCalicoV1). A pool's own labels and
 * annotations stay in the repository (Policy documents still see them); this says so.
 */
export const rule = defineRule({
  id: "operator-pool-metadata",
  meta: {
    description:
      "With install: operator, an IPPool has labels or annotations, which the pools the operator creates do not carry.",
    defaultSeverity: "info",
    category: "operator",
    // Each pool's own metadata.
    needsEvery: [],
    // The pool works as written; only its metadata stays behind, which a reviewer may accept.
    waivable: true,
    messages: {
      dropped:
        'IPPool "{pool}": metadata.{field} ({keys}) stay in this repository; the operator creates the pool with only its own label (app.kubernetes.io/managed-by: tigera-operator), so the pool in the cluster will not carry them',
    },
  },
  check(model, ctx) {
    if (model.cluster.install !== "operator") return;
    for (const pool of model.pools) {
      const kept = {
        labels: Object.keys(pool.metadata.labels).filter((k) => k !== MANAGED_BY_LABEL),
        annotations: Object.keys(pool.metadata.annotations).filter(
          (k) => !k.startsWith(NETCOMPILE_ANNOTATION_PREFIX),
        ),
      };
      for (const field of ["labels", "annotations"] as const) {
        if (kept[field].length === 0) continue;
        ctx.report({
          messageId: "dropped",
          data: { pool: pool.name, field, keys: kept[field].sort().join(", ") },
          span: pool.source.at(["metadata", field]),
          resource: poolResource(pool),
        });
      }
    }
  },
});
