import { pairedNodes } from "../../live/compare.js";
import type { LiveNode, LivePool, TunnelKind } from "../../live/snapshot.js";
import type { Node } from "../../model/types.js";
import { defineLiveRule } from "../live-rule.js";
import { ANNOTATIONS } from "../../live/kinds.js";
import { byGroup, whoText } from "../live-helpers.js";
import { fieldSpan, nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

const ANNOTATION: Readonly<Record<TunnelKind, string>> = {
  ipip: ANNOTATIONS.ipipTunnel,
  vxlan: ANNOTATIONS.vxlanTunnel,
  vxlanV6: ANNOTATIONS.vxlanTunnelV6,
};

/**
 * calico-node gives a node a tunnel address from every enabled pool that selects it, allows
 * Tunnel use and encapsulates (node/pkg/allocateip/allocateip.go:667-756). A node without one
 * is not reachable through that tunnel: Felix sends no VXLAN route to a node without a VTEP
 * (felix/calc/vxlan_resolver.go:259-285), and does not configure tunl0 without an address
 * (felix/dataplane/linux/ipip_mgr.go:187-199).
 */
export const rule = defineLiveRule({
  id: "live-tunnel-address-missing",
  meta: {
    description:
      "A node that an encapsulating IPPool serves in the cluster has no tunnel address of that encapsulation.",
    defaultSeverity: "error",
    scope: "live",
    category: "live",
    messages: {
      vxlan:
        '{who} has no VXLAN tunnel address (projectcalico.org/IPv4VXLANTunnelAddr) although IPPool "{pool}" encapsulates its traffic with VXLAN: Felix programs no VXLAN route to it, so pods elsewhere cannot reach its pods; check calico-node on it',
      vxlanV6:
        '{who} has no IPv6 VXLAN tunnel address (projectcalico.org/IPv6VXLANTunnelAddr) although IPPool "{pool}" encapsulates its IPv6 traffic with VXLAN: Felix programs no IPv6 VXLAN route to it; check calico-node on it',
      ipip: '{who} has no IP-in-IP tunnel address (projectcalico.org/IPv4IPIPTunnelAddr) although IPPool "{pool}" uses IP-in-IP for it: Felix does not configure tunl0 without one, so IP-in-IP traffic to and from its pods fails; check calico-node on it',
    },
  },
  check(model, ctx) {
    const missing: { node: Node; kind: TunnelKind; pool: LivePool; live: LiveNode }[] = [];
    const seen = new Set<string>();
    for (const { node, live } of pairedNodes(model, ctx.live)) {
      for (const pool of ctx.live.pools) {
        if (pool.disabled || !pool.cidr || !pool.allowedUses.includes("Tunnel")) continue;
        if (!(pool.nodeSelector?.matches(live.labels) ?? false)) continue;
        const kinds: TunnelKind[] = [];
        if (pool.vxlanMode !== "Never") kinds.push(pool.cidr.version === 6 ? "vxlanV6" : "vxlan");
        else if (pool.ipipMode !== "Never" && pool.cidr.version === 4) kinds.push("ipip");
        for (const kind of kinds) {
          const key = `${node.name}\0${kind}`;
          if (live.tunnels[kind] || seen.has(key)) continue;
          seen.add(key);
          missing.push({ node, kind, pool, live });
        }
      }
    }
    for (const set of byGroup(missing, (m) => `${m.kind}|${m.pool.name}`)) {
      const { node, kind, pool, live } = set[0];
      const field = kind === "ipip" ? "ipipMode" : "vxlanMode";
      ctx.report({
        messageId: kind,
        data: { who: whoText(set.map((m) => m.node)), pool: pool.name },
        span: nodeFieldSpan(node, "name"),
        resource: nodeResource(node),
        related: [
          {
            ...live.source.keyAt(["metadata", "annotations"]),
            message: `${live.origin.object}: no ${ANNOTATION[kind]}`,
          },
          {
            ...fieldSpan(pool.source, ["spec", field], ["metadata", "name"]),
            message: `${pool.origin.object}: ${field} ${kind === "ipip" ? pool.ipipMode : pool.vxlanMode}`,
          },
        ],
      });
    }
  },
});
