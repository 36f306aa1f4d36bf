import type { Node } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/** Pods scheduled on a node that no pool selects stay in ContainerCreating: no address. */
export const rule = defineRule({
  id: "node-without-pool",
  meta: {
    description: "A node is selected by no enabled workload IPPool.",
    defaultSeverity: "warning",
    category: "topology",
    needsEvery: ["Topology", "IPPool"],
    messages: {
      node: 'node "{node}" is selected by no enabled IP pool, so pods scheduled there get no address',
      group:
        'node group "{group}": {count} of its {total} nodes (first "{node}") are selected by no enabled IP pool, so pods scheduled there get no address',
    },
  },
  check(model, ctx) {
    const anyPool = model.pools.some(
      (p) => !p.disabled && p.nodeSelector && p.allowedUses.includes("Workload"),
    );
    if (!anyPool) return;
    const groups = new Map<string, { first?: Node; count: number; total: number }>();
    for (const node of model.topology.nodes) {
      const selected = (model.poolsByNode.get(node.name) ?? []).length > 0;
      if (node.group === undefined) {
        if (!selected) {
          ctx.report({
            messageId: "node",
            data: { node: node.name },
            span: nodeFieldSpan(node, "labels"),
            resource: nodeResource(node),
          });
        }
        continue;
      }
      let g = groups.get(node.group);
      if (!g) groups.set(node.group, (g = { count: 0, total: 0 }));
      g.total++;
      if (selected) continue;
      g.count++;
      g.first ??= node;
    }
    for (const [group, g] of groups) {
      if (!g.first) continue;
      ctx.report({
        messageId: "group",
        data: { group, count: g.count, total: g.total, node: g.first.name },
        span: nodeFieldSpan(g.first, "labels"),
        resource: nodeResource(g.first),
      });
    }
  },
});
