/**
 * Resolve: schema-valid documents -> one immutable model. Lenient by design: values that
 * are wrong but typed (a CIDR that does not parse, a selector that does not) are kept as
 * undefined, and the policy rules report them with their own ids.
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { LoadedDocument } from "../load/load.js";
import { LIMITS } from "../load/limits.js";
import { didYouMean } from "../util/text.js";
import { addressPlus, cidrContainsAddress, parseAddress, parseCidr } from "./cidr.js";
import {
  CLUSTER_DEFAULTS,
  ENCAP_OVERHEAD,
  HOSTNAME_LABEL,
  POOL_DEFAULTS,
  ZONE_LABEL,
} from "./defaults.js";
import { resolveHostNetwork } from "./host-network.js";
import { parseSelector } from "./selector.js";
import type {
  Backend,
  ClusterModel,
  EncapMode,
  Model,
  Node,
  NodeGroup,
  ObjectMeta,
  Pool,
  PolicyDoc,
  SourceRef,
  Subnet,
  Topology,
} from "./types.js";

type Rec = Record<string, unknown>;

export interface ResolveResult {
  readonly model: Model | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export function resolveModel(documents: readonly LoadedDocument[]): ResolveResult {
  const diagnostics: Diagnostic[] = [];
  const clusterDoc = documents.find((d) => d.kind === "Cluster");
  if (!clusterDoc) return { model: undefined, diagnostics };

  const pools = documents.filter((d) => d.kind === "IPPool").map(resolvePool);
  const partialCluster = resolveCluster(clusterDoc);
  const topology = resolveTopology(
    documents.filter((d) => d.kind === "Topology"),
    partialCluster.underlayMTU,
    diagnostics,
  );
  const policies: PolicyDoc[] = documents
    .filter((d) => d.kind === "Policy")
    .map((d) => freeze({ name: d.name ?? "", spec: rec(d.value.spec), source: d.source }));

  const { poolsByNode, nodesByPool } = selectNodes(pools, topology.nodes);
  const enabled = pools.filter((p) => !p.disabled);
  const encapsulations = new Set<"ipip" | "vxlan" | "vxlan-v6">();
  for (const p of enabled) {
    if (p.ipipMode !== "Never") encapsulations.add("ipip");
    if (p.vxlanMode !== "Never") encapsulations.add(p.cidr?.version === 6 ? "vxlan-v6" : "vxlan");
  }
  const backend: Backend = partialCluster.backend ?? deriveBackend(enabled);
  const cluster: ClusterModel = freeze({
    ...partialCluster,
    backend,
    backendDerived: partialCluster.backend === undefined,
  });

  const mtus = topology.subnets
    .filter((s) => topology.nodes.some((n) => n.subnet === s))
    .map((s) => s.mtu);
  const effectiveUnderlayMTU = mtus.length ? Math.min(...mtus) : cluster.underlayMTU;
  const hostNetwork = resolveHostNetwork(cluster.hostNetwork.mode, topology, poolsByNode);
  diagnostics.push(...hostNetwork.diagnostics);
  const overhead = Math.max(0, ...[...encapsulations].map((e) => ENCAP_OVERHEAD[e]));
  const model: Model = freeze({
    cluster,
    topology,
    pools: freeze(pools),
    policies: freeze(policies),
    poolsByNode,
    nodesByPool,
    encapsulations,
    effectiveUnderlayMTU,
    podMTU: cluster.podMTU ?? effectiveUnderlayMTU - overhead,
    podMTUDerived: cluster.podMTU === undefined,
    podCIDRs: hostNetwork.podCIDRs,
  });
  return { model, diagnostics };
}

/** Any IPIP or unencapsulated pool needs BIRD to distribute routes; VXLAN alone does not. */
export function deriveBackend(enabledPools: readonly Pool[]): Backend {
  if (enabledPools.length === 0) return "bird";
  const vxlanOnly = enabledPools.every((p) => p.vxlanMode !== "Never" && p.ipipMode === "Never");
  return vxlanOnly ? "vxlan" : "bird";
}

