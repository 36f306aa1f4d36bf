import { everyNodeHasTunnelAddress, hasTunnelAddress, poolTunnel } from "../../model/tunnels.js";
import type { Node, Pool } from "../../model/types.js";
import { naturalCompare, plural } from "../../util/text.js";
import { defineRule } from "../rule.js";
import { encapsulationSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * An encapsulating pool works only where both ends of a tunnel have a tunnel address, and
 * calico-node takes a node's address only from an enabled pool that allows the Tunnel use, has
 * the same encapsulation and selects the node (node/pkg/allocateip). A VXLAN pool restricted to
 * [Workload], or with a nodeSelector narrower than the nodes that talk to its workloads, leaves
 * nodes without a VTEP: no route to or from them.
 */
export const rule = defineRule({
  id: "pool-tunnel-address",
  meta: {
    description:
      "An encapsulating IPPool's traffic crosses nodes that get no tunnel address of its kind (no enabled pool with the Tunnel use and that encapsulation selects them).",
    defaultSeverity: "error",
    category: "topology",
    // A missing node changes who crosses subnets; a missing pool may be the one giving tunnel addresses.
    needsEvery: ["Topology", "IPPool"],
    messages: {
      vxlan:
        'IPPool "{pool}" ({field} {mode}) sends VXLAN traffic to or from {nodes} that get no VXLAN tunnel address: no enabled IPv{version} pool with vxlanMode on and the Tunnel use in allowedUses selects them, so they have no VTEP and no node has a route to or from their workloads; allow Tunnel on this pool (allowedUses [Workload, Tunnel]) or add a VXLAN pool with the Tunnel use that selects them',
      ipip: 'IPPool "{pool}" ({field} {mode}) sends IP-in-IP traffic to or from {nodes} that get no IP-in-IP tunnel address: no enabled IPv4 pool with ipipMode on and the Tunnel use in allowedUses selects them, so Felix does not set tunl0 up there and the traffic is lost; allow Tunnel on this pool (allowedUses [Workload, Tunnel]) or add an IP-in-IP pool with the Tunnel use that selects them',
    },
  },
  check(model, ctx) {
    if (model.cluster.hostNetwork.mode === "static") return; // the host files are the tunnels
    const all = model.topology.nodes;
    if (all.length < 2) return;
    let countAll: ReturnType<typeof countBySubnet> | undefined;
    for (const pool of model.pools) {
      const tunnel = poolTunnel(pool);
      if (pool.disabled || !tunnel) continue;
      const receivers = model.nodesByPool.get(pool.name) ?? [];
      if (receivers.length === 0) continue;
      // Every node has a tunnel address of this kind: none lacks one.
      if (everyNodeHasTunnelAddress(model, tunnel)) continue;
      countAll ??= countBySubnet(all);
      const lacking = involvedNodes(pool, receivers, all, countAll).filter(
        (n) => !hasTunnelAddress(model, n, tunnel),
      );
      if (lacking.length === 0) continue;
      const where = { span: encapsulationSpan(pool), resource: poolResource(pool) };
      const nodes = nodesText(lacking);
      if (tunnel === "ipip") {
        ctx.report({
          ...where,
          messageId: "ipip",
          data: { pool: pool.name, field: "ipipMode", mode: pool.ipipMode, nodes },
        });
      } else {
        const version = tunnel === "vxlan-v6" ? 6 : 4;
        ctx.report({
          ...where,
          messageId: "vxlan",
          data: { pool: pool.name, field: "vxlanMode", mode: pool.vxlanMode, nodes, version },
        });
      }
    }
  },
});

/** A node's subnet, or the node itself when it has none (then it shares a subnet with no one). */
const subnetKey = (n: Node): object => n.subnet ?? n;

function countBySubnet(nodes: readonly Node[]): Map<object, number> {
  const counts = new Map<object, number>();
  for (const n of nodes) counts.set(subnetKey(n), (counts.get(subnetKey(n)) ?? 0) + 1);
  return counts;
}

/**
 * The nodes that take part in the pool's encapsulated traffic: its own nodes that some other node
 * reaches through the tunnel, and every node that reaches one of them through it. Always: every
 * node. CrossSubnet: the pairs in different subnets (Felix's decision, routing.ts).
 */
function involvedNodes(
  pool: Pool,
  receivers: readonly Node[],
  all: readonly Node[],
  countAll: ReadonlyMap<object, number>,
): Node[] {
  const mode = pool.vxlanMode !== "Never" ? pool.vxlanMode : pool.ipipMode;
  if (mode === "Always") return [...all];
  const ownCount = countBySubnet(receivers);
  const isReceiver = new Set(receivers);
  return all.filter((n) => {
    const key = subnetKey(n);
    const receivesAcross = isReceiver.has(n) && all.length - (countAll.get(key) ?? 0) > 0;
    const sendsAcross = receivers.length - (ownCount.get(key) ?? 0) > 0;
    return receivesAcross || sendsAcross;
  });
}

/** "3 nodes (node-b1, worker-1, worker-2)", naming at most three. */
function nodesText(nodes: readonly Node[]): string {
  const names = nodes.map((n) => n.name).sort(naturalCompare);
  const shown = names.slice(0, 3).join(", ");
  return `${plural(names.length, "node")} (${shown}${names.length > 3 ? ", …" : ""})`;
}
