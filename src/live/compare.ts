/**
 * The repository's nodes next to the live ones: matched by name, compared per IP family. A
 * node has an address of each family it is given (`address`, and `addressV6` beside an IPv4
 * one), each in a subnet of its family: `modelAddress` and `modelSubnet` read them.
 *
 * The routing decision is Felix's (src/model/routing.ts): for traffic from node a to a block of a
 * CrossSubnet pool on node b, "same subnet" when a's subnet contains b's address. netcompile
 * takes a's subnet from the Topology; Felix takes it from a's live prefix (the /NN of
 * projectcalico.org/IPv4Address: felix/calc/l3_route_resolver.go:900-915, and BIRD's
 * network_v4 in confd/etc/calico/confd/templates/bird_ipam.cfg.template:96-100) and b's live
 * address. `prefixEffects` says for which node pairs the two decisions differ.
 */
import { cidrContainsAddress, type Cidr, type IpAddress } from "../model/cidr.js";
import { FAMILIES, nodeAddress } from "../model/families.js";
import type { Model, Node, Pool, Subnet } from "../model/types.js";
import { naturalCompare } from "../util/text.js";
import type { Family, LiveAddress, LiveNode, LiveSnapshot } from "./snapshot.js";
import { must } from "../util/must.js";

/** The node's address of `family` in the repository (`address`, or `addressV6`). */
export function modelAddress(node: Node, family: Family): IpAddress | undefined {
  return nodeAddress(node, family)?.address;
}

/** The Topology subnet of the node's address of `family`. */
export function modelSubnet(node: Node, family: Family): Subnet | undefined {
  return nodeAddress(node, family)?.subnet;
}

/** The families a repository node has an address of. */
export function modelFamilies(node: Node): Family[] {
  return FAMILIES.filter((family) => nodeAddress(node, family) !== undefined);
}

/** A repository node and its live counterpart. */
export interface NodePair {
  readonly node: Node;
  readonly live: LiveNode;
}

/** Repository nodes with a live node of the same name, in the repository's order. */
export function pairedNodes(model: Model, live: LiveSnapshot): NodePair[] {
  const out: NodePair[] = [];
  for (const node of model.topology.nodes) {
    const l = live.nodes.get(node.name);
    if (l) out.push({ node, live: l });
  }
  return out;
}

/** Whether a pool decides by subnet (IP-in-IP or VXLAN CrossSubnet) for `family`. */
export function crossSubnet(pool: Pool, family: Family): boolean {
  return (
    pool.cidr?.version === family &&
    !pool.disabled &&
    (pool.vxlanMode === "CrossSubnet" ||
      (pool.vxlanMode === "Never" && pool.ipipMode === "CrossSubnet"))
  );
}

/** A node whose live prefix differs from its Topology subnet while its address is inside it. */
export interface PrefixDifference {
  readonly node: Node;
  readonly live: LiveNode;
  readonly family: Family;
  readonly subnet: Subnet & { readonly cidr: Cidr };
  readonly address: LiveAddress;
  readonly relation: "wider" | "narrower";
}

/**
 * Every node whose live address is its repository address, inside its Topology subnet, but whose
 * live prefix is longer or shorter than the subnet's (a different address is another finding).
 */
export function prefixDifferences(model: Model, live: LiveSnapshot): PrefixDifference[] {
  const out: PrefixDifference[] = [];
  for (const { node, live: l } of pairedNodes(model, live)) {
    for (const family of modelFamilies(node)) {
      const address = l.address[family];
      const subnet = modelSubnet(node, family);
      const mine = modelAddress(node, family);
      if (!address || !subnet?.cidr || !mine || address.address.value !== mine.value) continue;
      if (address.prefix.prefix === subnet.cidr.prefix) continue;
      out.push({
        node,
        live: l,
        family,
        subnet: subnet as Subnet & { readonly cidr: Cidr },
        address,
        relation: address.prefix.prefix < subnet.cidr.prefix ? "wider" : "narrower",
      });
    }
  }
  return out;
}

