/**
 * The per-node host model: what each node's host network must look like, computed once from
 * the resolved model. The netplan, systemd-networkd and NetworkManager writers only print it
 * (netplan's parse -> model -> one writer per backend). Every routing decision comes from
 * src/model/routing.ts, the same module `netcompile explain` reads.
 *
 * calico mode: O(1) per node (Felix and BIRD own the overlay). static mode: each host lists
 * every peer, so the output grows with the square of the nodes — but the model does not. What a
 * peer contributes (its route through the underlay, the VXLAN tunnel or the IP-in-IP tunnel, its
 * VXLAN neighbour entry) does not depend on the host listing it, and which list it goes in
 * depends only on the host's subnet: so each subnet's lists are made once, and a host's list is
 * its subnet's list less the host itself (a PeerList). The model is O(nodes x subnets), and the
 * writers print each subnet's list once (engine.ts, eachItem).
 */
import type { Cidr, IpAddress } from "../model/cidr.js";
import type { PodCIDRAllocation } from "../model/allocation.js";
import { hostFilesFor, subnetGateway } from "../model/host-network.js";
import { cidrContainsAddress } from "../model/cidr.js";
import { dualStackAddress, FAMILIES, nodeAddress } from "../model/families.js";
import {
  CALICO_INTERFACE_GLOBS,
  pathKind,
  podCIDRAllocation,
  STATIC_DEVICES,
  tunnelAddress,
  tunnelMTU,
  vtepMAC,
} from "../model/routing.js";
import type {
  HostFormat,
  HostNetworkMode,
  IpFamily,
  Model,
  Node,
  NodeAddress,
  Subnet,
} from "../model/types.js";
import { must } from "../util/must.js";

/**
 * A host's list of what its peers contribute: `shared` (the same array for every host of a
 * subnet) without its entry `skip` (the host itself; -1 when it is not in it).
 */
export interface PeerList<T> {
  readonly shared: readonly T[];
  readonly skip: number;
  readonly length: number;
}

export function peerList<T>(shared: readonly T[], skip = -1): PeerList<T> {
  return Object.freeze({ shared, skip, length: shared.length - (skip >= 0 ? 1 : 0) });
}

/** The list's items, in order. */
export function peerListItems<T>(list: PeerList<T>): T[] {
  return list.shared.filter((_, i) => i !== list.skip);
}

const NO_ROUTES = peerList<HostRoute>([]);

/** A route the host installs itself (static mode). */
export interface HostRoute {
  readonly destination: string;
  readonly gateway: string;
  /** The gateway is reachable on the device without a connected route (tunnel next hops). */
  readonly onLink: boolean;
  /** The node whose pod CIDR this is. */
  readonly peer: string;
}

export interface UnderlayLink {
  readonly interface: string;
  readonly ipVersion: 4 | 6;
  readonly dhcp: boolean;
  /** Address with the subnet's prefix, e.g. "10.10.1.11/24"; undefined with DHCP. */
  readonly address: string | undefined;
  /** The subnet's gateway (default route); undefined with DHCP or when the subnet has none. */
  readonly gateway: string | undefined;
  /** The NIC MTU the repository declares; undefined: the files leave it to the system or DHCP. */
  readonly mtu: number | undefined;
  /** CrossSubnet peers in the same subnet: their pod CIDR via their underlay address. */
  readonly routes: PeerList<HostRoute>;
  /** Dual-stack: the node's IPv6 address (`addressV6`) on the same interface. */
  readonly v6: UnderlayAddress | undefined;
}

/** The second address of a dual-stack underlay link, with its own subnet's settings. */
export interface UnderlayAddress {
  readonly dhcp: boolean;
  readonly address: string | undefined;
  readonly gateway: string | undefined;
  /** The IPv6 subnet's MTU, when smaller than the link's (IPv6MTUBytes / ipv6-mtu). */
  readonly ipv6MTU: number | undefined;
  readonly routes: PeerList<HostRoute>;
}

