/**
 * Resolve: schema-valid documents (typed by their schemas) -> one immutable model, frozen all
 * the way down (objects and arrays with Object.freeze, maps and sets as FrozenMap/FrozenSet,
 * CIDRs frozen where made). Lenient by design: values that are wrong but typed (a CIDR that
 * does not parse, a selector that does not) are kept as undefined, and the policy rules report
 * them with their own ids.
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { SourceRef } from "../load/source.js";
import { LIMITS } from "../load/limits.js";
import type { DocumentMetadata, TopologySpec, ValidDocument } from "../schema/documents.js";
import { didYouMean } from "../util/text.js";
import {
  addressPlus,
  cidrContainsAddress,
  parseAddress,
  parseCidr,
  type IpAddress,
} from "./cidr.js";
import {
  CLUSTER_DEFAULTS,
  HOSTNAME_LABEL,
  POOL_DEFAULTS,
  WIREGUARD,
  ZONE_LABEL,
} from "./defaults.js";
import { subnetsHolding } from "./families.js";
import { FrozenMap, FrozenSet, frozenCopy } from "./freeze.js";
import { resolveHostNetwork } from "./host-network.js";
import {
  effectiveUnderlayMTU,
  felixEncapsulations,
  podMTULimit,
  subnetUnderlayMTU,
  wireguardTunnels,
  type UnderlayMTU,
} from "./mtu.js";
import { PROVIDERS } from "./providers.js";
import { selectionMask } from "./label-classes.js";
import { parseSelector } from "./selector.js";
import { decideTypha, typhaDiagnostics } from "./typha.js";
import type {
  Backend,
  ClusterModel,
  EncapMode,
  IpFamily,
  Model,
  Node,
  NodeAddress,
  NodeGroup,
  ObjectMeta,
  Pool,
  PolicyDoc,
  Subnet,
  Topology,
} from "./types.js";
import { must } from "../util/must.js";

export interface ResolveResult {
  readonly model: Model | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** Builds the model from the documents their schemas accepted (validateDocuments). */
export function resolveModel(documents: readonly ValidDocument[]): ResolveResult {
  const diagnostics: Diagnostic[] = [];
  const clusterDoc = documents.find((d) => d.kind === "Cluster");
  if (!clusterDoc) return { model: undefined, diagnostics };

  const pools = documents.filter((d) => d.kind === "IPPool").map(resolvePool);
  const partialCluster = resolveCluster(clusterDoc);
  const topology = resolveTopology(
    documents.filter((d) => d.kind === "Topology"),
    partialCluster,
    diagnostics,
  );
  const policies: PolicyDoc[] = documents
    .filter((d) => d.kind === "Policy")
    .map((d) => freeze({ name: d.name ?? "", spec: frozenCopy(d.value.spec), source: d.source }));

  const { poolsByNode, nodesByPool } = selectNodes(pools, topology.nodes);
  const encapsulations = felixEncapsulations(pools);
  const backend: Backend = partialCluster.backend ?? deriveBackend(pools);
  const cluster: ClusterModel = freeze({
    ...partialCluster,
    backend,
    backendDerived: partialCluster.backend === undefined,
  });

  const underlay = underlayMTUs(cluster, topology);
  // Felix's pod MTU is the smallest MTU of the tunnels it turns on, WireGuard's included
  // (felix/dataplane/linux/int_dataplane.go:1505-1533).
  const familyUnderlayMTU = { 4: underlay.byFamily[4].mtu, 6: underlay.byFamily[6].mtu };
  const limit = podMTULimit(familyUnderlayMTU, familiesOf(pools), [
    ...encapsulations,
    ...wireguardTunnels(cluster.wireguard),
  ]);
  const hostNetwork = resolveHostNetwork(cluster, topology, poolsByNode);
  diagnostics.push(...hostNetwork.diagnostics, ...staticWireguard(cluster));
  const nodeCount = topology.nodes.length;
  diagnostics.push(...typhaDiagnostics(cluster.install, cluster.typha, nodeCount, cluster.source));
  const model: Model = freeze({
    cluster,
    topology,
    pools: freeze(pools),
    policies: freeze(policies),
    poolsByNode,
    nodesByPool,
    encapsulations: new FrozenSet(encapsulations),
    effectiveUnderlayMTU: underlay.all.mtu,
    underlayMTU: freeze(underlay.all),
    familyUnderlayMTU: freeze(familyUnderlayMTU),
    familyUnderlay: freeze({ 4: freeze(underlay.byFamily[4]), 6: freeze(underlay.byFamily[6]) }),
    podMTULimit: limit && freeze(limit),
    podMTU: cluster.podMTU ?? limit?.mtu ?? underlay.all.mtu,
    podMTUDerived: cluster.podMTU === undefined,
    podCIDRs: new FrozenMap(hostNetwork.podCIDRs),
    podCIDRsV6: new FrozenMap(hostNetwork.podCIDRsV6),
    typha: freeze(decideTypha(cluster.install, cluster.typha, nodeCount)),
  });
  return { model, diagnostics };
}

