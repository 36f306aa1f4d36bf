/**
 * IP families, in one place: a node's address of each family, a pool's family, and the families
 * calico-node detects a node address for. Felix routes each family apart, with the nodes'
 * addresses and subnets of that family (felix/calc/l3_route_resolver.go:868-885, 900-915).
 */
import { FrozenSet } from "./freeze.js";
import type { IpFamily, Node, NodeAddress, Pool, Subnet, Topology } from "./types.js";

export const FAMILIES: readonly IpFamily[] = [4, 6];

/** The IP family of a pool's addresses (a pool whose CIDR does not parse counts as IPv4). */
export function poolFamily(pool: Pool): IpFamily {
  return pool.cidr?.version ?? 4;
}

/** A node's address of one family, with its subnet: `address`, or `addressV6` (dual-stack). */
export function nodeAddress(node: Node, family: IpFamily): NodeAddress | undefined {
  return family === 4 ? node.ipv4 : node.ipv6;
}

/** A dual-stack node's second address (`addressV6` beside an IPv4 `address`), if it has one. */
export function dualStackAddress(node: Node): NodeAddress | undefined {
  return node.ipv6?.field === "addressV6" ? node.ipv6 : undefined;
}

/** subnetsHolding's answers by topology (frozen: the answer never changes) and family. */
const HOLDING = new WeakMap<Topology, Map<IpFamily, ReadonlySet<Subnet>>>();

/** The subnets holding some node's address of `family`. */
export function subnetsHolding(topology: Topology, family: IpFamily): ReadonlySet<Subnet> {
  let known = HOLDING.get(topology);
  if (!known) HOLDING.set(topology, (known = new Map<IpFamily, ReadonlySet<Subnet>>()));
  let holding = known.get(family);
  if (holding) return holding;
  const found = new Set<Subnet>();
  let last: Subnet | undefined;
  for (const node of topology.nodes) {
    const subnet = nodeAddress(node, family)?.subnet;
    // A node group's nodes are in one subnet: skip the set for a run of them.
    if (subnet && subnet !== last) found.add((last = subnet));
  }
  known.set(family, (holding = new FrozenSet(found)));
  return holding;
}

/**
 * The families calico-node autodetects a node address for, on every node (the DaemonSet's `IP`
 * and `IP6`, the operator's nodeAddressAutodetectionV4/V6): IPv6 when an enabled pool is IPv6,
 * IPv4 when one is IPv4 or none is IPv6. Where autodetection finds no address of a family it is
 * asked for, calico-node exits (node/pkg/lifecycle/startup/startup.go:623-633, 656-666).
 */
export function calicoNodeFamilies(pools: readonly Pool[]): { ipv4: boolean; ipv6: boolean } {
  const enabled = pools.filter((p) => !p.disabled);
  const ipv6 = enabled.some((p) => p.cidr?.version === 6);
  const ipv4 = enabled.some((p) => p.cidr?.version === 4) || !ipv6;
  return { ipv4, ipv6 };
}
