import type { Node } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan, nodeResource } from "../spans.js";

/** Two nodes with one address: Felix routes both nodes' pods to whichever answers. */
export const rule = defineRule({
  id: "node-duplicate-address",
  meta: {
    description: "Two nodes have the same address.",
    defaultSeverity: "error",
    category: "topology",
    messages: {
      duplicate: 'node "{node}": address {address} is already the address of node "{other}"',
      group:
        'node group "{group}": {count} of its addresses (first {address}, node "{node}") are already the addresses of other nodes (first "{other}")',
    },
  },
  check(model, ctx) {
    // One map by address: linear in the number of nodes.
    const byAddress = new Map<string, Node>();
    const groups = new Map<string, { node: Node; address: string; other: Node; count: number }>();
    for (const node of model.topology.nodes) {
      if (!node.address) continue;
      const key = `${node.address.version}/${node.address.value}`;
      const other = byAddress.get(key);
      if (!other) {
        byAddress.set(key, node);
        continue;
      }
      if (node.group !== undefined) {
        const g = groups.get(node.group);
        if (g) g.count++;
        else groups.set(node.group, { node, address: node.address.text, other, count: 1 });
        continue;
      }
      ctx.report({
        messageId: "duplicate",
        data: { node: node.name, address: node.address.text, other: other.name },
        span: nodeFieldSpan(node, "address"),
        resource: nodeResource(node),
        related: [{ ...nodeFieldSpan(other, "address"), message: `node "${other.name}"` }],
      });
    }
    for (const [group, { node, address, other, count }] of groups) {
      ctx.report({
        messageId: "group",
        data: { group, count, address, node: node.name, other: other.name },
        span: nodeFieldSpan(node, "address"),
        resource: nodeResource(node),
        related: [{ ...nodeFieldSpan(other, "address"), message: `node "${other.name}"` }],
      });
    }
  },
});