/**
 * The underlay MTU of the subnets that hold nodes, of either family (`all`), and of each family
 * (the subnets holding the nodes' addresses of that family, else `all`), each with its origin
 * (mtu.ts effectiveUnderlayMTU: declared, the provider's default, or AWS's VPC-boundary limit).
 */
function underlayMTUs(
  cluster: ClusterModel,
  topology: Topology,
): { all: UnderlayMTU; byFamily: Record<IpFamily, UnderlayMTU> } {
  const holding = { 4: subnetsHolding(topology, 4), 6: subnetsHolding(topology, 6) };
  const within = (subnets: ReadonlySet<Subnet>) =>
    effectiveUnderlayMTU(
      cluster,
      topology.subnets.filter((s) => subnets.has(s)),
    );
  const all = within(new Set([...holding[4], ...holding[6]]));
  const family = (f: IpFamily) => (holding[f].size ? within(holding[f]) : all);
  return { all, byFamily: { 4: family(4), 6: family(6) } };
}

/** The IP families of the pools (disabled ones too: their workloads keep their addresses). */
function familiesOf(pools: readonly Pool[]): IpFamily[] {
  return [...new Set(pools.flatMap((p) => (p.cidr ? [p.cidr.version] : [])))];
}

/** WireGuard is Felix's: static hosts (no Felix) would carry pod traffic unencrypted (NC3093). */
function staticWireguard(cluster: ClusterModel): Diagnostic[] {
  const { ipv4, ipv6 } = cluster.wireguard;
  if (cluster.hostNetwork.mode !== "static" || !(ipv4 || ipv6)) return [];
  const families = [ipv4 ? "IPv4" : "", ipv6 ? "IPv6" : ""].filter(Boolean).join(" and ");
  const device = [ipv4 ? WIREGUARD.device : "", ipv6 ? WIREGUARD.deviceV6 : ""]
    .filter(Boolean)
    .join(" and ");
  const span = cluster.source.at(["spec", "networking", "wireguard"]);
  const resource = `Cluster/${cluster.metadata.name}`;
  return [diagnostic("NC3093", span, { families, device }, { resource })];
}

/**
 * Any IPIP or unencapsulated pool needs BIRD to distribute routes; VXLAN alone does not. Disabled
 * pools count: their workloads keep their addresses, and BIRD keeps routing every pool's blocks
 * (confd's bird_ipam.cfg.template lists all pools) until the pool is deleted.
 */
export function deriveBackend(pools: readonly Pool[]): Backend {
  if (pools.length === 0) return "bird";
  const vxlanOnly = pools.every((p) => p.vxlanMode !== "Never" && p.ipipMode === "Never");
  return vxlanOnly ? "vxlan" : "bird";
}

function resolveCluster(doc: ValidDocument<"Cluster">): Omit<
  ClusterModel,
  "backend" | "backendDerived"
