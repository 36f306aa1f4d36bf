import type { RelatedLocation } from "../../diagnostics/types.js";
import { definePlanRule } from "../plan-rule.js";
import { acknowledgementSpan } from "../spans.js";

const LOSES =
  "that hold addresses from {cidr} lose their pool: its routes, encapsulation and outgoing NAT go, and its IPAM blocks are orphaned";

/**
 * An enabled pool of the base is gone from the repository. Its workloads keep their addresses,
 * but nothing in Calico knows their pool any more. Deleting a pool that is disabled already is
 * the last step of a migration and is not reported.
 */
export const rule = definePlanRule({
  id: "pool-removed",
  meta: {
    description:
      "An enabled IPPool is deleted; the workloads holding its addresses lose its routes, encapsulation and outgoing NAT.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { deleted: "IPPool/{pool}: deleted while enabled" },
    messages: {
      removed: `workloads on {nodes} ${LOSES}`,
      // The base does not say which nodes the pool selected (a rendered tree, a selector it cannot read).
      removedNodesUnknown: `workloads on the nodes it selects ${LOSES}`,
    },
    steps: {
      migrate: [
        "Set disabled: true on {pool} first (keep it).",
        "Recreate the workloads so they take addresses from another pool.",
        "Delete {pool} in a later change, once no workload uses it.",
      ],
    },
  },
  check(model, ctx) {
    for (const pool of ctx.diff.poolsRemoved) {
      if (pool.disabled) continue;
      const related: RelatedLocation[] = pool.source
        ? [
            {
              ...pool.source.at(["metadata", "name"]),
              message: `the base defines IPPool ${pool.name} here`,
            },
          ]
        : [];
      const report = {
        titleId: "deleted",
        stepsId: "migrate",
        // The pool's own lines are gone: it points where the acknowledgement goes.
        span: acknowledgementSpan(model),
        resource: `IPPool/${pool.name}`,
        change: { field: "state", from: "present", to: "absent" },
        pools: [pool.name],
        nodes: pool.nodes ?? [],
        targets: [{ kind: "IPPool", name: pool.name }, { kind: "Installation" }],
        related,
      } as const;
      ctx.report(
        pool.nodes
          ? {
              ...report,
              messageId: "removed",
              data: { pool: pool.name, cidr: pool.cidr, nodes: ctx.nodesText(pool.nodes) },
            }
          : {
              ...report,
              messageId: "removedNodesUnknown",
              data: { pool: pool.name, cidr: pool.cidr },
            },
      );
    }
  },
});
