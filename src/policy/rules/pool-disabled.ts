import { definePlanRule } from "../plan-rule.js";
import { acknowledgementSpan } from "../spans.js";

/**
 * An enabled pool is disabled while some of its nodes have no other enabled pool of its IP
 * version: Calico's IPAM then has nothing to give new workloads there. Disabling is the normal
 * first step of a migration, so it is disruptive only for the nodes left with nothing.
 */
export const rule = definePlanRule({
  id: "pool-disabled",
  meta: {
    description:
      "An IPPool is disabled while some of its nodes have no other enabled pool; new workloads there get no address.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { disabled: "IPPool/{pool}: disabled" },
    messages: {
      stranded:
        "new workloads on {nodes} cannot get an IPv{version} address: no other enabled pool selects them (existing workloads keep theirs)",
    },
    steps: {
      widenFirst: ["Add or widen another pool for these nodes first, then disable {pool}."],
    },
  },
  check(model, ctx) {
    for (const { before, after } of ctx.diff.poolsChanged) {
      if (before.disabled || !after.disabled) continue;
      const covered = new Set<string>();
      for (const p of ctx.current.pools.values()) {
        if (!p.disabled && p.version === after.version)
          for (const n of p.nodes ?? []) covered.add(n);
      }
      const stranded = (before.nodes ?? []).filter((n) => !covered.has(n));
      if (stranded.length === 0) continue;
      const source = ctx.current.pools.get(after.name)?.source;
      ctx.report({
        messageId: "stranded",
        titleId: "disabled",
        stepsId: "widenFirst",
        data: { pool: after.name, nodes: ctx.nodesText(stranded), version: after.version ?? 4 },
        span: source ? source.at(["spec", "disabled"]) : acknowledgementSpan(model),
        resource: `IPPool/${after.name}`,
        change: { field: "spec.disabled", from: "false", to: "true" },
        pools: [after.name],
        nodes: stranded,
        targets: [{ kind: "IPPool", name: after.name }, { kind: "Installation" }],
      });
    }
  },
});
