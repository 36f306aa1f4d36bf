/**
 * How workload traffic gets from one node to another: the one place that decides it. The host
 * renderers (static mode), `netcompile explain` and any later graph all read this module.
 *
 * The decision is Felix's (felix/calc/l3_route_resolver.go, nodeInOurSubnet): a route to a
 * block of a CrossSubnet pool is "same subnet" when the LOCAL node's subnet contains the REMOTE
 * node's address; then it goes direct on the underlay, otherwise through the tunnel. The pool
 * that decides is the one the destination block belongs to. Felix decides per IP family: a
 * block of an IPv6 pool with the nodes' IPv6 addresses and subnets (l3_route_resolver.go:868-885,
 * 900-915), and a node without an address of the pool's family gets no route at all.
 */
import { createHash } from "node:crypto";
import type { PodCIDRAllocation } from "./allocation.js";
import { cidrContainsAddress, formatAddress, type Cidr, type IpAddress } from "./cidr.js";
import { WIREGUARD } from "./defaults.js";
import { nodeAddress, poolFamily } from "./families.js";
import { hostFilesFor, subnetGateway } from "./host-network.js";
import { podMTUWithin, TUNNEL_FAMILY, type TunnelEncapsulation } from "./mtu.js";
import { hasTunnelAddress, poolTunnel } from "./tunnels.js";
import type { EncapMode, HostNetworkMode, IpFamily, Model, Node, Pool, Subnet } from "./types.js";

export type PathKind = "direct" | "ipip" | "vxlan";

/** Why a path was chosen; `explain` turns these into sentences. */
export type PathReason =
  /** The pool encapsulates every packet (ipipMode/vxlanMode Always). */
  | "always"
  /** CrossSubnet, and the local node's subnet contains the remote node's address. */
  | "cross-subnet-same-subnet"
  /** CrossSubnet, and the local node's subnet does not contain the remote node's address. */
  | "cross-subnet-other-subnet"
  /** The pool does not encapsulate at all (both modes Never). */
  | "no-encapsulation";

export interface PathDecision {
  readonly kind: PathKind;
  readonly reason: PathReason;
  /** The pool of the destination's addresses: its mode decides. */
  readonly pool: Pool;
  /** The pool's encapsulation ("none" when both modes are Never) and that mode. */
  readonly encapsulation: "ipip" | "vxlan" | "none";
  readonly mode: EncapMode;
  /** The pool's IP family: the nodes' addresses and subnets of this family decide. */
  readonly family: IpFamily;
  /** The local node's subnet of that family, and whether it contains the remote node's address. */
  readonly localSubnet: Subnet | undefined;
  readonly sameSubnet: boolean;
  /** The remote node's address of the pool's family (undefined: it has none). */
  readonly remoteAddress: IpAddress | undefined;
}

/** Device names. Calico mode: Felix's own. Static mode: ours, never `tunl0` (the kernel owns it). */
export const CALICO_DEVICES = {
  ipip: "tunl0",
  vxlan: "vxlan.calico",
  vxlanV6: "vxlan-v6.calico",
} as const;
export const STATIC_DEVICES = {
  ipip: "nc-ipip",
  vxlan: "nc-vxlan",
  vxlanV6: "nc-vxlan-v6",
} as const;

/** Every interface Felix creates or owns (calico mode marks them unmanaged), as name globs. */
export const CALICO_INTERFACE_GLOBS = [
  "cali*",
  "tunl*",
  "vxlan.calico",
  "vxlan-v6.calico",
  "wireguard.cali",
  "wg-v6.cali",
] as const;

/** A pool's encapsulation: VXLAN wins when (wrongly) both are set, as a rule reports that. */
export function poolEncapsulation(pool: Pool): {
  encapsulation: "ipip" | "vxlan" | "none";
  mode: EncapMode;
} {
  if (pool.vxlanMode !== "Never") return { encapsulation: "vxlan", mode: pool.vxlanMode };
  if (pool.ipipMode !== "Never") return { encapsulation: "ipip", mode: pool.ipipMode };
  return { encapsulation: "none", mode: "Never" };
}

/** Felix's decision for traffic from `local` to workloads of `remote` whose addresses are in `pool`. */
export function decidePath(local: Node, remote: Node, pool: Pool): PathDecision {
  const { encapsulation, mode } = poolEncapsulation(pool);
  const family = poolFamily(pool);
  const localSubnet = nodeAddress(local, family)?.subnet;
  const remoteAddress = nodeAddress(remote, family)?.address;
  const same = sameSubnet(local, remote, family);
  return {
    pool,
    encapsulation,
    mode,
    family,
    localSubnet,
    sameSubnet: same,
    remoteAddress,
    ...pathKind(pool, same),
  };
}

