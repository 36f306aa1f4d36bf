/**
 * The network facts of one side of a plan, and how two sides differ: what plan rules read.
 * The plan fills them from a resolved model (`--base`, and always for the repository) or
 * reconstructs them from a rendered tree (`--against`, src/plan/facts.ts), where some facts are
 * missing and are said to be. Types only (and one naming helper), so that both the policy stage
 * (plan rules) and the plan stage can import them.
 */
import type { SourceRef } from "../load/source.js";
import type { TunnelEncapsulation } from "./mtu.js";
import type { Backend, EncapMode, InstallStyle, Model } from "./types.js";

export interface PoolFacts {
  readonly name: string;
  /** The cidr as the cluster sees it (rendered form). */
  readonly cidr: string;
  /** The canonical network, undefined when cidr does not parse. */
  readonly network: string | undefined;
  readonly version: 4 | 6 | undefined;
  readonly blockSize: number;
  readonly ipipMode: EncapMode;
  readonly vxlanMode: EncapMode;
  readonly disabled: boolean;
  /** As Calico stores it ([Workload, Tunnel] when the manifest leaves it out). */
  readonly allowedUses: readonly string[];
  readonly nodeSelector: string;
  /** Nodes the pool hands addresses to (enabled pools only), undefined when unknown. */
  readonly nodes: readonly string[] | undefined;
  /** The pool in the repository (model side only), for spans. */
  readonly source: SourceRef | undefined;
  /** The file it was read from (rendered file for a reconstruction). */
  readonly file: string | undefined;
}

export interface NodeFacts {
  readonly name: string;
  readonly group: string | undefined;
  readonly subnet: string | undefined;
  /** A dual-stack node's IPv6 subnet (its addressV6's); undefined otherwise or when unknown. */
  readonly subnetV6?: string | undefined;
}

export interface SubnetFacts {
  readonly name: string;
  readonly mtu: number;
  readonly nodes: readonly string[];
}

export interface NetworkFacts {
  /** Where the facts come from: a model, a rendered tree, a live snapshot (`plan --live`), nothing. */
  readonly origin: "model" | "manifests" | "live" | "empty";
  readonly clusterName: string | undefined;
  readonly install: InstallStyle | undefined;
  readonly calicoVersion: string | undefined;
  readonly backend: Backend | undefined;
  readonly podMTU: number | undefined;
  readonly vxlanPort: number | undefined;
  readonly vxlanVNI: number | undefined;
  /** FelixConfiguration wireguardEnabled / wireguardEnabledV6; undefined when unknown. */
  readonly wireguard: { readonly ipv4: boolean; readonly ipv6: boolean } | undefined;
  readonly pools: ReadonlyMap<string, PoolFacts>;
  /** Undefined when the side does not say which nodes exist. */
  readonly nodes: ReadonlyMap<string, NodeFacts> | undefined;
  readonly subnets: ReadonlyMap<string, SubnetFacts> | undefined;
  /** Node count per node group prefix (model side only). */
  readonly groups: ReadonlyMap<string, number> | undefined;
  /**
   * The nodes that get a tunnel address of each kind (src/model/tunnels.ts); undefined when
   * the side does not say which nodes its pools select.
   */
  readonly tunnelNodes: ReadonlyMap<TunnelEncapsulation, ReadonlySet<string>> | undefined;
  /** calico-node as rendered (install: manifest); undefined when the side has none or it is unknown. */
  readonly calicoNode: CalicoNodeFacts | undefined;
  /** Facts that could not be read (each a short phrase: "the node list", ...). */
  readonly missing: readonly string[];
  readonly model: Model | undefined;
}

/** What decides whether calico-node restarts: its pod template, and the calico-config it reads at start. */
export interface CalicoNodeFacts {
  /** The DaemonSet's `spec.template`, as JSON with sorted keys: any difference rolls the DaemonSet. */
  readonly template: string;
  /** calico-config's `data`, undefined when the side renders none. */
  readonly config: ReadonlyMap<string, string> | undefined;
}

export interface ValueChange<T> {
  readonly before: T;
  readonly after: T;
}

export interface PoolChange {
  readonly before: PoolFacts;
  readonly after: PoolFacts;
}

export interface SubnetMTUChange {
  readonly name: string;
  readonly before: number;
  readonly after: number;
  readonly nodes: readonly string[];
}

/** Nodes of one node group (`""`: the nodes listed one by one) that are added or removed. */
export interface NodeGroupChange {
  readonly group: string;
  /** In natural order. */
  readonly nodes: readonly string[];
}

/** How the facts of the base and of the repository differ (only what both sides know). */
export interface ModelDiff {
  readonly poolsAdded: readonly PoolFacts[];
  readonly poolsRemoved: readonly PoolFacts[];
  /** Pools present on both sides with any compared field different. */
  readonly poolsChanged: readonly PoolChange[];
  readonly backend: ValueChange<Backend> | undefined;
  readonly podMTU: ValueChange<number> | undefined;
  readonly vxlanPort: ValueChange<number> | undefined;
  readonly vxlanVNI: ValueChange<number> | undefined;
  /** WireGuard turned on or off, per IP family. */
  readonly wireguardV4: ValueChange<boolean> | undefined;
  readonly wireguardV6: ValueChange<boolean> | undefined;
  /** Undefined when either side does not know its nodes. */
  readonly nodesAdded: readonly NodeFacts[] | undefined;
  readonly nodesRemoved: readonly NodeFacts[] | undefined;
  /** The same, per node group: listed nodes (`""`) first, then the groups in natural order. */
  readonly nodesAddedByGroup: readonly NodeGroupChange[];
  readonly nodesRemovedByGroup: readonly NodeGroupChange[];
  readonly subnetMTUs: readonly SubnetMTUChange[];
}

/** A pool's encapsulation as one word (the operator's enum): how a reviewer names it. */
export function encapsulationName(pool: Pick<PoolFacts, "ipipMode" | "vxlanMode">): string {
  if (pool.ipipMode === "Always") return "IPIP";
  if (pool.ipipMode === "CrossSubnet") return "IPIPCrossSubnet";
  if (pool.vxlanMode === "Always") return "VXLAN";
  if (pool.vxlanMode === "CrossSubnet") return "VXLANCrossSubnet";
  return "None";
}

/** The first pool whose encapsulation changes: what a derived backend or MTU change follows. */
export function encapsulationSwitched(diff: ModelDiff): PoolChange | undefined {
  return diff.poolsChanged.find((c) => encapsulationName(c.before) !== encapsulationName(c.after));
}

/** Nodes of the enabled VXLAN pools of either side, or undefined when neither side has one. */
export function vxlanNodes(
  sides: readonly Pick<NetworkFacts, "pools">[],
): ReadonlySet<string> | undefined {
  const nodes = new Set<string>();
  let used = false;
  for (const side of sides) {
    for (const p of side.pools.values()) {
      if (p.disabled || p.vxlanMode === "Never") continue;
      used = true;
      for (const n of p.nodes ?? []) nodes.add(n);
    }
  }
  return used ? nodes : undefined;
}

/** Every node either side knows, the repository's first. */
export function allNodes(base: NetworkFacts, current: NetworkFacts): string[] {
  return [...(current.nodes?.keys() ?? []), ...(base.nodes?.keys() ?? [])];
}
