/**
 * The per-node host model: what each node's host network must look like, computed once from
 * the resolved model. The netplan, systemd-networkd and NetworkManager writers only print it
 * (netplan's parse -> model -> one writer per backend). Every routing decision comes from
 * src/model/routing.ts, the same module `netcompile explain` reads.
 *
 * calico mode: O(1) per node (Felix and BIRD own the overlay). static mode: O(nodes) per node,
 * because each host lists every peer.
 */
import { parseAddress } from "../model/cidr.js";
import {
  CALICO_INTERFACE_GLOBS,
  decidePath,
  STATIC_DEVICES,
  tunnelAddress,
  tunnelMTU,
  vtepMAC,
} from "../model/routing.js";
import type { HostFormat, HostNetworkMode, Model, Node } from "../model/types.js";

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
  readonly mtu: number;
  /** CrossSubnet peers in the same subnet: their pod CIDR via their underlay address. */
  readonly routes: readonly HostRoute[];
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
  readonly peers: readonly VxlanPeer[];
  readonly routes: readonly HostRoute[];
}

export interface IpipTunnel {
  readonly name: string;
  readonly local: string;
  readonly mtu: number;
  readonly address: string;
  readonly routes: readonly HostRoute[];
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
  if (mode === "calico") return nodes.map((node) => calicoHost(model, node));
  return nodes
    .filter((n) => model.podCIDRs.has(n.name))
    .map((node) => staticHost(model, node, nodes));
}

function underlayLink(node: Node, routes: readonly HostRoute[]): UnderlayLink {
  const subnet = node.subnet!;
  const gateway = subnet.gateway === undefined ? undefined : parseAddress(subnet.gateway)?.text;
  return {
    interface: node.interface,
    ipVersion: node.address!.version,
    dhcp: subnet.dhcp,
    address: subnet.dhcp ? undefined : `${node.address!.text}/${subnet.cidr!.prefix}`,
    gateway: subnet.dhcp ? undefined : gateway,
    mtu: subnet.mtu,
    routes,
  };
}

function calicoHost(model: Model, node: Node): HostModel {
  return {
    node: node.name,
    mode: "calico",
    formats: model.cluster.hostNetwork.formats,
    underlay: underlayLink(node, []),
    podCIDR: undefined,
    vxlan: undefined,
    ipip: undefined,
    unmanagedInterfaces: CALICO_INTERFACE_GLOBS,
    keepForeignRoutes: true,
  };
}

function staticHost(model: Model, local: Node, nodes: readonly Node[]): HostModel {
  const own = model.podCIDRs.get(local.name)!;
  const underlayRoutes: HostRoute[] = [];
  const vxlanRoutes: HostRoute[] = [];
  const ipipRoutes: HostRoute[] = [];
  const vxlanPeers: VxlanPeer[] = [];
  let needVxlan = false;
  let needIpip = false;

  for (const peer of nodes) {
    const theirs = model.podCIDRs.get(peer.name);
    if (peer === local || !theirs) continue;
    const destination = theirs.cidr.canonical;
    const out = decidePath(local, peer, theirs.pool);
    const back = decidePath(peer, local, own.pool);
    needVxlan ||= out.kind === "vxlan" || back.kind === "vxlan";
    needIpip ||= out.kind === "ipip" || back.kind === "ipip";
    if (out.kind === "vxlan") {
      const vtepAddress = tunnelAddress(theirs.cidr);
      const mac = vtepMAC(peer.name);
      vxlanPeers.push({
        node: peer.name,
        destination,
        vtepAddress,
        mac,
        underlayAddress: peer.address!.text,
      });
      vxlanRoutes.push({ destination, gateway: vtepAddress, onLink: true, peer: peer.name });
    } else if (out.kind === "ipip") {
      ipipRoutes.push({ destination, gateway: peer.address!.text, onLink: true, peer: peer.name });
    } else if (out.sameSubnet) {
      underlayRoutes.push({
        destination,
        gateway: peer.address!.text,
        onLink: false,
        peer: peer.name,
      });
    }
    // Unencapsulated to another subnet: the underlay routes workload addresses (or the
    // no-encapsulation rule reports that it cannot); the default route carries it.
  }

  const local4 = local.address!.text;
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
