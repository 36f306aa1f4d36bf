import { definePlanRule } from "../plan-rule.js";
import { subnetMTUSpan } from "../spans.js";
import { subnetResource } from "../../model/resources.js";

/**
 * A subnet's underlay MTU decreases: the host network files set the smaller MTU on its nodes'
 * interfaces, and whatever was sized for the larger one loses its large packets.
 */
export const rule = definePlanRule({
  id: "underlay-mtu-decrease",
  meta: {
    description:
      "A subnet's underlay MTU decreases; tunnels and workloads sized for the larger MTU lose their large packets.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { decrease: "subnet {subnet}: underlay MTU {from} -> {to}" },
    messages: {
      shrinks:
        "the interfaces of {nodes} in subnet {subnet} drop to MTU {to} when their host network files are applied: tunnels and workloads sized for {from} lose their large packets until they are recreated",
    },
  },
  check(model, ctx) {
    for (const subnet of ctx.diff.subnetMTUs) {
      if (subnet.after >= subnet.before || subnet.nodes.length === 0) continue;
      ctx.report({
        messageId: "shrinks",
        titleId: "decrease",
        data: {
          subnet: subnet.name,
          from: subnet.before,
          to: subnet.after,
          nodes: ctx.nodesText(subnet.nodes),
        },
        span: subnetMTUSpan(model, subnet.name),
        resource: subnetResource(subnet),
        change: { field: "mtu", from: String(subnet.before), to: String(subnet.after) },
        nodes: subnet.nodes,
        targets: [{ hostFilesOf: subnet.nodes, action: "update" }],
      });
    }
  },
});
