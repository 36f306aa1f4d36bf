import type { Cidr, IpAddress } from "../../model/cidr.js";
import { subnetGateway } from "../../model/host-network.js";
import type { Node, NodeAddress } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

type Reserved = "network" | "broadcast" | "gateway";

/**
 * A subnet's network and broadcast addresses (IPv4, prefixes up to /30: a /31 has neither,
 * RFC 3021) and its gateway belong to no host: a node given one is unreachable, and its host
 * files would configure it anyway.
 */
export const rule = defineRule({
  id: "node-address-reserved",
  meta: {
    description:
      "A node's address (or addressV6) is its subnet's network or broadcast address (IPv4), or the subnet's gateway.",
    defaultSeverity: "error",
    category: "topology",
    // A node and its subnet, but which subnets contain the address needs every Topology document.
    needsEvery: ["Topology"],
    messages: {
      network:
        'node "{node}": address {address} is the network address of subnet "{subnet}" ({cidr}), which no host can use',
      broadcast:
        'node "{node}": address {address} is the broadcast address of subnet "{subnet}" ({cidr}), which no host can use',
      gateway: 'node "{node}": address {address} is the gateway of subnet "{subnet}" ({cidr})',
      groupNetwork:
        'node group "{group}": node "{node}" gets {address}, the network address of subnet "{subnet}" ({cidr}), which no host can use; start the group at a later firstAddress',
      groupBroadcast:
        'node group "{group}": node "{node}" gets {address}, the broadcast address of subnet "{subnet}" ({cidr}), which no host can use; the group runs past the subnet\'s last host address (lower count, or an earlier firstAddress)',
      groupGateway:
        'node group "{group}": node "{node}" gets {address}, the gateway of subnet "{subnet}" ({cidr}); move the group\'s addresses off it',
    },
  },
  check(model, ctx) {
    const reportedGroups = new Set<string>();
    const check = (node: Node, at: NodeAddress) => {
      const subnet = at.subnet;
      if (!subnet?.cidr || at.subnets.length !== 1) return;
      const reserved = reservedKind(at.address, subnet.cidr, subnetGateway(subnet));
      if (!reserved) return;
      const key = `${node.group}\u0000${at.field}\u0000${reserved}`;
      if (node.group !== undefined && reportedGroups.has(key)) return;
      const data = {
        node: node.name,
        address: at.address.text,
        subnet: subnet.name,
        cidr: subnet.cidr.canonical,
      };
      if (node.group !== undefined) reportedGroups.add(key);
      ctx.report({
        ...(node.group === undefined
          ? { messageId: reserved, data }
          : { messageId: GROUP_MESSAGE[reserved], data: { group: node.group, ...data } }),
        span: nodeFieldSpan(node, at.field),
        resource: nodeResource(node),
      });
    };
    for (const node of model.topology.nodes) {
      // Each address of the node (addressV6 too) against the subnet of its family.
      if (node.ipv4) check(node, node.ipv4);
      if (node.ipv6) check(node, node.ipv6);
    }
  },
});

const GROUP_MESSAGE = {
  network: "groupNetwork",
  broadcast: "groupBroadcast",
  gateway: "groupGateway",
} as const;

function reservedKind(
  address: IpAddress,
  cidr: Cidr,
  /** Canonical text (host-network.ts subnetGateway): equal text is the same address. */
  gateway: string | undefined,
): Reserved | undefined {
  if (gateway === address.text) return "gateway";
  if (address.version !== 4 || cidr.prefix > 30) return undefined;
  if (address.value === cidr.start) return "network";
  if (address.value === cidr.end) return "broadcast";
  return undefined;
}
