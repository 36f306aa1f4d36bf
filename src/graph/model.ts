/**
 * The overlay as a graph: one box per subnet, one edge per subnet pair that carries workload
 * traffic, labelled per pool with Felix's decision (direct / IPIP / VXLAN) and the pod MTU.
 * Traffic inside a subnet is a self-edge, which the formatters draw on the box itself.
 *
 * Every decision comes from src/model/routing.ts (`decidePath`, `destinationPools`), the module
 * `explain` and the host renderers use: per subnet a representative node stands for the
 * subnet's side (the decision depends only on the local node's subnet and the remote node's
 * address), and per destination subnet and pool the first node that takes addresses from it.
 * Families apart: an IPv6 subnet's edges carry the IPv6 pools, decided with IPv6 addresses.
 * The formatters (mermaid.ts, dot.ts, svg.ts) only print this description.
 */
import { FAMILIES, nodeAddress, poolFamily } from "../model/families.js";
import {
  decidePath,
  decidesBySubnet,
  destinationPools,
  interfacePrefixSource,
  type PathKind,
} from "../model/routing.js";
import type { IpFamily, Model, Node, Pool, Subnet } from "../model/types.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { naturalCompare, plural } from "../util/text.js";
import { nodeResource, poolResource, subnetResource } from "../model/resources.js";

/** `--nodes` lists nodes in their subnet's box only up to this many nodes in the repository. */
export const NODE_DETAIL_LIMIT = 50;

export interface GraphOptions {
  /** Only this pool's decisions. */
  readonly pool?: string;
  /** List each subnet's nodes in its box (refused above NODE_DETAIL_LIMIT nodes). */
  readonly nodes?: boolean;
  /**
   * The repository's findings, when it does not validate: its errors are marked on the pools'
   * labels and the subnets' boxes they are about, and the picture says it shows the
   * repository as written.
   */
  readonly findings?: readonly Diagnostic[];
}

/** One pool's decision on an edge. */
export interface EdgeLabel {
  readonly pool: string;
  readonly kind: PathKind;
  /** The workload (pod) MTU. */
  readonly mtu: number;
  /** Direct across subnets on an underlay that does not route workload addresses. */
  readonly broken: boolean;
  /** Set when only one direction decides so: "a → b". */
  readonly direction: string | undefined;
  /** The rules or codes of the errors found on the pool (the repository does not validate). */
  readonly problems: readonly string[];
}

export interface GraphBox {
  /** A format-safe id: s0, s1, ... in topology order. */
  readonly id: string;
  readonly name: string;
  readonly cidr: string;
  readonly mtu: number;
  readonly zone: string | undefined;
  readonly nodeCount: number;
  /** Node names and addresses (only with `--nodes`). */
  readonly nodes: readonly { readonly name: string; readonly address: string }[] | undefined;
  /** The rules or codes of the errors found on the subnet or its nodes. */
  readonly problems: readonly string[];
}

export interface GraphEdge {
  /** Stable across models: "a ↔ b" (the subnet names, sorted), or "inside a". */
  readonly key: string;
  readonly from: string;
  readonly to: string;
  readonly labels: readonly EdgeLabel[];
}

export interface Graph {
  readonly title: string;
  readonly boxes: readonly GraphBox[];
  /** Edges between two subnets (from !== to), in topology order. */
  readonly edges: readonly GraphEdge[];
  /** Traffic inside one subnet (from === to), drawn on the box. */
  readonly inside: readonly GraphEdge[];
  /** The router / provider note, when the underlay does not route workload addresses. */
  readonly note: string | undefined;
  /** Which subnets' interface prefixes CrossSubnet decisions assume, where netcompile does not set them. */
  readonly prefixNote: string | undefined;
  /** Set when the repository does not validate: the picture shows it as written. */
  readonly warning: string | undefined;
}

export class GraphError extends Error {}

const KIND_TEXT: Record<PathKind, string> = { direct: "direct", ipip: "IPIP", vxlan: "VXLAN" };

/** One label as text: `pool: IPIP, pod MTU 1480`. */
export function labelText(l: EdgeLabel): string {
  const dir = l.direction ? ` (${l.direction})` : "";
  const broken = l.broken ? " ✗ not routed by the underlay" : "";
  const problems = l.problems.length ? ` ✗ ${l.problems.join(", ")}` : "";
  return `${l.pool}${dir}: ${KIND_TEXT[l.kind]}, pod MTU ${l.mtu}${broken}${problems}`;
}