export interface VxlanPeer {
  readonly node: string;
  /** The peer's pod CIDR, routed via its VTEP address. */
  readonly destination: string;
  readonly vtepAddress: string;
  readonly mac: string;
  readonly underlayAddress: string;
}

export interface VxlanTunnel {
  readonly name: string;
  readonly family: IpFamily;
  readonly vni: number;
  readonly port: number;
  readonly local: string;
  readonly mtu: number;
  readonly mac: string;
  /** The node's VTEP address as a /32 (/128 for IPv6). */
  readonly address: string;
  /** Peers reached through the tunnel: one static neighbour and one FDB entry each. */
  readonly peers: PeerList<VxlanPeer>;
  readonly routes: PeerList<HostRoute>;
}

export interface IpipTunnel {
  readonly name: string;
  readonly local: string;
  readonly mtu: number;
  readonly address: string;
  readonly routes: PeerList<HostRoute>;
}

export interface HostModel {
  readonly node: string;
  readonly mode: HostNetworkMode;
  readonly formats: readonly HostFormat[];
  readonly underlay: UnderlayLink;
  /** static mode: the node's own pod CIDR. */
  readonly podCIDR: string | undefined;
  /** static mode, dual-stack or IPv6: the node's own IPv6 pod CIDR. */
  readonly podCIDRV6: string | undefined;
  /** static mode: present when IPv4 traffic from or to this node uses VXLAN. */
  readonly vxlan: VxlanTunnel | undefined;
  /** static mode: present when IPv6 traffic from or to this node uses VXLAN (over IPv6). */
  readonly vxlanV6: VxlanTunnel | undefined;
  /** static mode: present when traffic from or to this node uses IP-in-IP. */
  readonly ipip: IpipTunnel | undefined;
  /** calico mode: Felix's interfaces, which networkd must leave alone. */
  readonly unmanagedInterfaces: readonly string[];
  /** calico mode: networkd keeps routes and rules it did not add (BIRD's, Felix's). */
  readonly keepForeignRoutes: boolean;
}

const byName = (a: Node, b: Node) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const cache = new WeakMap<Model, readonly HostModel[]>();

/**
 * Host models for every node that has an address in a subnet, in node-name order. Computed
 * once per (immutable) model: every writer prints the same objects.
 */
export function buildHostModels(model: Model): readonly HostModel[] {
  let hosts = cache.get(model);
  if (!hosts) {
    hosts = computeHostModels(model);
    cache.set(model, hosts);
  }
  return hosts;
}

function computeHostModels(model: Model): HostModel[] {
  const nodes = model.topology.nodes.filter((n) => n.address && n.subnet?.cidr).sort(byName);
  const mode = model.cluster.hostNetwork.mode;
  if (mode === "calico") {
    // A subnet without a default route gets no host files (NC5035 says so).
    return nodes
      .filter((n) => n.subnet !== undefined && hostFilesFor(n.subnet))
      .map((node) => calicoHost(model, node));
  }
  const peers = { 4: staticPeers(model, nodes, 4), 6: staticPeers(model, nodes, 6) };
  return nodes
    .filter((n) => model.podCIDRs.has(n.name) || model.podCIDRsV6.has(n.name))
    .map((node) => staticHost(model, node, peers));
}

/** Where a node sits. Only a model that validated is rendered: every node has all three. */
function placed(node: Node): {
  readonly address: IpAddress;
  readonly subnet: Subnet;
  readonly cidr: Cidr;
} {
  const subnet = must(node.subnet, `node ${node.name}'s subnet`);
  const address = must(node.address, `node ${node.name}'s address`);
  return { address, subnet, cidr: must(subnet.cidr, `subnet ${subnet.name}'s cidr`) };
}

/** Where a node sits in one family: its address of that family and that address's subnet. */
function placedIn(
  node: Node,
  family: IpFamily,
): { readonly address: IpAddress; readonly subnet: Subnet } {
  const at = must(nodeAddress(node, family), `node ${node.name}'s IPv${family} address`);
  return {
    address: at.address,
    subnet: must(at.subnet, `node ${node.name}'s IPv${family} subnet`),
  };
}

