import { vxlanNodes } from "../../model/facts.js";
import { definePlanRule } from "../plan-rule.js";

/**
 * The Cluster's networking.vxlanVNI changes while a pool uses VXLAN: each Felix recreates its
 * VXLAN device with the new VNI when it restarts, and a node discards packets of another VNI.
 */
export const rule = definePlanRule({
  id: "vxlan-vni-change",
  meta: {
    description:
      "The VXLAN VNI changes while a pool uses VXLAN; nodes on the old and the new VNI discard each other's packets.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { vni: "VXLAN VNI {from} -> {to}" },
    messages: {
      moves:
        "VXLAN traffic between {nodes} drops while Felix moves them to VNI {to}: nodes on the old and the new VNI discard each other's packets until all have the new one",
    },
  },
  check(model, ctx) {
    const change = ctx.diff.vxlanVNI;
    const nodes = change && vxlanNodes([ctx.base, ctx.current]);
    if (!change || !nodes) return;
    ctx.report({
      messageId: "moves",
      titleId: "vni",
      data: { from: change.before, to: change.after, nodes: ctx.nodesText(nodes) },
      span: model.cluster.source.at(["spec", "networking", "vxlanVNI"]),
      resource: `Cluster/${model.cluster.metadata.name}`,
      change: {
        field: "networking.vxlanVNI",
        from: String(change.before),
        to: String(change.after),
      },
      nodes,
      targets: [{ kind: "FelixConfiguration" }, { kind: "Installation" }],
    });
  },
});
