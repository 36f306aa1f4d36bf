/**
 * Tunnel addresses: a node's end of an IP-in-IP or VXLAN tunnel needs an address, which
 * calico-node takes from an IP pool (node/pkg/allocateip/allocateip.go). Without one, Felix sets
 * up no tunl0 (felix/dataplane/linux/ipip_mgr.go:193-197) and no VTEP for the node
 * (felix/calc/vxlan_resolver.go:259-305), so no tunnel route leads to or from it. The plan and
 * the rules ask this module which nodes get one.
 */
import { nodesSelectedByAny, selectionMask } from "./label-classes.js";
import type { Selector } from "./selector.js";
import type { TunnelEncapsulation } from "./mtu.js";
import type { Model, Node, Pool } from "./types.js";

/** The tunnel a pool's mode asks for: IP-in-IP (IPv4), VXLAN or VXLAN over IPv6. */
export function poolTunnel(
  pool: Pick<Pool, "ipipMode" | "vxlanMode" | "cidr">,
): TunnelEncapsulation | undefined {
  if (!pool.cidr) return undefined;
  if (pool.vxlanMode !== "Never") return pool.cidr.version === 6 ? "vxlan-v6" : "vxlan";
  if (pool.ipipMode !== "Never" && pool.cidr.version === 4) return "ipip";
  return undefined;
}

/**
 * Whether calico-node may take a node's `tunnel` address from `pool` (allocateip.go:695-753,
 * determineEnabledPoolCIDRs): the pool allows the Tunnel use, is enabled, has that tunnel's mode
 * on and its IP version. Whether it selects the node is the caller's question.
 */
export function givesTunnelAddress(
  pool: Pick<Pool, "ipipMode" | "vxlanMode" | "cidr" | "disabled" | "allowedUses">,
  tunnel: TunnelEncapsulation,
): boolean {
  // Calico fills in [Workload, Tunnel] when allowedUses is empty, as the model does.
  return !pool.disabled && pool.allowedUses.includes("Tunnel") && poolTunnel(pool) === tunnel;
}

const CACHE = new WeakMap<Model, Map<TunnelEncapsulation, ReadonlySet<string>>>();

/** The nodes that get a `tunnel` address: some enabled Tunnel pool of that tunnel selects them. */
export function nodesWithTunnelAddress(
  model: Model,
  tunnel: TunnelEncapsulation,
): ReadonlySet<string> {
  let byTunnel = CACHE.get(model);
  if (!byTunnel) {
    byTunnel = new Map<TunnelEncapsulation, ReadonlySet<string>>();
    CACHE.set(model, byTunnel);
  }
  let nodes = byTunnel.get(tunnel);
  if (!nodes) {
    nodes = new Set(
      nodesSelectedByAny(tunnelSelectors(model, tunnel), model.topology.nodes).map((n) => n.name),
    );
    byTunnel.set(tunnel, nodes);
  }
  return nodes;
}

/** Whether every node gets a `tunnel` address (the common case, told without a set of names). */
export function everyNodeHasTunnelAddress(model: Model, tunnel: TunnelEncapsulation): boolean {
  return selectionMask(tunnelSelectors(model, tunnel), model.topology.nodes).indexOf(0) === -1;
}

/** The node selectors of the enabled Tunnel pools of `tunnel`. */
function tunnelSelectors(model: Model, tunnel: TunnelEncapsulation): Selector[] {
  return model.pools.flatMap((p) =>
    p.nodeSelector && givesTunnelAddress(p, tunnel) ? [p.nodeSelector] : [],
  );
}

/** Whether `node` gets a `tunnel` address. */
export function hasTunnelAddress(model: Model, node: Node, tunnel: TunnelEncapsulation): boolean {
  return nodesWithTunnelAddress(model, tunnel).has(node.name);
}