/** A dual-stack node's IPv6 address (addressV6) and its subnet's CIDR, when known. */
function secondAddress(node: Node): { at: NodeAddress; subnet: Subnet; cidr: Cidr } | undefined {
  const v6 = dualStackAddress(node);
  if (!v6?.subnet?.cidr) return undefined;
  return { at: v6, subnet: v6.subnet, cidr: v6.subnet.cidr };
}

function underlayLink(
  node: Node,
  routes: PeerList<HostRoute>,
  routesV6: PeerList<HostRoute> = NO_ROUTES,
): UnderlayLink {
  const { address: own, subnet, cidr } = placed(node);
  const second = secondAddress(node);
  return {
    interface: node.interface,
    ipVersion: own.version,
    dhcp: subnet.dhcp,
    address: subnet.dhcp ? undefined : `${own.text}/${cidr.prefix}`,
    gateway: subnet.dhcp ? undefined : subnetGateway(subnet),
    mtu: subnet.declaredMTU,
    routes,
    v6: second
      ? {
          dhcp: second.subnet.dhcp,
          address: second.subnet.dhcp
            ? undefined
            : `${second.at.address.text}/${second.cidr.prefix}`,
          gateway: second.subnet.dhcp ? undefined : subnetGateway(second.subnet),
          // Only a declared IPv6 MTU below the link's is written; a larger one cannot be
          // (host-network.ts refuses it): the link has one MTU.
          ipv6MTU: smallerDeclared(second.subnet, subnet.mtu),
          routes: routesV6,
        }
      : undefined,
  };
}

function smallerDeclared(subnet: Subnet, linkMTU: number): number | undefined {
  const declared = subnet.declaredMTU;
  return declared !== undefined && declared < linkMTU ? declared : undefined;
}

function calicoHost(model: Model, node: Node): HostModel {
  return {
    node: node.name,
    mode: "calico",
    formats: model.cluster.hostNetwork.formats,
    underlay: underlayLink(node, NO_ROUTES),
    podCIDR: undefined,
    podCIDRV6: undefined,
    vxlan: undefined,
    vxlanV6: undefined,
    ipip: undefined,
    unmanagedInterfaces: CALICO_INTERFACE_GLOBS,
    keepForeignRoutes: true,
  };
}

/** What one static-mode node is to every other, in one family: the same objects in every host's lists. */
interface StaticPeer {
  readonly node: Node;
  readonly address: NodeAddress;
  readonly allocation: PodCIDRAllocation;
  readonly vxlanPeer: VxlanPeer;
  readonly vxlanRoute: HostRoute;
  readonly ipipRoute: HostRoute;
  readonly underlayRoute: HostRoute;
}

type PeerKind = "underlay" | "vxlan" | "ipip";

/** The lists of every host of one subnet, before each takes itself out. */
interface SubnetLists {
  readonly underlayRoutes: HostRoute[];
  readonly vxlanPeers: VxlanPeer[];
  readonly vxlanRoutes: HostRoute[];
  readonly ipipRoutes: HostRoute[];
  /** The list each peer went in, and its position there. */
  readonly position: Map<Node, { readonly list: PeerKind; readonly index: number }>;
}

interface StaticPeers {
  readonly family: IpFamily;
  /** Nodes with a pod CIDR of the family, in node-name order. */
  readonly list: readonly StaticPeer[];
  /** How many peers sit in each subnet. */
  readonly perSubnet: ReadonlyMap<Subnet, number>;
  /** The nodes whose address a subnet contains: routing.ts `sameSubnet`, per subnet. */
  readonly inSubnet: (subnet: Subnet) => ReadonlySet<Node>;
  readonly lists: (subnet: Subnet) => SubnetLists;
}