/**
 * Whether the local node's subnet of `family` contains the remote node's address of that family
 * (Felix's nodeInOurSubnet; false when either has no address of the family).
 */
export function sameSubnet(local: Node, remote: Node, family: IpFamily): boolean {
  const cidr = nodeAddress(local, family)?.subnet?.cidr;
  const address = nodeAddress(remote, family)?.address;
  return cidr !== undefined && address !== undefined && cidrContainsAddress(cidr, address);
}

type KindAndReason = Pick<PathDecision, "kind" | "reason">;
const KINDS = new WeakMap<Pool, readonly [same: KindAndReason, other: KindAndReason]>();

/**
 * The path's kind and reason, from the destination's pool and `sameSubnet`: decidePath's
 * decision without the rest of the report, for callers that ask it for every pair of nodes
 * (the static host model). Computed once per pool.
 */
export function pathKind(pool: Pool, same: boolean): KindAndReason {
  let kinds = KINDS.get(pool);
  if (!kinds) {
    const { encapsulation, mode } = poolEncapsulation(pool);
    const decide = (same: boolean): KindAndReason => {
      if (encapsulation === "none") return { kind: "direct", reason: "no-encapsulation" };
      if (mode === "Always") return { kind: encapsulation, reason: "always" };
      return same
        ? { kind: "direct", reason: "cross-subnet-same-subnet" }
        : { kind: encapsulation, reason: "cross-subnet-other-subnet" };
    };
    kinds = [Object.freeze(decide(true)), Object.freeze(decide(false))];
    KINDS.set(pool, kinds);
  }
  return kinds[same ? 0 : 1];
}

/** The device a path leaves the local node on. */
export function pathDevice(
  mode: HostNetworkMode,
  local: Node,
  kind: PathKind,
  ipVersion: 4 | 6,
): string {
  if (kind === "direct") return local.interface;
  if (kind === "ipip") return mode === "static" ? STATIC_DEVICES.ipip : CALICO_DEVICES.ipip;
  const devices = mode === "static" ? STATIC_DEVICES : CALICO_DEVICES;
  return ipVersion === 6 ? devices.vxlanV6 : devices.vxlan;
}

/** The tunnel a path of `kind` takes for traffic of `ipVersion` (IP-in-IP carries IPv4 only). */
export function pathTunnel(kind: "ipip" | "vxlan", ipVersion: IpFamily): TunnelEncapsulation {
  if (kind === "ipip") return "ipip";
  return ipVersion === 6 ? "vxlan-v6" : "vxlan";
}

/**
 * A tunnel device's MTU. Calico mode: Felix sets every tunnel to the workload MTU. Static mode:
 * the explicit podMTU, else the smallest underlay MTU of the tunnel's family less its overhead.
 */
export function tunnelMTU(model: Model, kind: "ipip" | "vxlan", ipVersion: 4 | 6 = 4): number {
  if (model.cluster.hostNetwork.mode === "calico") return model.podMTU;
  const tunnel = pathTunnel(kind, ipVersion);
  const underlay = model.familyUnderlayMTU[TUNNEL_FAMILY[tunnel]];
  return model.cluster.podMTU ?? podMTUWithin(underlay, [tunnel]).mtu;
}

/** The MTU of the device a path leaves on: the tunnel's, or the local underlay link's. */
export function pathMTU(model: Model, local: Node, kind: PathKind, ipVersion: 4 | 6): number {
  if (kind === "direct")
    return nodeAddress(local, ipVersion)?.subnet?.mtu ?? model.cluster.underlayMTU;
  return tunnelMTU(model, kind, ipVersion);
}

/**
 * The VTEP MAC Felix gives a node's VXLAN device: "f" (0x66) and the first five bytes of
 * SHA-1(node name), for the IPv6 device SHA-1(node name + "-v6") (felix/calc/vxlan_resolver.go:
 * 363-390, vtepMACForHost; the device takes it in felix/dataplane/linux/vxlan_mgr.go:305-325).
 */
