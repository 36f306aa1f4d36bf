import { allNodes } from "../../model/facts.js";
import { ENCAP_OVERHEAD, WIREGUARD } from "../../model/defaults.js";
import { definePlanRule } from "../plan-rule.js";

/**
 * The Cluster's networking.wireguard turns WireGuard on or off for a family: every Felix creates
 * (or removes) its WireGuard device and publishes (or withdraws) its key node by node, and pod
 * traffic between a node that already encrypts and a peer that has not caught up drops.
 */
export const rule = definePlanRule({
  id: "wireguard-change",
  meta: {
    description:
      "WireGuard encryption turns on or off for an IP family; while Felix changes it node by node, pod traffic between nodes that disagree drops.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { change: "WireGuard for IPv{family} {from} -> {to}" },
    messages: {
      turnsOn:
        "WireGuard turns on for IPv{family} pod traffic between {nodes}: each Felix creates {device} and publishes its key in its own time, and a node encrypts to a peer as soon as it has the peer's key, so packets to a peer that has not yet added this node drop until it has; the pod MTU makes room for WireGuard's {overhead}-byte header",
      turnsOff:
        "WireGuard turns off for IPv{family} pod traffic between {nodes}: pod traffic then crosses the underlay unencrypted, and while each Felix removes {device} and withdraws its key, packets a peer still encrypts to a node that has removed it drop",
    },
    steps: {
      rollOut: [
        "Apply it in a maintenance window and watch calico-node on every node until each has (or no longer has) a WireGuard public key on its Node.",
      ],
    },
  },
  check(model, ctx) {
    const nodes = allNodes(ctx.base, ctx.current);
    const changes = [
      { family: 4, change: ctx.diff.wireguardV4, field: "ipv4", device: WIREGUARD.device },
      { family: 6, change: ctx.diff.wireguardV6, field: "ipv6", device: WIREGUARD.deviceV6 },
    ] as const;
    for (const { family, change, field, device } of changes) {
      if (!change) continue;
      const from = change.before ? "on" : "off";
      const to = change.after ? "on" : "off";
      const overhead = ENCAP_OVERHEAD[family === 6 ? "wireguard-v6" : "wireguard"];
      const common = {
        titleId: "change",
        stepsId: "rollOut",
        span: model.cluster.source.at(["spec", "networking", "wireguard", field]),
        resource: `Cluster/${model.cluster.metadata.name}`,
        change: {
          field: `networking.wireguard.${field}`,
          from: String(change.before),
          to: String(change.after),
        },
        nodes,
        targets: [{ kind: "FelixConfiguration" }],
      } as const;
      const data = { family, from, to, nodes: ctx.nodesText(nodes), device };
      if (change.after)
        ctx.report({ ...common, messageId: "turnsOn", data: { ...data, overhead } });
      else ctx.report({ ...common, messageId: "turnsOff", data });
    }
  },
});
