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
import { parseAddress, type Cidr, type IpAddress } from "../model/cidr.js";
import type { PodCIDRAllocation } from "../model/allocation.js";
import { hostFilesFor } from "../model/host-network.js";
import { cidrContainsAddress } from "../model/cidr.js";
import {
  CALICO_INTERFACE_GLOBS,
  pathKind,
  STATIC_DEVICES,
  tunnelAddress,
  tunnelMTU,
  vtepMAC,
} from "../model/routing.js";
import type { HostFormat, HostNetworkMode, Model, Node, Subnet } from "../model/types.js";
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
  readonly vni: number;
  readonly port: number;
  readonly local: string;
  readonly mtu: number;
  readonly mac: string;
  /** The node's VTEP address as a /32. */
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
  /** static mode: present when traffic from or to this node uses VXLAN. */
  readonly vxlan: VxlanTunnel | undefined;
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
    // A subnet without a default route gets no host files (NC3070 says so).
    return nodes
      .filter((n) => n.subnet !== undefined && hostFilesFor(n.subnet))
      .map((node) => calicoHost(model, node));
  }
  const peers = staticPeers(model, nodes);
  return nodes
    .filter((n) => model.podCIDRs.has(n.name))
    .map((node) => staticHost(model, node, peers));
}

/** Each subnet's gateway in canonical text, read once per subnet rather than once per node. */
const gateways = new WeakMap<Subnet, string | undefined>();

function gatewayOf(subnet: Subnet): string | undefined {
  if (!gateways.has(subnet))
    gateways.set(
      subnet,
      subnet.gateway === undefined ? undefined : parseAddress(subnet.gateway)?.text,
    );
  return gateways.get(subnet);
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

function underlayLink(node: Node, routes: PeerList<HostRoute>): UnderlayLink {
  const { address: own, subnet, cidr } = placed(node);
  const gateway = gatewayOf(subnet);
  return {
    interface: node.interface,
    ipVersion: own.version,
    dhcp: subnet.dhcp,
    address: subnet.dhcp ? undefined : `${own.text}/${cidr.prefix}`,
    gateway: subnet.dhcp ? undefined : gateway,
    mtu: subnet.declaredMTU,
    routes,
  };
}

function calicoHost(model: Model, node: Node): HostModel {
  return {
    node: node.name,
    mode: "calico",
    formats: model.cluster.hostNetwork.formats,
    underlay: underlayLink(node, NO_ROUTES),
    podCIDR: undefined,
    vxlan: undefined,
    ipip: undefined,
    unmanagedInterfaces: CALICO_INTERFACE_GLOBS,
    keepForeignRoutes: true,
  };
}

/** What one static-mode node is to every other: the same objects in every host's lists. */
interface StaticPeer {
  readonly node: Node;
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
  /** Nodes with a pod CIDR, in node-name order. */
  readonly list: readonly StaticPeer[];
  /** How many peers sit in each subnet. */
  readonly perSubnet: ReadonlyMap<Subnet, number>;
  /** The nodes whose address a subnet contains: routing.ts `sameSubnet`, per subnet. */
  readonly inSubnet: (subnet: Subnet) => ReadonlySet<Node>;
  readonly lists: (subnet: Subnet) => SubnetLists;
}

function staticPeers(model: Model, nodes: readonly Node[]): StaticPeers {
  const list: StaticPeer[] = [];
  const perSubnet = new Map<Subnet, number>();
  for (const peer of nodes) {
    const allocation = model.podCIDRs.get(peer.name);
    if (!allocation) continue;
    const destination = allocation.cidr.canonical;
    const vtepAddress = tunnelAddress(allocation.cidr);
    const { address, subnet } = placed(peer);
    const underlayAddress = address.text;
    perSubnet.set(subnet, (perSubnet.get(subnet) ?? 0) + 1);
    list.push({
      node: peer,
      allocation,
      vxlanPeer: {
        node: peer.name,
        destination,
        vtepAddress,
        mac: vtepMAC(peer.name),
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
      set = new Set(nodes.filter((n) => cidrContainsAddress(cidr, placed(n).address)));
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
  return { list, perSubnet, inSubnet, lists };
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

function staticHost(model: Model, local: Node, peers: StaticPeers): HostModel {
  const own = must(model.podCIDRs.get(local.name), `node ${local.name}'s pod CIDR`);
  const where = placed(local);
  const l = peers.lists(where.subnet);
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
    if (count - (subnet === local.subnet ? 1 : 0) === 0) continue;
    const back = pathKind(own.pool, peers.inSubnet(subnet).has(local)).kind;
    needVxlan ||= back === "vxlan";
    needIpip ||= back === "ipip";
  }

  const local4 = where.address.text;
  const address = `${tunnelAddress(own.cidr)}/32`;
  return {
    node: local.name,
    mode: "static",
    formats: model.cluster.hostNetwork.formats,
    underlay: underlayLink(local, underlayRoutes),
    podCIDR: own.cidr.canonical,
    vxlan: needVxlan
      ? {
          name: STATIC_DEVICES.vxlan,
          vni: model.cluster.vxlanVNI,
          port: model.cluster.vxlanPort,
          local: local4,
          mtu: tunnelMTU(model, "vxlan"),
          mac: vtepMAC(local.name),
          address,
          peers: vxlanPeers,
          routes: vxlanRoutes,
        }
      : undefined,
    ipip: needIpip
      ? {
          name: STATIC_DEVICES.ipip,
          local: local4,
          mtu: tunnelMTU(model, "ipip"),
          address,
          routes: ipipRoutes,
        }
      : undefined,
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
