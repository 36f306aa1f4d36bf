import { overlappingPairs } from "../../model/cidr.js";
import { defineRule } from "../rule.js";
import { subnetResource } from "../../model/resources.js";

/** Overlapping subnets make "which subnet is this node in?" — and so CrossSubnet — ambiguous. */
export const rule = defineRule({
  id: "subnet-overlap",
  meta: {
    description: "Two subnets of the topology overlap.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      overlap:
        'subnet "{subnet}" ({cidr}) overlaps subnet "{other}" ({otherCidr}); every node address must belong to exactly one subnet',
    },
  },
  check(model, ctx) {
    for (const [first, second] of overlappingPairs(model.topology.subnets, (s) => s.cidr)) {
      ctx.report({
        messageId: "overlap",
        data: {
          subnet: second.name,
          cidr: second.cidrText,
          other: first.name,
          otherCidr: first.cidrText,
        },
        span: second.source.at(["cidr"]),
        resource: subnetResource(second),
        related: [{ ...first.source.at(["cidr"]), message: `subnet "${first.name}"` }],
      });
    }
  },
});
