import type { Node } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/** Kubernetes node names are unique; host files and pools are keyed by them. */
export const rule = defineRule({
  id: "node-duplicate-name",
  meta: {
    description: "Two nodes have the same name (node groups included).",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: ["Topology"],
    messages: {
      duplicate: 'node name "{node}" is used by another node too; Kubernetes node names are unique',
      group:
        'node group "{group}": {count} of its node names (first "{node}") are already used by other nodes',
    },
  },
  check(model, ctx) {
    const byName = new Map<string, Node>();
    const groups = new Map<string, { node: Node; other: Node; count: number }>();
    for (const node of model.topology.nodes) {
      const other = byName.get(node.name);
      if (!other) {
        byName.set(node.name, node);
        continue;
      }
      if (node.group !== undefined) {
        const g = groups.get(node.group);
        if (g) g.count++;
        else groups.set(node.group, { node, other, count: 1 });
        continue;
      }
      ctx.report({
        messageId: "duplicate",
        data: { node: node.name },
        span: nodeFieldSpan(node, "name"),
        resource: nodeResource(node),
        related: [{ ...nodeFieldSpan(other, "name"), message: "the other node" }],
      });
    }
    for (const [group, { node, other, count }] of groups) {
      ctx.report({
        messageId: "group",
        data: { group, count, node: node.name },
        span: nodeFieldSpan(node, "name"),
        resource: nodeResource(node),
        related: [{ ...nodeFieldSpan(other, "name"), message: `node "${other.name}"` }],
      });
    }
  },
});
