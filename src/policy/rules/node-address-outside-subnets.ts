import { dualStackAddress } from "../../model/families.js";
import type { Node, Subnet } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/**
 * A node must sit in exactly one subnet, per address: every routing decision starts from it
 * (a dual-stack node's IPv6 decisions from its `addressV6`).
 */
export const rule = defineRule({
  id: "node-address-outside-subnets",
  meta: {
    description:
      "A node's address (or addressV6) is not an IP address of its family, or is inside no subnet (or several) of the topology.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: ["Topology"],
    messages: {
      notAnAddress: 'node "{node}": address "{address}" is not an IP address',
      notIPv6: 'node "{node}": addressV6 "{address}" is not an IPv6 address',
      twoIPv6:
        'node "{node}": address {address} is IPv6 already; addressV6 is the IPv6 address of a dual-stack node whose address is IPv4',
      outside: 'node "{node}": {field} {address} is inside no subnet of the topology ({subnets})',
      several:
        'node "{node}": {field} {address} is inside several subnets ({subnets}); subnets must not overlap',
      groupSeveral:
        'node group "{group}": {count} of its addresses (first {address}, node "{node}") are inside several subnets ({subnets}); subnets must not overlap',
    },
  },
  check(model, ctx) {
    const all =
      model.topology.subnets.map((s) => `${s.name} ${s.cidrText}`).join(", ") || "none defined";
    // Group members always lie in their group's subnet (resolve checks); only overlaps remain.
    const groups = new Map<
      string,
      {
        group: string;
        first: Node;
        field: Field;
        address: string;
        subnets: readonly Subnet[];
        count: number;
      }
    >();
    for (const node of model.topology.nodes) {
      // The common case first: one address, in exactly one subnet.
      if (node.addressV6Text === undefined && node.address && node.subnets.length === 1) continue;
      const resource = nodeResource(node);
      const written: { field: Field; subnets: readonly Subnet[] | undefined; text: string }[] = [
        { field: "address", subnets: node.address && node.subnets, text: node.addressText },
      ];
      if (node.addressV6Text !== undefined) {
        // Found only for a finding: a span walks the node's YAML (5,000 dual-stack nodes).
        const span = () => nodeFieldSpan(node, "addressV6");
        const data = { node: node.name, address: node.addressV6Text };
        const dual = dualStackAddress(node);
        if (node.address?.version === 6) {
          ctx.report({
            messageId: "twoIPv6",
            data: { node: node.name, address: node.address.text },
            span: span(),
            resource,
          });
        } else if (!dual) {
          // Not IPv6 (an IPv4 address or none); with an unparsed address, that finding suffices.
          if (node.address) ctx.report({ messageId: "notIPv6", data, span: span(), resource });
        } else {
          written.push({ field: "addressV6", subnets: dual.subnets, text: node.addressV6Text });
        }
      }
      for (const { field, subnets, text } of written) {
        if (subnets && subnets.length === 1) continue; // the common case: no span needed
        const span = nodeFieldSpan(node, field);
        const address = field === "address" ? node.address?.text : node.ipv6?.address.text;
        if (node.group !== undefined && subnets && subnets.length > 1 && address !== undefined) {
          const key = `${node.group}\u0000${field}`;
          const g = groups.get(key);
          if (g) g.count++;
          else
            groups.set(key, { group: node.group, first: node, field, address, subnets, count: 1 });
        } else if (!subnets || address === undefined) {
          ctx.report({
            messageId: "notAnAddress",
            data: { node: node.name, address: text },
            span,
            resource,
          });
        } else if (subnets.length === 0) {
          ctx.report({
            messageId: "outside",
            data: { node: node.name, field, address, subnets: all },
            span,
            resource,
          });
        } else {
          ctx.report({
            messageId: "several",
            data: {
              node: node.name,
              field,
              address,
              subnets: subnets.map((s) => s.name).join(", "),
            },
            span,
            resource,
          });
        }
      }
    }
    for (const { group, first, field, address, subnets, count } of groups.values()) {
      ctx.report({
        messageId: "groupSeveral",
        data: {
          group,
          count,
          address,
          node: first.name,
          subnets: subnets.map((s) => s.name).join(", "),
        },
        span: nodeFieldSpan(first, field),
        resource: nodeResource(first),
      });
    }
  },
});

type Field = "address" | "addressV6";