function staticPeers(model: Model, all: readonly Node[], family: IpFamily): StaticPeers {
  const list: StaticPeer[] = [];
  const perSubnet = new Map<Subnet, number>();
  const nodes = all.filter((n) => nodeAddress(n, family)?.subnet?.cidr);
  for (const peer of nodes) {
    const allocation = podCIDRAllocation(model, peer.name, family);
    if (!allocation) continue;
    const address = must(nodeAddress(peer, family), `node ${peer.name}'s IPv${family} address`);
    const destination = allocation.cidr.canonical;
    const vtepAddress = tunnelAddress(allocation.cidr);
    const underlayAddress = address.address.text;
    const { subnet } = placedIn(peer, family);
    perSubnet.set(subnet, (perSubnet.get(subnet) ?? 0) + 1);
    list.push({
      node: peer,
      address,
      allocation,
      vxlanPeer: {
        node: peer.name,
        destination,
        vtepAddress,
        mac: vtepMAC(peer.name, family),
        underlayAddress,
      },
      vxlanRoute: { destination, gateway: vtepAddress, onLink: true, peer: peer.name },
      ipipRoute: { destination, gateway: underlayAddress, onLink: true, peer: peer.name },
      underlayRoute: { destination, gateway: underlayAddress, onLink: false, peer: peer.name },
    });
  }
  const members = new Map<Subnet, ReadonlySet<Node>>();
  const inSubnet = (subnet: Subnet): ReadonlySet<Node> => {
    let set = members.get(subnet);
    if (!set) {
      const cidr = must(subnet.cidr, `subnet ${subnet.name}'s cidr`);
      set = new Set(nodes.filter((n) => cidrContainsAddress(cidr, placedIn(n, family).address)));
      members.set(subnet, set);
    }
    return set;
  };
  const bySubnet = new Map<Subnet, SubnetLists>();
  const lists = (subnet: Subnet): SubnetLists => {
    let l = bySubnet.get(subnet);
    if (!l) {
      l = subnetLists(list, inSubnet(subnet));
      bySubnet.set(subnet, l);
    }
    return l;
  };
  return { family, list, perSubnet, inSubnet, lists };
}

/**
 * Where each peer goes for a host whose subnet holds `mine`: Felix's decision (routing.ts
 * decidePath) for traffic out to the peer's pool depends only on whether the host's subnet
 * contains the peer's address.
 */
function subnetLists(peers: readonly StaticPeer[], mine: ReadonlySet<Node>): SubnetLists {
  const l: SubnetLists = {
    underlayRoutes: [],
    vxlanPeers: [],
    vxlanRoutes: [],
    ipipRoutes: [],
    position: new Map(),
  };
  for (const p of peers) {
    const same = mine.has(p.node);
    const out = pathKind(p.allocation.pool, same).kind;
    if (out === "vxlan") {
      l.position.set(p.node, { list: "vxlan", index: l.vxlanPeers.length });
      l.vxlanPeers.push(p.vxlanPeer);
      l.vxlanRoutes.push(p.vxlanRoute);
    } else if (out === "ipip") {
      l.position.set(p.node, { list: "ipip", index: l.ipipRoutes.length });
      l.ipipRoutes.push(p.ipipRoute);
    } else if (same) {
      l.position.set(p.node, { list: "underlay", index: l.underlayRoutes.length });
      l.underlayRoutes.push(p.underlayRoute);
    }
    // Unencapsulated to another subnet: the underlay routes workload addresses (or the
    // no-encapsulation rule reports that it cannot); the default route carries it.
  }
  return l;
}

/** One family's part of a static host: its routes on the underlay and its tunnels. */
interface FamilyPart {
  readonly underlayRoutes: PeerList<HostRoute>;
  readonly vxlan: VxlanTunnel | undefined;
  readonly ipip: IpipTunnel | undefined;
}