export function vtepMAC(nodeName: string, family: IpFamily = 4): string {
  const hashed = family === 6 ? `${nodeName}-v6` : nodeName;
  const sha = createHash("sha1").update(hashed, "utf8").digest();
  const bytes = [0x66, ...sha.subarray(0, 5)];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** A static node's tunnel (VTEP) address: the first address of its pod CIDR, as Calico IPAM hands out. */
export function tunnelAddress(podCIDR: Cidr): string {
  return formatAddress(podCIDR.version, podCIDR.start);
}

/** Who installs a route on the local node. */
export function routeInstaller(
  model: Model,
  decision: PathDecision,
): "systemd-networkd" | "felix" | "bird" {
  if (model.cluster.hostNetwork.mode === "static") return "systemd-networkd";
  // Felix programs every route of a VXLAN pool, the same-subnet ones too (route_mgr.go); with
  // BGP, BIRD programs the IPIP and unencapsulated ones.
  if (decision.encapsulation === "vxlan") return "felix";
  return model.cluster.backend === "bird" ? "bird" : "felix";
}

/**
 * Who sets the prefix of a node's address on its interface, which Calico's same-subnet decision
 * reads (felix/calc/l3_route_resolver.go:367-378 and :898-916; calico-node autodetects the
 * address with the interface's own prefix, node/pkg/lifecycle/startup/startup.go:624-629):
 * netcompile's host files (a static address with the subnet's prefix), DHCP, or nobody
 * netcompile knows (no host files are rendered for the node).
 */
export type PrefixSource = "host-files" | "dhcp" | "no-host-files";

export function interfacePrefixSource(
  model: Model,
  node: Node,
  family: IpFamily = 4,
): PrefixSource {
  // The node's files are rendered by its own subnet (its `address`); they set each family's prefix.
  const subnet = nodeAddress(node, family)?.subnet;
  if (subnet?.dhcp) return "dhcp";
  const rendered =
    model.cluster.hostNetwork.formats.length > 0 &&
    subnet !== undefined &&
    node.subnet !== undefined &&
    (model.cluster.hostNetwork.mode === "static" || hostFilesFor(node.subnet));
  return rendered ? "host-files" : "no-host-files";
}

/** Whether a pool's decision reads the interface prefix: CrossSubnet's "same subnet". */
export function decidesBySubnet(pool: Pool): boolean {
  return poolEncapsulation(pool).mode === "CrossSubnet";
}

/**
 * A path that goes direct to a node of another subnet, on an underlay that routes workload
 * addresses: the local host sends it to its subnet's gateway (BIRD resolves the BGP next hop,
 * the remote node, recursively: bird.cfg.template's `gateway recursive`), and the routers must
 * know the way to the remote node's workloads.
 */
export interface RoutedUnderlay {
  /** The remote node's address: BIRD's BGP next hop, and where the routers must send the traffic. */
  readonly nextHop: string;
  /** The local gateway the kernel route goes through (the subnet's); undefined with DHCP or none. */
  readonly gateway: string | undefined;
  readonly gatewayFrom: "subnet" | "dhcp" | "none";
  /**
   * What the routers must route to `nextHop`: a CIDR (a static node's pod CIDR, or a pool that
   * only this node takes addresses from), or undefined for the blocks Calico IPAM gives the node.
   */
  readonly routersLearn: string | undefined;
  /** `routersLearn` is a whole pool (one route covers every block). */
  readonly aggregated: boolean;
  /** How routers can learn it: BGP with the nodes (Calico IPAM moves blocks), or static routes. */
  readonly how: "bgp" | "static";
}

function routedUnderlay(
  model: Model,
  from: Node,
  to: Node,
  pool: Pool,
  family: IpFamily,
): RoutedUnderlay {
  // The gateway and next hop of the pool's family: an IPv6 pool goes through the IPv6 subnet's.
  const subnet = nodeAddress(from, family)?.subnet;
  const gateway = subnet && subnetGateway(subnet);
  const gatewayFrom = subnet?.dhcp ? "dhcp" : gateway !== undefined ? "subnet" : "none";
  const onlyThisNode = (model.nodesByPool.get(pool.name) ?? []).length === 1;
  const own =
    model.cluster.hostNetwork.mode === "static"
      ? podCIDRAllocation(model, to.name, family)
      : undefined;
  const routersLearn = onlyThisNode ? pool.cidr?.canonical : own?.cidr.canonical;
  return {
    nextHop: nodeAddress(to, family)?.address.text ?? to.addressText,
    gateway: gatewayFrom === "subnet" ? gateway : undefined,
    gatewayFrom,
    routersLearn,
    aggregated: onlyThisNode && routersLearn !== undefined,
    how: model.cluster.hostNetwork.mode === "static" || onlyThisNode ? "static" : "bgp",
  };
}

/** One direction between two nodes, for one pool of the destination's addresses. */
export interface PathReport {
  readonly from: Node;
  readonly to: Node;
  readonly decision: PathDecision;
  readonly device: string;
  readonly mtu: number;
  /** The route `from` installs. */
  readonly route: {
    /** The destination's pod CIDR (static mode), or undefined: Calico IPAM hands out blocks. */
    readonly destination: Cidr | undefined;
    /** The next hop (a VTEP or node address), or undefined when Calico IPAM assigns it. */
    readonly gateway: string | undefined;
    readonly onLink: boolean;
    readonly installedBy: "systemd-networkd" | "felix" | "bird";
  };
  /** VXLAN: the static neighbour and forwarding entry that go with the route. */
  readonly vxlan: { readonly mac: string; readonly underlay: string } | undefined;
  /** Direct to another subnet over routers that route workload addresses. */
  readonly routed: RoutedUnderlay | undefined;
  /** Who sets the local interface's prefix, when the decision reads it (CrossSubnet, none). */
  readonly prefix: PrefixSource | undefined;
  /**
   * WireGuard on for the pool's family (calico mode): Felix's WireGuard routing table, looked up
   * before the main table, sends the traffic through `device` as UDP to the peer's node address;
   * the route above is what is left when the peer has no WireGuard key.
   */
  readonly wireguard: WireguardPath | undefined;
  /**
   * Why the route will not exist, or undefined when it will: a node has no address of the
   * pool's family (missingAddress), or Calico installs nothing (missingRoute).
   */
  readonly missing: string | undefined;
}

export interface WireguardPath {
  readonly device: string;
  readonly mtu: number;
  /** The peer's node address of the family: the outer UDP packets' destination. */
  readonly underlay: string | undefined;
  readonly port: number;
  /** Priority of Felix's ip rule that sends unmarked traffic to its WireGuard table. */
  readonly rulePriority: number;
}

/**
 * The WireGuard leg of a path of `family`, when the Cluster turns WireGuard on for it. Felix
 * routes workload traffic to a peer that has published a WireGuard key through its WireGuard
 * device, in a table an ip rule (priority 99, packets without WireGuard's mark) puts before the
 * main table (felix/wireguard/wireguard.go:1100-1160 and 1644-1653, shouldProgramWireguardPeer
 * 1700-1715; device names and ports: felix/config/config_params.go:170-178).
 */
export function wireguardPath(model: Model, to: Node, family: IpFamily): WireguardPath | undefined {
  const { wireguard } = model.cluster;
  if (model.cluster.hostNetwork.mode !== "calico") return undefined;
  if (!(family === 6 ? wireguard.ipv6 : wireguard.ipv4)) return undefined;
  return {
    device: family === 6 ? WIREGUARD.deviceV6 : WIREGUARD.device,
    // calico-node's FELIX_WIREGUARDMTU(V6) read veth_mtu, like every tunnel's.
    mtu: model.podMTU,
    underlay: nodeAddress(to, family)?.address.text,
    port: family === 6 ? WIREGUARD.portV6 : WIREGUARD.port,
    rulePriority: WIREGUARD.routingRulePriority,
  };
}

/**
 * Why Felix installs no route from `from` to the `family` workloads of `to`: a node without an
 * address of the family has no subnet, VTEP or BGP session of that family
 * (felix/calc/vxlan_resolver.go:261-283 sends no VTEP without it).
 */
export function missingAddress(from: Node, to: Node, family: IpFamily): string | undefined {
  const without = [from, to].filter((n) => !nodeAddress(n, family)).map((n) => n.name);
  if (without.length === 0) return undefined;
  const who = without.join(" and ");
  return `${who} ${without.length === 1 ? "has" : "have"} no IPv${family} address (address${family === 6 ? "/addressV6" : ""} in the Topology), so no node routes IPv${family} workload traffic ${without.length === 1 && without[0] === to.name ? "to it" : "between them"}`;
}

/**
 * Why Calico installs no route from `from` to the workloads of `to` that `decision` is about, or
 * undefined when it does. Static mode: the host files install every route. Calico mode:
 *  - backend none: calico-node configures no node address (node/pkg/lifecycle/startup/startup.go:371-376),
 *    so Felix knows no node to route to;
 *  - IP-in-IP and unencapsulated routes come from BIRD (confd's bird_ipam.cfg.template), which
 *    runs only with backend bird (node/filesystem/etc/rc.local:53-69);
 *  - a tunnel needs a tunnel address on both ends (tunnels.ts): without one Felix sets up no
 *    tunl0, or no VTEP.
 */
export function missingRoute(
  model: Model,
  decision: PathDecision,
  from: Node,
  to: Node,
): string | undefined {
  if (model.cluster.hostNetwork.mode === "static") return undefined;
  const { backend } = model.cluster;
  if (backend === "none")
    return "backend none: calico-node configures no node address, so Felix routes to no other node";
  if (decision.encapsulation !== "vxlan" && backend !== "bird")
    return `backend ${backend}: BIRD, which programs ${decision.encapsulation === "ipip" ? "IP-in-IP" : "unencapsulated"} routes, does not run`;
  if (decision.kind === "direct") return undefined;
  const tunnel = poolTunnel(decision.pool);
  if (!tunnel) return undefined;
  const what = tunnel === "ipip" ? "IP-in-IP" : "VXLAN";
  const without = [from, to].filter((n) => !hasTunnelAddress(model, n, tunnel)).map((n) => n.name);
  if (without.length === 0) return undefined;
  const device = tunnel === "ipip" ? "no tunl0" : "no VTEP";
  return `${without.join(" and ")} ${without.length === 1 ? "gets" : "get"} no ${what} tunnel address (no enabled pool with the Tunnel use and ${tunnel === "ipip" ? "ipipMode" : "vxlanMode"} on selects ${without.length === 1 ? "it" : "them"}), so ${device} there`;
}

/**
 * How workloads on `from` reach workloads on `to`: one report per pool `to` takes addresses
 * from (static mode: the pool of its pod CIDR; calico mode: every pool that selects it).
 */
export function pathsBetween(model: Model, from: Node, to: Node): PathReport[] {
  const mode = model.cluster.hostNetwork.mode;
  const pools = destinationPools(model, to);
  return pools.map((pool) => {
    const decision = decidePath(from, to, pool);
    const version = decision.family;
    const destination =
      mode === "static" ? podCIDRAllocation(model, to.name, version)?.cidr : undefined;
    const underlay = decision.remoteAddress?.text;
    const routed =
      decision.kind === "direct" &&
      !decision.sameSubnet &&
      underlay !== undefined &&
      model.topology.routesWorkloadIPs
        ? routedUnderlay(model, from, to, pool, version)
        : undefined;
    const gateway = routed
      ? routed.gateway
      : decision.kind === "vxlan"
        ? destination && tunnelAddress(destination)
        : underlay;
    return {
      from,
      to,
      decision,
      device: pathDevice(mode, from, decision.kind, version),
      mtu: pathMTU(model, from, decision.kind, version),
      route: {
        // Static hosts have no route of their own to another subnet's pods: the default route.
        destination: routed && mode === "static" ? undefined : destination,
        gateway,
        onLink: decision.kind !== "direct",
        installedBy: routeInstaller(model, decision),
      },
      vxlan:
        decision.kind === "vxlan"
          ? { mac: vtepMAC(to.name, version), underlay: underlay ?? "(none)" }
          : undefined,
      routed,
      prefix: decidesBySubnet(pool) ? interfacePrefixSource(model, from, version) : undefined,
      wireguard: wireguardPath(model, to, version),
      missing: missingAddress(from, to, version) ?? missingRoute(model, decision, from, to),
    };
  });
}

/** A static node's pod CIDR of one family (allocation.ts). */
export function podCIDRAllocation(
  model: Model,
  node: string,
  family: IpFamily,
): PodCIDRAllocation | undefined {
  return (family === 6 ? model.podCIDRsV6 : model.podCIDRs).get(node);
}

/**
 * The pools whose addresses workloads on `to` take (static mode: the pool of its pod CIDR;
 * calico mode: every enabled pool with a CIDR that selects it). `pathsBetween` and the graph
 * (src/graph) both ask this.
 */
export function destinationPools(model: Model, to: Node): Pool[] {
  if (model.cluster.hostNetwork.mode === "static") {
    return [model.podCIDRs.get(to.name), model.podCIDRsV6.get(to.name)].flatMap((a) =>
      a ? [a.pool] : [],
    );
  }
  return (model.poolsByNode.get(to.name) ?? []).filter((p) => p.cidr);
}
