import type { Rule } from "../rule.js";

/** A node must sit in exactly one subnet: every routing decision starts from it. */
export const rule: Rule = {
  id: "node-address-outside-subnets",
  meta: {
    description:
      "A node's address is not an IP address, or is inside no subnet (or several) of the topology.",
    defaultSeverity: "error",
    messages: {
      notAnAddress: 'node "{node}": address "{address}" is not an IP address',
      outside: 'node "{node}": address {address} is inside no subnet of the topology ({subnets})',
      several:
        'node "{node}": address {address} is inside several subnets ({subnets}); subnets must not overlap',
    },
  },
  check(model, ctx) {
    const all =
      model.topology.subnets.map((s) => `${s.name} ${s.cidrText}`).join(", ") || "none defined";
    for (const node of model.topology.nodes) {
      const span =
        node.group === undefined ? node.source.at(["address"]) : node.source.at(["firstAddress"]);
      const resource = `Node/${node.name}`;
      if (!node.address) {
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
  },
};
