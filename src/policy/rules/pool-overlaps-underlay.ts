import { cidrContainsAddress, cidrOverlaps, type IpAddress } from "../../model/cidr.js";
import { dualStackAddress } from "../../model/families.js";
import type { Node } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { nodeFieldSpan, spanKey } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * Pod addresses from a pool that overlaps the underlay collide with node addresses, and the
 * routes to one hide the other.
 */
export const rule = defineRule({
  id: "pool-overlaps-underlay",
  meta: {
    description: "An IPPool overlaps a subnet of the topology or contains a node's address.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      subnet:
        'IPPool "{pool}": cidr {cidr} overlaps subnet "{subnet}" ({subnetCidr}); pod and node addresses would collide, and the routes to one would hide the other',
      node: 'IPPool "{pool}": cidr {cidr} contains {address}, the address of node "{node}"',
    },
  },
  check(model, ctx) {
    // A node inside a subnet is covered by the subnet check; only the others need their own.
    const loose: { node: Node; address: IpAddress; field: "address" | "addressV6" }[] = [];
    for (const node of model.topology.nodes) {
      if (node.address && node.subnets.length === 0)
        loose.push({ node, address: node.address, field: "address" });
      const dual = dualStackAddress(node);
      if (dual && dual.subnets.length === 0)
        loose.push({ node, address: dual.address, field: "addressV6" });
    }
    for (const pool of model.pools) {
      const cidr = pool.cidr;
      if (!cidr) continue;
      const span = pool.source.at(["spec", "cidr"]);
      const resource = poolResource(pool);
      for (const subnet of model.topology.subnets) {
        if (!subnet.cidr || !cidrOverlaps(cidr, subnet.cidr)) continue;
        ctx.report({
          messageId: "subnet",
          data: {
            pool: pool.name,
            cidr: pool.cidrText,
            subnet: subnet.name,
            subnetCidr: subnet.cidrText,
          },
          span,
          resource,
          related: [{ ...subnet.source.at(["cidr"]), message: `subnet "${subnet.name}"` }],
        });
      }
      const reported = new Set<string>();
      for (const { node, address, field } of loose) {
        if (!cidrContainsAddress(cidr, address)) continue;
        const at = nodeFieldSpan(node, field);
        if (reported.has(spanKey(at))) continue; // one finding per node group
        reported.add(spanKey(at));
        ctx.report({
          messageId: "node",
          data: {
            pool: pool.name,
            cidr: pool.cidrText,
            address: address.text,
            node: node.name,
          },
          span,
          resource,
          related: [{ ...at, message: `node "${node.name}"` }],
        });
      }
    }
  },
});
