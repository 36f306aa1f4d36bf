import { FAMILIES, subnetsHolding } from "../../model/families.js";
import { defineRule } from "../rule.js";
import { fieldSpan } from "../spans.js";
import { subnetResource } from "../../model/resources.js";

/**
 * One pod MTU serves every node, so it follows the smallest subnet MTU; pods in subnets with
 * a larger MTU (jumbo frames) give up the difference on every packet.
 */
export const rule = defineRule({
  id: "mtu-mixed-underlay",
  meta: {
    description:
      "Subnets that hold nodes have different MTUs, and the pod MTU follows the smallest.",
    defaultSeverity: "warning",
    category: "topology",
    needsEvery: ["Topology"],
    messages: {
      mixed:
        'subnet "{subnet}" has MTU {mtu}, less than other subnets that hold nodes ({others}); the pod MTU follows the smallest, so pods everywhere use {mtu} less the encapsulation overhead',
    },
  },
  check(model, ctx) {
    if (!model.podMTUDerived) return;
    const holding = FAMILIES.map((family) => subnetsHolding(model.topology, family));
    const subnets = model.topology.subnets.filter((s) => holding.some((h) => h.has(s)));
    if (subnets.length < 2) return;
    const min = Math.min(...subnets.map((s) => s.mtu));
    const larger = subnets.filter((s) => s.mtu > min);
    const smallest = subnets.find((s) => s.mtu === min);
    const [first] = larger;
    if (!smallest || !first) return;
    const shown = larger.slice(0, 3).map((s) => `"${s.name}" ${s.mtu}`);
    if (larger.length > 3) shown.push(`${larger.length - 3} more`);
    ctx.report({
      messageId: "mixed",
      data: { subnet: smallest.name, mtu: min, others: shown.join(", ") },
      span: fieldSpan(smallest.source, ["mtu"], ["name"]),
      resource: subnetResource(smallest),
      related: [
        {
          ...fieldSpan(first.source, ["mtu"], ["name"]),
          message: `subnet "${first.name}" has MTU ${first.mtu}`,
        },
      ],
    });
  },
});