> & {
  backend: Backend | undefined;
} {
  const spec = doc.value.spec ?? {};
  const networking = spec.networking ?? {};
  const hostNetwork = spec.hostNetwork ?? {};
  const provider = spec.provider ?? CLUSTER_DEFAULTS.provider;
  return {
    metadata: meta(doc.value.metadata),
    provider,
    install: spec.install ?? CLUSTER_DEFAULTS.install,
    calicoVersion: spec.calicoVersion ?? CLUSTER_DEFAULTS.calicoVersion,
    backend: networking.backend,
    serviceCIDRs: freeze((networking.serviceCIDRs ?? []).map((c) => parseCidr(c))),
    underlayMTU: networking.underlayMTU ?? PROVIDERS[provider].underlayMTU.mtu,
    underlayMTUExplicit: networking.underlayMTU !== undefined,
    podMTU: networking.podMTU,
    vxlanPort: networking.vxlanPort ?? CLUSTER_DEFAULTS.vxlanPort,
    vxlanVNI: networking.vxlanVNI ?? CLUSTER_DEFAULTS.vxlanVNI,
    wireguard: freeze({
      ipv4: networking.wireguard?.ipv4 ?? false,
      ipv6: networking.wireguard?.ipv6 ?? false,
    }),
    awsSourceDestCheck: spec.aws?.sourceDestCheck ?? CLUSTER_DEFAULTS.awsSourceDestCheck,
    hostNetwork: freeze({
      mode: hostNetwork.mode ?? CLUSTER_DEFAULTS.hostNetworkMode,
      formats: freeze([...(hostNetwork.formats ?? CLUSTER_DEFAULTS.hostFormats)]),
    }),
    typha: freeze({ enabled: spec.typha?.enabled, replicas: spec.typha?.replicas }),
    outputDir: spec.output?.dir ?? CLUSTER_DEFAULTS.outputDir,
    rules: freeze({ ...spec.rules }),
    ignore: freeze([...(spec.ignore ?? [])]),
    acknowledgements: freeze(
      (spec.acknowledgements ?? []).map((a, i) =>
        freeze({
          resource: scalarText(a.resource),
          field: scalarText(a.field),
          from: scalarText(a.from),
          to: scalarText(a.to),
          reason: scalarText(a.reason),
          source: doc.source.child(["spec", "acknowledgements", i]),
        }),
      ),
    ),
    source: doc.source,
  };
}

