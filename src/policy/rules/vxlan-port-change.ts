import { vxlanNodes } from "../../model/facts.js";
import { definePlanRule } from "../plan-rule.js";

/**
 * The Cluster's networking.vxlanPort changes while a pool uses VXLAN: each Felix recreates its
 * VXLAN device on the new port when it restarts, and nodes on different ports cannot reach
 * each other until all have moved.
 */
export const rule = definePlanRule({
  id: "vxlan-port-change",
  meta: {
    description:
      "The VXLAN UDP port changes while a pool uses VXLAN; nodes on the old and the new port cannot reach each other.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { port: "VXLAN UDP port {from} -> {to}" },
    messages: {
      moves:
        "VXLAN traffic between {nodes} drops while Felix moves them from UDP {from} to {to}: nodes on the old and the new port cannot reach each other; firewalls and cloud security groups must allow UDP {to} first",
    },
  },
  check(model, ctx) {
    const change = ctx.diff.vxlanPort;
    const nodes = change && vxlanNodes([ctx.base, ctx.current]);
    if (!change || !nodes) return;
    ctx.report({
      messageId: "moves",
      titleId: "port",
      data: { from: change.before, to: change.after, nodes: ctx.nodesText(nodes) },
      span: model.cluster.source.at(["spec", "networking", "vxlanPort"]),
      resource: `Cluster/${model.cluster.metadata.name}`,
      change: {
        field: "networking.vxlanPort",
        from: String(change.before),
        to: String(change.after),
      },
      nodes,
      targets: [{ kind: "FelixConfiguration" }, { kind: "Installation" }],
    });
  },
});