export function boxLines(b: GraphBox, inside: GraphEdge | undefined): string[] {
  const lines = [
    b.name,
    b.cidr,
    `MTU ${b.mtu} · ${plural(b.nodeCount, "node")}${b.zone ? ` · ${b.zone}` : ""}`,
  ];
  for (const l of inside?.labels ?? []) lines.push(`inside: ${labelText(l)}`);
  for (const n of b.nodes ?? []) lines.push(`${n.name} ${n.address}`);
  for (const p of b.problems) lines.push(`✗ ${p}`);
  return lines;
}

export function buildGraph(model: Model, options: GraphOptions = {}): Graph {
  const { subnets, nodes } = model.topology;
  if (options.nodes && nodes.length > NODE_DETAIL_LIMIT) {
    throw new GraphError(
      `--nodes lists nodes only for repositories of at most ${NODE_DETAIL_LIMIT} nodes (this one has ${nodes.length}); the subnet graph without --nodes shows every subnet`,
    );
  }
  if (options.pool !== undefined && !model.pools.some((p) => p.name === options.pool)) {
    throw new GraphError(`no pool named "${options.pool}"`);
  }
  // Errors by the resource they are about: marked where the picture shows that resource.
  const errors = (options.findings ?? []).filter((d) => d.severity === "error" && !d.waived);
  const byResource = new Map<string, string[]>();
  for (const d of errors) {
    if (d.resource === undefined) continue;
    const codes = byResource.get(d.resource) ?? [];
    if (!codes.includes(d.code)) codes.push(d.code);
    byResource.set(d.resource, codes);
  }
  const problemsOf = (...resources: string[]) => [
    ...new Set(resources.flatMap((r) => byResource.get(r) ?? [])),
  ];
  const poolOrder = new Map(model.pools.map((p, i) => [p, i]));
  // A subnet's members are the nodes whose address of the subnet's family it holds: an IPv6
  // subnet holds dual-stack nodes by their addressV6, and carries the IPv6 pools' traffic.
  const familyOf = (s: Subnet): IpFamily => s.cidr?.version ?? 4;
  const members = new Map<Subnet, Node[]>(subnets.map((s) => [s, []]));
  for (const n of nodes) {
    for (const family of FAMILIES) {
      const subnet = nodeAddress(n, family)?.subnet;
      if (subnet && familyOf(subnet) === family) members.get(subnet)?.push(n);
    }
  }

  // Per destination subnet: each pool of its family its nodes take addresses from, and the
  // first such node.
  const destinations = new Map<Subnet, [Pool, Node][]>();
  for (const s of subnets) {
    const reps = new Map<Pool, Node>();
    for (const n of members.get(s) ?? []) {
      for (const pool of destinationPools(model, n)) {
        if (poolFamily(pool) !== familyOf(s)) continue;
        if (options.pool !== undefined && pool.name !== options.pool) continue;
        if (!reps.has(pool)) reps.set(pool, n);
      }
    }
    destinations.set(
      s,
      [...reps].sort((a, b) => (poolOrder.get(a[0]) ?? 0) - (poolOrder.get(b[0]) ?? 0)),
    );
  }

  const routes = model.topology.routesWorkloadIPs;
  const oneWay = (from: Subnet, to: Subnet): Omit<EdgeLabel, "direction">[] => {
    const local = members.get(from)?.[0];
    if (!local || familyOf(from) !== familyOf(to)) return [];
    return (destinations.get(to) ?? []).map(([pool, remote]) => {
      const d = decidePath(local, remote, pool);
      return {
        pool: pool.name,
        kind: d.kind,
        mtu: model.podMTU,
        broken: d.kind === "direct" && !d.sameSubnet && !routes,
        problems: problemsOf(poolResource(pool)),
      };
    });
  };

  const edge = (a: Subnet, b: Subnet): GraphEdge | undefined => {
    const there = oneWay(a, b);
    const back = a === b ? there : oneWay(b, a);
    const id = (l: Omit<EdgeLabel, "direction">) => `${l.pool}\u0000${l.kind}\u0000${l.broken}`;
    const backKeys = new Set(back.map(id));
    const thereKeys = new Set(there.map(id));
    const labels: EdgeLabel[] = [
      ...there.map((l) => ({
        ...l,
        direction: backKeys.has(id(l)) ? undefined : `${a.name} → ${b.name}`,
      })),
      ...back
        .filter((l) => !thereKeys.has(id(l)))
        .map((l) => ({ ...l, direction: `${b.name} → ${a.name}` })),
    ];
    if (labels.length === 0) return undefined;
    const key = a === b ? `inside ${a.name}` : [a.name, b.name].sort().join(" ↔ ");
    return { key, from: a.name, to: b.name, labels };
  };

  const edges: GraphEdge[] = [];
  const inside: GraphEdge[] = [];
  subnets.forEach((a, i) => {
    const self = edge(a, a);
    if (self) inside.push(self);
    for (const b of subnets.slice(i + 1)) {
      const e = edge(a, b);
      if (e) edges.push(e);
    }
  });

  const boxes: GraphBox[] = subnets.map((s, i) => ({
    problems: problemsOf(subnetResource(s), ...(members.get(s) ?? []).map((n) => nodeResource(n))),
    id: `s${i}`,
    name: s.name,
    cidr: s.cidr?.canonical ?? s.cidrText,
    mtu: s.mtu,
    zone: s.zone,
    nodeCount: members.get(s)?.length ?? 0,
    nodes: options.nodes
      ? (members.get(s) ?? [])
          .map((n) => ({
            name: n.name,
            address: nodeAddress(n, familyOf(s))?.address.text ?? n.addressText,
          }))
          .sort((a, b) => naturalCompare(a.name, b.name))
      : undefined,
  }));

  const note =
    !routes && edges.length > 0
      ? `Router between subnets (provider ${model.cluster.provider}): does not route workload IPs (routesWorkloadIPs: false), so cross-subnet traffic must be encapsulated`
      : undefined;
  const prefixNote = assumedPrefixNote(model, options.pool);
  const { mode } = model.cluster.hostNetwork;
  const title = `${model.cluster.metadata.name}: overlay (host network ${mode}, backend ${model.cluster.backend}${options.pool !== undefined ? `, pool ${options.pool}` : ""})`;
  const leftOut = (options.findings ?? [])
    .filter((d) => d.code === "NC2006")
    .map((d) => String(d.data?.resource ?? d.resource ?? d.file));
  const warning = errors.length
    ? `✗ The repository does not validate (${plural(errors.length, "error")}, which netcompile validate lists): the picture shows it as written, each error marked where it is.${leftOut.length ? ` Left out, failing their schema: ${leftOut.join(", ")}.` : ""}`
    : undefined;
  return { title, boxes, edges, inside, note, prefixNote, warning };
}