function resolveTopology(
  docs: readonly ValidDocument<"Topology">[],
  cluster: Pick<ClusterModel, "provider" | "underlayMTU" | "underlayMTUExplicit">,
  diagnostics: Diagnostic[],
): Topology {
  const subnets: Subnet[] = [];
  const nodeSpecs: { spec: TopologyNodeSpec; source: SourceRef }[] = [];
  const groups: NodeGroup[] = [];
  let routesWorkloadIPs: { value: boolean; source: SourceRef } | undefined;

  for (const doc of docs) {
    const spec = doc.value.spec;
    (spec.subnets ?? []).forEach((s, i) => {
      const mtu = subnetUnderlayMTU(s.mtu, cluster, s.name);
      subnets.push(
        freeze({
          name: s.name,
          cidr: parseCidr(s.cidr),
          cidrText: s.cidr,
          mtu: mtu.mtu,
          mtuExplicit: s.mtu !== undefined,
          mtuOrigin: freeze(mtu.origin),
          declaredMTU: s.mtu ?? (cluster.underlayMTUExplicit ? cluster.underlayMTU : undefined),
          vpc: s.vpc,
          zone: s.zone,
          gateway: s.gateway,
          dhcp: s.dhcp ?? false,
          source: doc.source.child(["spec", "subnets", i]),
        }),
      );
    });
    (spec.nodes ?? []).forEach((node, i) =>
      nodeSpecs.push({ spec: node, source: doc.source.child(["spec", "nodes", i]) }),
    );
    (spec.nodeGroups ?? []).forEach((g, i) => {
      groups.push(
        freeze({
          namePrefix: g.namePrefix,
          count: g.count,
          subnet: g.subnet,
          firstAddress: g.firstAddress,
          subnetV6: g.subnetV6,
          firstAddressV6: g.firstAddressV6,
          interface: g.interface,
          labels: freeze({ ...g.labels }),
          firstPodCIDR: g.firstPodCIDR,
          firstPodCIDRV6: g.firstPodCIDRV6,
          source: doc.source.child(["spec", "nodeGroups", i]),
        }),
      );
    });
    const written = spec.underlay?.routesWorkloadIPs;
    if (written !== undefined) {
      const here = {
        value: written,
        source: doc.source.child(["spec", "underlay", "routesWorkloadIPs"]),
      };
      if (routesWorkloadIPs && routesWorkloadIPs.value !== here.value) {
        diagnostics.push(
          diagnostic("NC3011", here.source.span, undefined, {
            related: [{ ...routesWorkloadIPs.source.span, message: "the other value is here" }],
          }),
        );
      }
      routesWorkloadIPs ??= here;
    }
  }

  const containing = subnetIndex(subnets);
  const nodes: Node[] = nodeSpecs.map(({ spec, source }) =>
    makeNode(containing, {
      name: spec.name,
      addressText: spec.address,
      addressV6Text: spec.addressV6,
      interface: spec.interface,
      labels: spec.labels,
      podCIDRText: spec.podCIDR,
      podCIDRV6Text: spec.podCIDRV6,
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
    const asked = { group: group.namePrefix, count: group.count, first: group.firstAddress };
    const where = { subnet: subnet.name, cidr: subnet.cidr.canonical };
    if (total + group.count > LIMITS.maxNodes) {
      diagnostics.push(
        diagnostic("NC3010", group.source.at(["count"]), { ...asked, limit: LIMITS.maxNodes }),
      );
      continue;
    }
    if (!cidrContainsAddress(subnet.cidr, first)) {
      diagnostics.push(
        diagnostic("NC3009", group.source.at(["firstAddress"]), {
          ...asked,
          ...where,
          address: first.text,
        }),
      );
      continue;
    }
    if (!last || !cidrContainsAddress(subnet.cidr, last)) {
      diagnostics.push(
        diagnostic("NC3001", group.source.at(["firstAddress"]), { ...asked, ...where }),
      );
      continue;
    }
    const firstV6 = groupAddressesV6(group, subnets, diagnostics);
    if (firstV6 === null) continue;
    total += group.count;
    // Subnets that hold the whole group hold each of its nodes: looked up once, not per node.
    const inside = sameSubnetsThroughout(subnets, containing, first, last);
    const lastV6 = firstV6 && addressPlus(firstV6, BigInt(group.count - 1));
    const insideV6 = lastV6 && sameSubnetsThroughout(subnets, containing, firstV6, lastV6);
    const lookup = (address: IpAddress) =>
      (address.version === 4 ? inside : insideV6) ?? containing(address);
    for (let i = 0; i < group.count; i++) {
      const address = addressPlus(first, BigInt(i));
      const addressV6 = firstV6 && addressPlus(firstV6, BigInt(i));
      nodes.push(
        makeNode(lookup, {
          name: `${group.namePrefix}${i + 1}`,
          addressText: address?.text ?? "",
          address,
          addressV6Text: addressV6?.text,
          addressV6,
          interface: group.interface,
          labels: group.labels,
          podCIDRText: undefined,
          podCIDRV6Text: undefined,
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
    documentMetadata: freeze(docs.map((d) => meta(d.value.metadata))),
  });
}

/**
 * A dual-stack node group's first IPv6 address: undefined when the group has none, null when
 * the group cannot expand (each reason a diagnostic at the IPv6 fields, as for the IPv4 ones).
 * An address that is no IPv6 address is left to the node rules.
 */
function groupAddressesV6(
  group: NodeGroup,
  subnets: readonly Subnet[],
  diagnostics: Diagnostic[],
): IpAddress | undefined | null {
  if (group.subnetV6 === undefined || group.firstAddressV6 === undefined) return undefined;
  const subnet = subnets.find((s) => s.name === group.subnetV6);
  if (!subnet) {
    const hint = didYouMean(
      group.subnetV6,
      subnets.map((s) => s.name),
    );
    diagnostics.push(
      diagnostic("NC3002", group.source.at(["subnetV6"]), { subnet: group.subnetV6, hint }),
    );
    return null;
  }
  const first = parseAddress(group.firstAddressV6);
  if (first?.version !== 6 || !subnet.cidr) return undefined;
  const asked = { group: group.namePrefix, count: group.count, first: group.firstAddressV6 };
  const where = { subnet: subnet.name, cidr: subnet.cidr.canonical };
  const span = group.source.at(["firstAddressV6"]);
  if (!cidrContainsAddress(subnet.cidr, first)) {
    diagnostics.push(diagnostic("NC3009", span, { ...asked, ...where, address: first.text }));
    return null;
  }
  const last = addressPlus(first, BigInt(group.count - 1));
  if (!last || !cidrContainsAddress(subnet.cidr, last)) {
    diagnostics.push(diagnostic("NC3001", span, { ...asked, ...where }));
    return null;
  }
  return first;
}

type TopologyNodeSpec = NonNullable<TopologySpec["nodes"]>[number];

interface NodeInput {
  name: string;
  addressText: string;
  /** The address addressText parses to, when already known (node groups count it out). */
  address?: IpAddress | undefined;
  addressV6Text: string | undefined;
  /** The address addressV6Text parses to, when already known (node groups count it out). */
  addressV6?: IpAddress | undefined;
  interface: string | undefined;
  labels: Readonly<Record<string, string>> | undefined;
  podCIDRText: string | undefined;
  podCIDRV6Text: string | undefined;
  group: string | undefined;
  groupIndex: number | undefined;
  source: SourceRef;
}

/**
 * The subnets containing every address from `first` to `last`, when each address of the range
 * is in exactly those (no subnet begins or ends inside the range); otherwise undefined.
 */
function sameSubnetsThroughout(
  subnets: readonly Subnet[],
  containing: (address: IpAddress) => readonly Subnet[],
  first: IpAddress,
  last: IpAddress,
): readonly Subnet[] | undefined {
  const cut = subnets.some(
    ({ cidr }) =>
      cidr?.version === first.version &&
      cidr.start <= last.value &&
      first.value <= cidr.end &&
      (cidr.start > first.value || cidr.end < last.value),
  );
  return cut ? undefined : containing(first);
}

/**
 * The subnets that contain an address, in their order, found by looking the address up once per
 * prefix length the subnets use (a scan of every subnet per node is subnets × nodes). Each list
 * is frozen: nodes share it.
 */
function subnetIndex(subnets: readonly Subnet[]): (address: IpAddress) => readonly Subnet[] {
  const byPrefix = new Map<
    string,
    { version: 4 | 6; shift: bigint; starts: Map<bigint, number[]> }
  >();
  subnets.forEach((s, i) => {
    if (!s.cidr) return;
    const key = `${s.cidr.version}/${s.cidr.prefix}`;
    let entry = byPrefix.get(key);
    if (!entry) {
      const bits = s.cidr.version === 4 ? 32 : 128;
      entry = { version: s.cidr.version, shift: BigInt(bits - s.cidr.prefix), starts: new Map() };
      byPrefix.set(key, entry);
    }
    const list = entry.starts.get(s.cidr.start);
    if (list) list.push(i);
    else entry.starts.set(s.cidr.start, [i]);
  });
  const groups = [...byPrefix.values()];
  return (address) => {
    const found: number[] = [];
    for (const g of groups) {
      if (g.version !== address.version) continue;
      const hit = g.starts.get((address.value >> g.shift) << g.shift);
      if (hit) found.push(...hit);
    }
    if (found.length > 1) found.sort((a, b) => a - b);
    return freeze(found.flatMap((i) => subnets[i] ?? []));
  };
}

function makeNode(containing: (address: IpAddress) => readonly Subnet[], input: NodeInput): Node {
  const address = input.address ?? parseAddress(input.addressText);
  const inside = address ? containing(address) : [];
  const subnet = inside[0];
  const primary = address && nodeAddress(address, inside, "address");
  const second =
    input.addressV6 ??
    (input.addressV6Text === undefined ? undefined : parseAddress(input.addressV6Text));
  // addressV6 counts when it is IPv6 beside an IPv4 address (otherwise a node rule reports it).
  const v6 =
    address?.version === 4 && second?.version === 6
      ? nodeAddress(second, containing(second), "addressV6")
      : undefined;
  const labels: Record<string, string> = { ...input.labels };
  labels[HOSTNAME_LABEL] ??= input.name;
  if (subnet?.zone !== undefined) labels[ZONE_LABEL] ??= subnet.zone;
  return freeze({
    name: input.name,
    addressText: input.addressText,
    address,
    addressV6Text: input.addressV6Text,
    ipv4: primary?.family === 4 ? primary : undefined,
    ipv6: primary?.family === 6 ? primary : v6,
    interface: input.interface ?? CLUSTER_DEFAULTS.interface,
    labels: freeze(labels),
    podCIDR: input.podCIDRText === undefined ? undefined : parseCidr(input.podCIDRText),
    podCIDRText: input.podCIDRText,
    podCIDRV6: input.podCIDRV6Text === undefined ? undefined : parseCidr(input.podCIDRV6Text),
    podCIDRV6Text: input.podCIDRV6Text,
    subnets: inside,
    subnet,
    group: input.group,
    groupIndex: input.groupIndex,
    source: input.source,
  });
}

function nodeAddress(
  address: IpAddress,
  subnets: readonly Subnet[],
  field: NodeAddress["field"],
): NodeAddress {
  return freeze({
    family: address.version,
    address,
    subnets,
    subnet: subnets[0],
    field,
  });
}

function resolvePool(doc: ValidDocument<"IPPool">): Pool {
  const spec = doc.value.spec;
  const cidr = parseCidr(spec.cidr);
  const blockSize = spec.blockSize;
  const nodeSelectorText = spec.nodeSelector ?? POOL_DEFAULTS.nodeSelector;
  const v1 = doc.apiVersion === CRD_API_VERSION;
  const v1Ipip = v1 && spec.ipip ? ipipModeOfV1(spec.ipip) : undefined;
  const parsedSelector = parseSelector(nodeSelectorText);
  return freeze({
    apiVersion: doc.apiVersion,
    metadata: meta(doc.value.metadata),
    name: doc.name ?? "",
    cidrText: spec.cidr,
    cidr,
    // Calico treats blockSize 0 as "not set" and fills in the default (clientv3 ippool.go).
    blockSize:
      blockSize || (cidr?.version === 6 ? POOL_DEFAULTS.blockSizeV6 : POOL_DEFAULTS.blockSizeV4),
    blockSizeExplicit: blockSize !== undefined && blockSize !== 0,
    ipipMode: v1Ipip ?? (spec.ipipMode || POOL_DEFAULTS.ipipMode),
    vxlanMode: spec.vxlanMode || POOL_DEFAULTS.vxlanMode,
    // The v1 CRD's converter ORs the two spellings (k8s/resources/ippool.go:79-83).
    natOutgoing: (v1 && spec["nat-outgoing"] === true) || (spec.natOutgoing ?? false),
    disabled: spec.disabled ?? false,
    disableBGPExport: spec.disableBGPExport ?? false,
    nodeSelectorText,
    nodeSelector: parsedSelector.ok ? parsedSelector.selector : undefined,
    namespaceSelectorText: spec.namespaceSelector,
    allowedUses: freeze([
      ...(spec.allowedUses?.length ? spec.allowedUses : POOL_DEFAULTS.allowedUses),
    ]),
    assignmentMode: spec.assignmentMode ?? POOL_DEFAULTS.assignmentMode,
    written: freeze({
      ipipMode: spec.ipipMode,
      vxlanMode: spec.vxlanMode,
      ipip: spec.ipip ? freeze({ ...spec.ipip }) : spec.ipip,
      natOutgoingV1: spec["nat-outgoing"],
    }),
    source: doc.source,
  });
}

/**
 * The ipipMode Calico reads from the v1 `ipip` field of a crd.projectcalico.org/v1 object: its
 * CRD keeps the field and libcalico-go converts it on every read, over any ipipMode written
 * beside it (libcalico-go/lib/backend/k8s/resources/ippool.go:64-77). Projectcalico.org/v3
 * refuses the field instead (a rule reports it).
 */
export function ipipModeOfV1(ipip: {
  readonly enabled?: boolean;
  readonly mode?: string;
}): EncapMode {
  if (!ipip.enabled) return "Never";
  return ipip.mode === "cross-subnet" ? "CrossSubnet" : "Always";
}

/** The API group of Calico's CRDs, read directly (not through Calico's API server). */
export const CRD_API_VERSION = "crd.projectcalico.org/v1";

/** Which enabled workload pools select which nodes (Calico's nodeSelector). */
function selectNodes(
  pools: readonly Pool[],
  nodes: readonly Node[],
): {
  poolsByNode: ReadonlyMap<string, readonly Pool[]>;
  nodesByPool: ReadonlyMap<string, readonly Node[]>;
} {
  const nodesByPool = new Map<string, readonly Node[]>();
  const usable = pools.flatMap((pool) =>
    !pool.disabled && pool.nodeSelector && pool.allowedUses.includes("Workload")
      ? [{ pool, selector: pool.nodeSelector }]
      : [],
  );
  const masks = usable.map(({ selector }) => selectionMask([selector], nodes));
  usable.forEach(({ pool }, p) => {
    const mask = must(masks[p], "a pool's selection");
    const selected: Node[] = [];
    for (let i = 0; i < nodes.length; i++)
      if (mask[i] === 1) selected.push(must(nodes[i], "a node"));
    nodesByPool.set(pool.name, freeze(selected));
  });
  for (const pool of pools) if (!nodesByPool.has(pool.name)) nodesByPool.set(pool.name, freeze([]));
  // Nodes selected by the same pools share one list: a node group's nodes, mostly. A node's key
  // says which pools select it: one bit per pool while they fit, else a string of 0s and 1s.
  const bits = masks.length <= 30 ? new Int32Array(nodes.length) : undefined;
  masks.forEach((mask, p) => {
    if (bits)
      for (let i = 0; i < mask.length; i++) bits[i] = (bits[i] ?? 0) | ((mask[i] ?? 0) << p);
  });
  const lists = new Map<number | string, readonly Pool[]>();
  const listOf = (i: number): readonly Pool[] => {
    const key = bits ? (bits[i] ?? 0) : masks.map((mask) => mask[i]).join("");
    let list = lists.get(key);
    if (!list)
      lists.set(
        key,
        (list = freeze(usable.filter((_, p) => masks[p]?.[i] === 1).map((u) => u.pool))),
      );
    return list;
  };
  const poolsByNode = new Map<string, readonly Pool[]>();
  const duplicated = new Set<string>();
  nodes.forEach((node, i) => {
    if (poolsByNode.has(node.name)) duplicated.add(node.name);
    poolsByNode.set(node.name, listOf(i));
  });
  // Nodes of one name (a rule reports them) share one list: each pool once per node it selects.
  const positions = new Map<string, number[]>();
  nodes.forEach((node, i) => {
    if (!duplicated.has(node.name)) return;
    const at = positions.get(node.name);
    if (at) at.push(i);
    else positions.set(node.name, [i]);
  });
  for (const [name, at] of positions) {
    poolsByNode.set(
      name,
      freeze(usable.flatMap((u, p) => at.filter((i) => masks[p]?.[i] === 1).map(() => u.pool))),
    );
  }
  return { poolsByNode: FrozenMap.adopt(poolsByNode), nodesByPool: FrozenMap.adopt(nodesByPool) };
}

function meta(metadata: DocumentMetadata | undefined): ObjectMeta {
  return freeze({
    name: metadata?.name ?? "",
    labels: freeze({ ...metadata?.labels }),
    annotations: freeze({ ...metadata?.annotations }),
  });
}

/** A scalar as text, the way acknowledgements compare values ("4096" and 4096 agree). */
function scalarText(value: string | number | boolean): string {
  return String(value).trim();
}
function freeze<T>(value: T): T {
  return Object.freeze(value);
}