function staticFamily(model: Model, local: Node, peers: StaticPeers): FamilyPart | undefined {
  const { family } = peers;
  const own = podCIDRAllocation(model, local.name, family);
  const mine = nodeAddress(local, family);
  if (!own || !mine?.subnet?.cidr) return undefined;
  const l = peers.lists(mine.subnet);
  // The host itself is in at most one of its subnet's lists: it takes itself out of that one.
  const self = l.position.get(local);
  const without = <T>(shared: readonly T[], kind: PeerKind) =>
    peerList(shared, self?.list === kind ? self.index : -1);
  const underlayRoutes = without(l.underlayRoutes, "underlay");
  const vxlanPeers = without(l.vxlanPeers, "vxlan");
  const vxlanRoutes = without(l.vxlanRoutes, "vxlan");
  const ipipRoutes = without(l.ipipRoutes, "ipip");
  // Traffic back from the peers, to our pool: their decision, per subnet they sit in.
  let needVxlan = vxlanPeers.length > 0;
  let needIpip = ipipRoutes.length > 0;
  for (const [subnet, count] of peers.perSubnet) {
    if (count - (subnet === mine.subnet ? 1 : 0) === 0) continue;
    const back = pathKind(own.pool, peers.inSubnet(subnet).has(local)).kind;
    needVxlan ||= back === "vxlan";
    needIpip ||= back === "ipip";
  }

  const localAddress = mine.address.text;
  const address = `${tunnelAddress(own.cidr)}/${family === 6 ? 128 : 32}`;
  return {
    underlayRoutes,
    vxlan: needVxlan
      ? {
          name: family === 6 ? STATIC_DEVICES.vxlanV6 : STATIC_DEVICES.vxlan,
          family,
          vni: model.cluster.vxlanVNI,
          port: model.cluster.vxlanPort,
          local: localAddress,
          mtu: tunnelMTU(model, "vxlan", family),
          mac: vtepMAC(local.name, family),
          address,
          peers: vxlanPeers,
          routes: vxlanRoutes,
        }
      : undefined,
    // IP-in-IP is IPv4 only (pool-ipip-ipv6 refuses it on an IPv6 pool).
    ipip:
      needIpip && family === 4
        ? {
            name: STATIC_DEVICES.ipip,
            local: localAddress,
            mtu: tunnelMTU(model, "ipip"),
            address,
            routes: ipipRoutes,
          }
        : undefined,
  };
}

function staticHost(
  model: Model,
  local: Node,
  peers: Readonly<Record<IpFamily, StaticPeers>>,
): HostModel {
  const [v4, v6] = FAMILIES.map((f) => staticFamily(model, local, peers[f]));
  const version = placed(local).address.version;
  const primary = version === 6 ? v6 : v4;
  return {
    node: local.name,
    mode: "static",
    formats: model.cluster.hostNetwork.formats,
    underlay: underlayLink(
      local,
      primary?.underlayRoutes ?? NO_ROUTES,
      (version === 4 ? v6?.underlayRoutes : undefined) ?? NO_ROUTES,
    ),
    podCIDR: podCIDRAllocation(model, local.name, 4)?.cidr.canonical,
    podCIDRV6: podCIDRAllocation(model, local.name, 6)?.cidr.canonical,
    vxlan: v4?.vxlan,
    vxlanV6: v6?.vxlan,
    ipip: v4?.ipip,
    unmanagedInterfaces: [],
    keepForeignRoutes: false,
  };
}

/**
 * A comparison of host models, deep, over their plain data. A host's files are a function of its
 * host model alone (the writers read nothing else), so equal models render equal files. Lists
 * shared between hosts (PeerList.shared) are compared once per pair of lists: comparing every
 * host of two models costs their size, not hosts x peers.
 */
export function hostModelComparison(): (a: HostModel, b: HostModel) => boolean {
  const equal = new WeakMap<object, WeakSet<object>>();
  const same = (x: unknown, y: unknown): boolean => {
    if (x === y) return true;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (equal.get(x)?.has(y)) return true;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(y, key)) return false;
      if (!same((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key]))
        return false;
    }
    let known = equal.get(x);
    if (!known) equal.set(x, (known = new WeakSet()));
    known.add(y);
    return true;
  };
  return same;
}
