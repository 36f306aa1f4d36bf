import type { Node } from "../../model/types.js";
import { DNS1123_LABEL, DNS1123_LABEL_MAX } from "../calico-limits.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/** Node names become host names and file names: they must be DNS-1123 labels. */
export const rule = defineRule({
  id: "node-name-invalid",
  meta: {
    description: "A node's name (or a node group's generated names) is not a DNS-1123 label.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      invalid:
        'node name "{node}" is not a DNS-1123 label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
      group:
        'node group "{group}": {count} of its node names (first "{node}") are not DNS-1123 labels: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
    },
  },
  check(model, ctx) {
    const groups = new Map<string, { first: Node; count: number }>();
    for (const node of model.topology.nodes) {
      if (node.name.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(node.name)) continue;
      if (node.group !== undefined) {
        const g = groups.get(node.group);
        if (g) g.count++;
        else groups.set(node.group, { first: node, count: 1 });
        continue;
      }
      ctx.report({
        messageId: "invalid",
        data: { node: node.name },
        span: nodeFieldSpan(node, "name"),
        resource: nodeResource(node),
      });
    }
    for (const [group, { first, count }] of groups) {
      ctx.report({
        messageId: "group",
        data: { group, count, node: first.name },
        span: nodeFieldSpan(first, "name"),
        resource: nodeResource(first),
      });
    }
  },
});
