import type { LivePool } from "../../live/snapshot.js";
import type { Pool } from "../../model/types.js";
import { defineLiveRule } from "../live-rule.js";
import { fieldSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/** A field of a pool, as both sides hold it with Calico's defaults filled in. */
const FIELDS: readonly { readonly field: string; readonly value: (p: Pool) => string }[] = [
  { field: "cidr", value: (p) => p.cidr?.canonical ?? p.cidrText },
  { field: "blockSize", value: (p) => String(p.blockSize) },
  { field: "ipipMode", value: (p) => p.ipipMode },
  { field: "vxlanMode", value: (p) => p.vxlanMode },
  { field: "natOutgoing", value: (p) => String(p.natOutgoing) },
  { field: "disabled", value: (p) => String(p.disabled) },
  { field: "disableBGPExport", value: (p) => String(p.disableBGPExport) },
  { field: "nodeSelector", value: (p) => p.nodeSelector?.canonical ?? p.nodeSelectorText },
  { field: "namespaceSelector", value: (p) => p.namespaceSelectorText ?? "" },
  { field: "allowedUses", value: (p) => [...p.allowedUses].sort().join(", ") },
  { field: "assignmentMode", value: (p) => p.assignmentMode },
];

/** A pool of the repository runs differently in the cluster: applying the repository changes it. */
export const rule = defineLiveRule({
  id: "live-pool-drift",
  meta: {
    description:
      "An IPPool of the repository runs with other settings in the cluster (each field compared with Calico's defaults filled in).",
    defaultSeverity: "warning",
    scope: "live",
    category: "live",
    messages: {
      field:
        'IPPool "{pool}": {field} is {live} in the cluster, {repo} in the repository; applying the repository changes it',
    },
  },
  check(model, ctx) {
    const live = new Map<string, LivePool>(ctx.live.pools.map((p) => [p.name, p]));
    for (const pool of model.pools) {
      const there = live.get(pool.name);
      if (!there) continue;
      for (const { field, value } of FIELDS) {
        const repo = value(pool);
        const running = value(there);
        if (repo === running) continue;
        const shown = (v: string) => (v === "" ? "not set" : v);
        ctx.report({
          messageId: "field",
          data: {
            pool: pool.name,
            field: `spec.${field}`,
            live: shown(running),
            repo: shown(repo),
          },
          span: fieldSpan(pool.source, ["spec", field]),
          resource: poolResource(pool),
          related: [
            {
              ...fieldSpan(there.source, ["spec", field], ["metadata", "name"]),
              message: `${there.origin.object}: ${field} ${shown(running)}`,
            },
          ],
        });
      }
    }
  },
});