function resolveCluster(doc: LoadedDocument): Omit<ClusterModel, "backend" | "backendDerived"> & {
  backend: Backend | undefined;
} {
  const spec = rec(doc.value.spec);
  const networking = rec(spec.networking);
  const hostNetwork = rec(spec.hostNetwork);
  const output = rec(spec.output);
  return {
    metadata: meta(doc.value),
    provider: str(spec.provider) ?? CLUSTER_DEFAULTS.provider,
    install: str(spec.install) ?? CLUSTER_DEFAULTS.install,
    calicoVersion: str(spec.calicoVersion) ?? CLUSTER_DEFAULTS.calicoVersion,
    backend: str(networking.backend),
    serviceCIDRs: freeze(strings(networking.serviceCIDRs).map((c) => parseCidr(c))),
    underlayMTU: num(networking.underlayMTU) ?? CLUSTER_DEFAULTS.underlayMTU,
    podMTU: num(networking.podMTU),
    vxlanPort: num(networking.vxlanPort) ?? CLUSTER_DEFAULTS.vxlanPort,
    vxlanVNI: num(networking.vxlanVNI) ?? CLUSTER_DEFAULTS.vxlanVNI,
    hostNetwork: freeze({
      mode: str(hostNetwork.mode) ?? CLUSTER_DEFAULTS.hostNetworkMode,
      formats: freeze(
        Array.isArray(hostNetwork.formats)
          ? strings(hostNetwork.formats)
          : [...CLUSTER_DEFAULTS.hostFormats],
      ),
    }),
    outputDir: str(output.dir) ?? CLUSTER_DEFAULTS.outputDir,
    rules: freeze({ ...(rec(spec.rules) as Record<string, never>) }),
    ignore: freeze(strings(spec.ignore)),
    acknowledgements: freeze(
      arr(spec.acknowledgements).map((raw, i) => {
        const a = rec(raw);
        return freeze({
          resource: scalarText(a.resource),
          field: scalarText(a.field),
          from: scalarText(a.from),
          to: scalarText(a.to),
          reason: scalarText(a.reason),
          source: doc.source.child(["spec", "acknowledgements", i]),
        });
      }),
    ),
    source: doc.source,
  } as Omit<ClusterModel, "backend" | "backendDerived"> & { backend: Backend | undefined };
}