/** The node pairs (source -> destination) whose decision a set of sources' live prefix changes. */
export interface PrefixEffect {
  /** Pairs netcompile routes through the tunnel that Felix sends direct (live prefix wider). */
  readonly direct: number;
  /** Pairs netcompile routes direct that Felix encapsulates (live prefix narrower). */
  readonly encapsulated: number;
  /** One pair of each, for the message: [source, destination]. */
  readonly directExample: readonly [Node, Node] | undefined;
  readonly encapsulatedExample: readonly [Node, Node] | undefined;
  /** The CrossSubnet pools whose traffic changes (by name). */
  readonly pools: readonly string[];
}

/** A node a CrossSubnet pool serves, at the address Felix compares with. */
interface Destination {
  readonly node: Node;
  readonly address: IpAddress;
  readonly pools: readonly Pool[];
}

/**
 * For sources that share a live prefix and a Topology subnet, the pairs whose decision differs:
 * computed once per (prefix, subnet) class, not per pair of nodes.
 */
export class PrefixEffects {
  /** Per family, the destinations a CrossSubnet pool serves; made on the first question. */
  private destinations: Map<Family, Destination[]> | undefined;
  private readonly cache = new Map<
    string,
    { direct: Set<Node>; encapsulated: Set<Node>; pools: Set<string> }
  >();

  constructor(
    private readonly model: Model,
    private readonly live: LiveSnapshot,
  ) {}

  private destinationsOf(family: Family): Destination[] {
    this.destinations ??= this.findDestinations();
    return must(this.destinations.get(family), `${family} destinations`);
  }

  private findDestinations(): Map<Family, Destination[]> {
    const { model, live } = this;
    const destinations = new Map<Family, Destination[]>([
      [4, []],
      [6, []],
    ]);
    for (const node of model.topology.nodes) {
      for (const family of [4, 6] as const) {
        // Felix compares with the destination's live address when it has one.
        const address =
          live.nodes.get(node.name)?.address[family]?.address ?? modelAddress(node, family);
        if (!address) continue;
        const pools = (model.poolsByNode.get(node.name) ?? []).filter((p) =>
          crossSubnet(p, family),
        );
        if (pools.length)
          must(destinations.get(family), `${family} destinations`).push({ node, address, pools });
      }
    }
    return destinations;
  }

  /** What sources with live prefix `prefix` in Topology subnet `subnet` change. */
  effect(sources: readonly Node[], prefix: Cidr, subnet: Cidr, family: Family): PrefixEffect {
    const key = `${family}|${prefix.canonical}|${subnet.canonical}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = { direct: new Set(), encapsulated: new Set(), pools: new Set() };
      for (const d of this.destinationsOf(family)) {
        const live = cidrContainsAddress(prefix, d.address);
        const repo = cidrContainsAddress(subnet, d.address);
        if (live === repo) continue;
        (live ? hit.direct : hit.encapsulated).add(d.node);
        for (const p of d.pools) hit.pools.add(p.name);
      }
      this.cache.set(key, hit);
    }
    const count = (set: ReadonlySet<Node>) =>
      sources.length * set.size - sources.filter((s) => set.has(s)).length;
    const example = (set: ReadonlySet<Node>): readonly [Node, Node] | undefined => {
      for (const s of sources) {
        for (const d of set) if (d !== s) return [s, d];
      }
      return undefined;
    };
    return {
      direct: count(hit.direct),
      encapsulated: count(hit.encapsulated),
      directExample: example(hit.direct),
      encapsulatedExample: example(hit.encapsulated),
      pools: [...hit.pools].sort(naturalCompare),
    };
  }
}

/** Does a live pool hand addresses to a node with these labels (enabled, Workload, selector). */
export function poolSelects(pool: Pool, labels: Readonly<Record<string, string>>): boolean {
  return (
    !pool.disabled &&
    pool.allowedUses.includes("Workload") &&
    (pool.nodeSelector?.matches(labels) ?? false)
  );
}
