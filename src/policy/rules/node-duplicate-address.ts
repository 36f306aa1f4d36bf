import { dualStackAddress } from "../../model/families.js";
import type { IpAddress } from "../../model/cidr.js";
import type { Node } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/** Two nodes with one address: Felix routes both nodes' pods to whichever answers. */
export const rule = defineRule({
  id: "node-duplicate-address",
  meta: {
    description: "Two nodes have the same address (addressV6 included).",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: ["Topology"],
    messages: {
      duplicate: 'node "{node}": address {address} is already the address of node "{other}"',
      group:
        'node group "{group}": {count} of its addresses (first {address}, node "{node}") are already the addresses of other nodes (first "{other}")',
    },
  },
  check(model, ctx) {
    // One map by address: linear in the number of nodes. IPv4 by number (a small integer key),
    // IPv6 by canonical text (one spelling per address; no BigInt to print per node).
    const byV4 = new Map<number, Node>();
    const byV6 = new Map<string, Node>();
    const groups = new Map<
      string,
      {
        node: Node;
        field: "address" | "addressV6";
        address: string;
        other: Node;
        otherField: "address" | "addressV6";
        count: number;
      }
    >();
    const see = (node: Node, address: IpAddress, field: "address" | "addressV6") => {
      const other =
        address.version === 4 ? byV4.get(Number(address.value)) : byV6.get(address.text);
      if (other) found(node, field, address.text, other);
      else if (address.version === 4) byV4.set(Number(address.value), node);
      else byV6.set(address.text, node);
    };
    for (const node of model.topology.nodes) {
      if (node.address) see(node, node.address, "address");
      // A dual-stack node's IPv6 address (addressV6) counts too.
      const dual = dualStackAddress(node)?.address;
      if (dual) see(node, dual, "addressV6");
    }
    function found(node: Node, field: "address" | "addressV6", address: string, other: Node) {
      const otherField = other.address?.text === address ? "address" : ("addressV6" as const);
      if (node.group !== undefined) {
        const g = groups.get(node.group);
        if (g) g.count++;
        else groups.set(node.group, { node, field, address, other, otherField, count: 1 });
        return;
      }
      ctx.report({
        messageId: "duplicate",
        data: { node: node.name, address, other: other.name },
        span: nodeFieldSpan(node, field),
        resource: nodeResource(node),
        related: [{ ...nodeFieldSpan(other, otherField), message: `node "${other.name}"` }],
      });
    }
    for (const [group, { node, field, address, other, otherField, count }] of groups) {
      ctx.report({
        messageId: "group",
        data: { group, count, address, node: node.name, other: other.name },
        span: nodeFieldSpan(node, field),
        resource: nodeResource(node),
        related: [{ ...nodeFieldSpan(other, otherField), message: `node "${other.name}"` }],
      });
    }
  },
});
