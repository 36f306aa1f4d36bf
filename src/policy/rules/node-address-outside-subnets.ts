import type { Node } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan, nodeResource } from "../spans.js";

/** A node must sit in exactly one subnet: every routing decision starts from it. */
export const rule = defineRule({
  id: "node-address-outside-subnets",
  meta: {
    description:
      "A node's address is not an IP address, or is inside no subnet (or several) of the topology.",
    defaultSeverity: "error",
    category: "topology",
    messages: {
      notAnAddress: 'node "{node}": address "{address}" is not an IP address',
      outside: 'node "{node}": address {address} is inside no subnet of the topology ({subnets})',
      several:
        'node "{node}": address {address} is inside several subnets ({subnets}); subnets must not overlap',
      groupSeveral:
        'node group "{group}": {count} of its addresses (first {address}, node "{node}") are inside several subnets ({subnets}); subnets must not overlap',
    },
  },
  check(model, ctx) {
    const all =
      model.topology.subnets.map((s) => `${s.name} ${s.cidrText}`).join(", ") || "none defined";
    // Group members always lie in their group's subnet (resolve checks); only overlaps remain.
    const groups = new Map<string, { first: Node; address: string; count: number }>();
    for (const node of model.topology.nodes) {
      if (node.address && node.subnets.length === 1) continue; // the common case: no span needed
      const span = nodeFieldSpan(node, "address");
      const resource = nodeResource(node);
      if (node.group !== undefined && node.address && node.subnets.length > 1) {
        const g = groups.get(node.group);
        if (g) g.count++;
        else groups.set(node.group, { first: node, address: node.address.text, count: 1 });
      } else if (!node.address) {
        ctx.report({
          messageId: "notAnAddress",
          data: { node: node.name, address: node.addressText },
          span,
          resource,
        });
      } else if (node.subnets.length === 0) {
        ctx.report({
          messageId: "outside",
          data: { node: node.name, address: node.address.text, subnets: all },
          span,
          resource,
        });
      } else if (node.subnets.length > 1) {
        ctx.report({
          messageId: "several",
          data: {
            node: node.name,
            address: node.address.text,
            subnets: node.subnets.map((s) => s.name).join(", "),
          },
          span,
          resource,
        });
      }
    }
    for (const [group, { first, address, count }] of groups) {
      ctx.report({
        messageId: "groupSeveral",
        data: {
          group,
          count,
          address,
          node: first.name,
          subnets: first.subnets.map((s) => s.name).join(", "),
        },
        span: nodeFieldSpan(first, "address"),
        resource: nodeResource(first),
      });
    }
  },
});