function resolveTopology(
  docs: readonly LoadedDocument[],
  underlayMTU: number,
  diagnostics: Diagnostic[],
): Topology {
  const subnets: Subnet[] = [];
  const nodeSpecs: { spec: Rec; source: SourceRef }[] = [];
  const groups: NodeGroup[] = [];
  let routesWorkloadIPs: { value: boolean; source: SourceRef } | undefined;

  for (const doc of docs) {
    const spec = rec(doc.value.spec);
    arr(spec.subnets).forEach((raw, i) => {
      const s = rec(raw);
      const cidrText = str(s.cidr) ?? "";
      const mtu = num(s.mtu);
      subnets.push(
        freeze({
          name: str(s.name) ?? "",
          cidr: parseCidr(cidrText),
          cidrText,
          mtu: mtu ?? underlayMTU,
          mtuExplicit: mtu !== undefined,
          zone: str(s.zone),
          gateway: str(s.gateway),
          dhcp: s.dhcp === true,
          source: doc.source.child(["spec", "subnets", i]),
        }),
      );
    });
    arr(spec.nodes).forEach((raw, i) =>
      nodeSpecs.push({ spec: rec(raw), source: doc.source.child(["spec", "nodes", i]) }),
    );
    arr(spec.nodeGroups).forEach((raw, i) => {
      const g = rec(raw);
      groups.push(
        freeze({
          namePrefix: str(g.namePrefix) ?? "",
          count: num(g.count) ?? 0,
          subnet: str(g.subnet) ?? "",
          firstAddress: str(g.firstAddress) ?? "",
          interface: str(g.interface),
          labels: freeze({ ...(rec(g.labels) as Record<string, string>) }),
          firstPodCIDR: str(g.firstPodCIDR),
          source: doc.source.child(["spec", "nodeGroups", i]),
        }),
      );
    });
    const underlay = rec(spec.underlay);
    if (typeof underlay.routesWorkloadIPs === "boolean") {
      const here = {
        value: underlay.routesWorkloadIPs,
        source: doc.source.child(["spec", "underlay", "routesWorkloadIPs"]),
      };
      if (routesWorkloadIPs && routesWorkloadIPs.value !== here.value) {
        diagnostics.push(
          diagnostic(
            "NC3003",
            here.source.span,
            {
              detail:
                "Topology documents disagree on spec.underlay.routesWorkloadIPs; set it in one place",
            },
            { related: [{ ...routesWorkloadIPs.source.span, message: "the other value is here" }] },
          ),
        );
      }
      routesWorkloadIPs ??= here;
    }
  }

  const nodes: Node[] = nodeSpecs.map(({ spec, source }) =>
    makeNode(subnets, {
      name: str(spec.name) ?? "",
      addressText: str(spec.address) ?? "",
      interface: str(spec.interface),
      labels: spec.labels,
      podCIDRText: str(spec.podCIDR),
      group: undefined,
      groupIndex: undefined,
      source,
    }),
  );

  let total = nodes.length;
  for (const group of groups) {
    const subnet = subnets.find((s) => s.name === group.subnet);
    if (!subnet) {
      diagnostics.push(
        diagnostic("NC3002", group.source.at(["subnet"]), {
          subnet: group.subnet,
          hint: didYouMean(
            group.subnet,
            subnets.map((s) => s.name),
          ),
        }),
      );
      continue;
    }
    const first = parseAddress(group.firstAddress);
    if (!first || !subnet.cidr) continue; // the node rules report the address; the subnet rules the CIDR
    const last = addressPlus(first, BigInt(group.count - 1));
    const problem =
      total + group.count > LIMITS.maxNodes
        ? `the repository may hold at most ${LIMITS.maxNodes} nodes`
        : !cidrContainsAddress(subnet.cidr, first)
          ? `${first.text} is outside subnet "${subnet.name}" (${subnet.cidr.canonical})`
          : !last || !cidrContainsAddress(subnet.cidr, last)
            ? `subnet "${subnet.name}" (${subnet.cidr.canonical}) ends before the last one`
            : undefined;
    if (problem) {
      const field = problem.includes("at most") ? "count" : "firstAddress";
      diagnostics.push(
        diagnostic("NC3001", group.source.at([field]), {
          group: group.namePrefix,
          count: group.count,
          first: group.firstAddress,
          reason: problem,
        }),
      );
      continue;
    }
    total += group.count;
    for (let i = 0; i < group.count; i++) {
      const address = addressPlus(first, BigInt(i));
      nodes.push(
        makeNode(subnets, {
          name: `${group.namePrefix}${i + 1}`,
          addressText: address?.text ?? "",
          interface: group.interface,
          labels: group.labels,
          podCIDRText: undefined,
          group: group.namePrefix,
          groupIndex: i,
          source: group.source,
        }),
      );
    }
  }

  return freeze({
    subnets: freeze(subnets),
    nodes: freeze(nodes),
    nodeGroups: freeze(groups),
    routesWorkloadIPs: routesWorkloadIPs?.value ?? false,
    sources: freeze(docs.map((d) => d.source)),
    documentMetadata: freeze(docs.map((d) => meta(d.value))),
  });
}

interface NodeInput {
  name: string;
  addressText: string;
  interface: string | undefined;
  labels: unknown;
  podCIDRText: string | undefined;
  group: string | undefined;
  groupIndex: number | undefined;
  source: SourceRef;
}

function makeNode(subnets: readonly Subnet[], input: NodeInput): Node {
  const address = parseAddress(input.addressText);
  const inside = address
    ? subnets.filter((s) => s.cidr && cidrContainsAddress(s.cidr, address))
    : [];
  const subnet = inside[0];
  const labels: Record<string, string> = { ...(rec(input.labels) as Record<string, string>) };
  labels[HOSTNAME_LABEL] ??= input.name;
  if (subnet?.zone !== undefined) labels[ZONE_LABEL] ??= subnet.zone;
  return freeze({
    name: input.name,
    addressText: input.addressText,
    address,
    interface: input.interface ?? CLUSTER_DEFAULTS.interface,
    labels: freeze(labels),
    podCIDR: input.podCIDRText === undefined ? undefined : parseCidr(input.podCIDRText),
    podCIDRText: input.podCIDRText,
    subnets: freeze(inside),
    subnet,
    group: input.group,
    groupIndex: input.groupIndex,
    source: input.source,
  });
}

