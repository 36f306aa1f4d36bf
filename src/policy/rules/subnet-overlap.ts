import type { Cidr } from "../../model/cidr.js";
import type { Subnet } from "../../model/types.js";
import type { Rule } from "../rule.js";

/** Overlapping subnets make "which subnet is this node in?" — and so CrossSubnet — ambiguous. */
export const rule: Rule = {
  id: "subnet-overlap",
  meta: {
    description: "Two subnets of the topology overlap.",
    defaultSeverity: "error",
    category: "topology",
    messages: {
      overlap:
        'subnet "{subnet}" ({cidr}) overlaps subnet "{other}" ({otherCidr}); every node address must belong to exactly one subnet',
    },
  },
  check(model, ctx) {
    const subnets = model.topology.subnets;
    const order = new Map(subnets.map((s, i) => [s, i]));
    // Sorted by start, a subnet can only overlap the ones after it that start before it ends.
    const sorted = subnets
      .filter((s): s is Subnet & { cidr: Cidr } => s.cidr !== undefined)
      .sort(
        (a, b) =>
          a.cidr.version - b.cidr.version ||
          (a.cidr.start < b.cidr.start ? -1 : a.cidr.start > b.cidr.start ? 1 : 0) ||
          order.get(a)! - order.get(b)!,
      );
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length; j++) {
        const b = sorted[j]!;
        if (b.cidr.version !== a.cidr.version || b.cidr.start > a.cidr.end) break;
        const [first, second] = order.get(a)! < order.get(b)! ? [a, b] : [b, a];
        ctx.report({
          messageId: "overlap",
          data: {
            subnet: second.name,
            cidr: second.cidrText,
            other: first.name,
            otherCidr: first.cidrText,
          },
          span: second.source.at(["cidr"]),
          resource: `Subnet/${second.name}`,
          related: [{ ...first.source.at(["cidr"]), message: `subnet "${first.name}"` }],
        });
      }
    }
  },
};