/**
 * Calico decides "same subnet" with the prefix on each node's interface, not the Topology's
 * subnet (routing.ts, interfacePrefixSource): where netcompile does not set that prefix (DHCP,
 * no host files), a CrossSubnet decision drawn here assumes it equals the subnet's. Per family:
 * an IPv6 CrossSubnet pool reads the prefix of the IPv6 address.
 */
function assumedPrefixNote(model: Model, pool: string | undefined): string | undefined {
  const families = new Set<IpFamily>();
  for (const p of model.pools)
    if (!p.disabled && (pool === undefined || p.name === pool) && decidesBySubnet(p))
      families.add(poolFamily(p));
  if (families.size === 0) return undefined;
  const bySubnet = new Map<string, string>();
  for (const node of model.topology.nodes) {
    for (const family of FAMILIES) {
      if (!families.has(family)) continue;
      const subnet = nodeAddress(node, family)?.subnet;
      if (!subnet || bySubnet.has(subnet.name)) continue;
      const source = interfacePrefixSource(model, node, family);
      if (source === "dhcp") bySubnet.set(subnet.name, "DHCP");
      else if (source === "no-host-files") bySubnet.set(subnet.name, "no host files");
    }
  }
  if (bySubnet.size === 0) return undefined;
  const listed = [...bySubnet].map(([name, why]) => `${name} (${why})`).join(", ");
  return `CrossSubnet decisions assume each node's interface prefix equals its subnet's; netcompile does not set it in ${listed}, and Calico decides with the prefix on the interface (wider: direct across a router, which drops it; /32: always encapsulated)`;
}

/** Every edge (between and inside subnets) as key -> label text, for comparing two graphs. */
export function edgeMap(g: Graph): Map<string, string> {
  return new Map(
    [...g.inside, ...g.edges].map((e) => [e.key, e.labels.map(labelText).sort().join("\n")]),
  );
}

/** Keys of edges that differ between two graphs (added, removed or relabelled), sorted. */
export function changedEdges(before: Graph, after: Graph): string[] {
  const a = edgeMap(before);
  const b = edgeMap(after);
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}