function resolvePool(doc: LoadedDocument): Pool {
  const spec = rec(doc.value.spec);
  const cidrText = str(spec.cidr) ?? "";
  const cidr = parseCidr(cidrText);
  const blockSize = num(spec.blockSize);
  const nodeSelectorText = str(spec.nodeSelector) ?? POOL_DEFAULTS.nodeSelector;
  const parsedSelector = parseSelector(nodeSelectorText);
  const allowedUses = strings(spec.allowedUses);
  return freeze({
    apiVersion: doc.apiVersion,
    metadata: meta(doc.value),
    name: doc.name ?? "",
    cidrText,
    cidr,
    // Calico treats blockSize 0 as "not set" and fills in the default (clientv3 ippool.go).
    blockSize:
      blockSize || (cidr?.version === 6 ? POOL_DEFAULTS.blockSizeV6 : POOL_DEFAULTS.blockSizeV4),
    blockSizeExplicit: blockSize !== undefined && blockSize !== 0,
    ipipMode: (str(spec.ipipMode) || POOL_DEFAULTS.ipipMode) as EncapMode,
    vxlanMode: (str(spec.vxlanMode) || POOL_DEFAULTS.vxlanMode) as EncapMode,
    natOutgoing: spec.natOutgoing === true,
    disabled: spec.disabled === true,
    disableBGPExport: spec.disableBGPExport === true,
    nodeSelectorText,
    nodeSelector: parsedSelector.ok ? parsedSelector.selector : undefined,
    namespaceSelectorText: str(spec.namespaceSelector),
    allowedUses: freeze(allowedUses.length ? allowedUses : [...POOL_DEFAULTS.allowedUses]),
    assignmentMode: str(spec.assignmentMode) ?? POOL_DEFAULTS.assignmentMode,
    source: doc.source,
  });
}

/** Which enabled workload pools select which nodes (Calico's nodeSelector). */
function selectNodes(
  pools: readonly Pool[],
  nodes: readonly Node[],
): {
  poolsByNode: ReadonlyMap<string, readonly Pool[]>;
  nodesByPool: ReadonlyMap<string, readonly Node[]>;
} {
  const poolsByNode = new Map<string, Pool[]>();
  const nodesByPool = new Map<string, Node[]>();
  const usable = pools.filter(
    (p) => !p.disabled && p.nodeSelector && p.allowedUses.includes("Workload"),
  );
  for (const node of nodes) poolsByNode.set(node.name, []);
  for (const pool of usable) {
    const selected: Node[] = [];
    for (const node of nodes) {
      if (pool.nodeSelector!.matches(node.labels)) {
        selected.push(node);
        poolsByNode.get(node.name)!.push(pool);
      }
    }
    nodesByPool.set(pool.name, selected);
  }
  for (const pool of pools) if (!nodesByPool.has(pool.name)) nodesByPool.set(pool.name, []);
  return { poolsByNode, nodesByPool };
}

function meta(value: Rec): ObjectMeta {
  const m = rec(value.metadata);
  return freeze({
    name: str(m.name) ?? "",
    labels: freeze({ ...(rec(m.labels) as Record<string, string>) }),
    annotations: freeze({ ...(rec(m.annotations) as Record<string, string>) }),
  });
}

function rec(value: unknown): Rec {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Rec) : {};
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
function num(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
/** A scalar as text, the way acknowledgements compare values ("4096" and 4096 agree). */
function scalarText(value: unknown): string {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean"
    ? String(value).trim()
    : "";
}
function strings(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === "string");
}
function freeze<T>(value: T): T {
  return Object.freeze(value);
}
