import type { RelatedLocation } from "../../diagnostics/types.js";
import { definePlanRule } from "../plan-rule.js";
import { acknowledgementSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

const LOSES =
  "that hold addresses from {cidr} lose their pool: its routes, encapsulation and outgoing NAT go, and its IPAM blocks are orphaned";

/**
 * A pool of the base is gone from the repository. Its workloads keep their addresses, but
 * nothing in Calico knows their pool any more. A disabled pool too: deleting it is the last step
 * of a migration, and safe only once no workload holds its addresses, which netcompile cannot
 * see, so the reviewer acknowledges that they have moved.
 */
export const rule = definePlanRule({
  id: "pool-removed",
  meta: {
    description:
      "An IPPool is deleted (enabled, or disabled with workloads perhaps still on it); the workloads holding its addresses lose its routes, encapsulation and outgoing NAT.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: {
      deleted: "IPPool/{pool}: deleted while enabled",
      deletedDisabled: "IPPool/{pool}: deleted (disabled)",
    },
    messages: {
      removed: `workloads on {nodes} ${LOSES}`,
      // The base does not say which nodes the pool selected (a rendered tree, a selector it cannot read).
      removedNodesUnknown: `workloads on the nodes it selects ${LOSES}`,
      removedDisabled:
        "the pool was disabled, but a workload started before that still holds its address from {cidr} until it is recreated, and loses the pool's routes, encapsulation and outgoing NAT with it; netcompile cannot see whether any is left",
    },
    steps: {
      migrate: [
        "Set disabled: true on {pool} first (keep it).",
        "Recreate the workloads so they take addresses from another pool.",
        "Delete {pool} in a later change, once no workload uses it.",
      ],
      checkMoved: [
        "Check that no workload holds an address of {cidr} any more (calicoctl ipam show --show-blocks lists the blocks in use).",
        "Then acknowledge the deletion, saying so.",
      ],
    },
  },
  check(model, ctx) {
    for (const pool of ctx.diff.poolsRemoved) {
      const related: RelatedLocation[] = pool.source
        ? [
            {
              ...pool.source.at(["metadata", "name"]),
              message: `the base defines IPPool ${pool.name} here`,
            },
          ]
        : [];
      const where = {
        // The pool's own lines are gone: it points where the acknowledgement goes.
        span: acknowledgementSpan(model),
        resource: poolResource(pool),
        change: { field: "state", from: "present", to: "absent" },
        pools: [pool.name],
        nodes: pool.nodes ?? [],
        targets: [{ kind: "IPPool", name: pool.name }, { kind: "Installation" }],
        related,
      } as const;
      if (pool.disabled) {
        ctx.report({
          ...where,
          titleId: "deletedDisabled",
          stepsId: "checkMoved",
          messageId: "removedDisabled",
          data: { pool: pool.name, cidr: pool.cidr },
        });
        continue;
      }
      const report = { ...where, titleId: "deleted", stepsId: "migrate" } as const;
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
