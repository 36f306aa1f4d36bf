/**
 * The live snapshot as the rest of netcompile reads it: nodes (a Kubernetes Node and its Calico
 * Node merged by name), IPPools (shaped as the model's pools, Calico's defaults filled in),
 * block affinities and the calico-config ConfigMap, each remembering where it is in the
 * snapshot. Every value is read the way Calico reads it (sources cited per field); a value
 * Calico would ignore is reported (NC7008) and left out.
 *
 * Addresses are kept per IP family, so comparing an IPv4 and an IPv6 address of one node is
 * the same code twice: the repository's model holds one address per node today.
 */
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import type { Diagnostic, Span } from "../diagnostics/types.js";
import type { SourceRef } from "../load/source.js";
import { describeType } from "../load/load.js";
import {
  parseAddress,
  parseCidr,
  makeCidr,
  type Cidr,
  type IpAddress,
  type IpVersion,
} from "../model/cidr.js";
import { POOL_DEFAULTS, ZONE_LABEL } from "../model/defaults.js";
import { parseSelector } from "../model/selector.js";
import type { AllowedUse, EncapMode, Pool } from "../model/types.js";
import { ANNOTATIONS, liveKindTitle, type LiveKind } from "./kinds.js";
import {
  isRecord,
  loadSnapshot,
  type LoadedSnapshot,
  type SnapshotLocation,
  type SnapshotObject,
} from "./load.js";
import { LIVE_LIMITS, type LiveLimits } from "./limits.js";
import { must } from "../util/must.js";

export type Family = IpVersion;
export const FAMILIES: readonly Family[] = [4, 6];

/** Where a value of the snapshot is, and in which object; the span is found when asked for. */
export interface LiveOrigin {
  /** "Node worker-1", "Calico Node worker-1", "IPPool default-ipv4-ippool". */
  readonly object: string;
  readonly span: Span;
}

/** An origin whose span is looked up only when read (a snapshot may hold 100,000 of them). */
class LazyOrigin implements LiveOrigin {
  constructor(
    readonly object: string,
    private readonly source: SourceRef,
    private readonly path: readonly (string | number)[],
  ) {}

  get span(): Span {
    return this.source.at(this.path);
  }
}

export function origin(
  object: string,
  source: SourceRef,
  path: readonly (string | number)[],
): LiveOrigin {
  return new LazyOrigin(object, source, path);
}

/** A node's address of one family, as Felix and BIRD read it. */
export interface LiveAddress {
  readonly address: IpAddress;
  /**
   * The network the node believes it is in: the /NN of projectcalico.org/IPv4Address (what
   * Felix's nodeInOurSubnet and BIRD's network_v4 test); /32 (/128) for a plain address.
   */
  readonly prefix: Cidr;
  /** As written, e.g. "10.6.183.20/16". */
  readonly text: string;
  /**
   * Where it comes from: Calico's annotation on the Kubernetes Node, the Calico Node's
   * spec.bgp, or (no Calico address at all) the InternalIP Felix falls back to.
   */
  readonly from: "annotation" | "calico-node" | "internal-ip";
  /** The field it was read from: "projectcalico.org/IPv4Address", "spec.bgp.ipv4Address", "InternalIP". */
  readonly field: string;
  readonly origin: LiveOrigin;
}

/** A tunnel address calico-node allocated for the node (node/pkg/allocateip). */
export interface LiveTunnel {
  readonly address: IpAddress;
  readonly text: string;
  readonly origin: LiveOrigin;
}

export type TunnelKind = "ipip" | "vxlan" | "vxlanV6";

export interface LiveNode {
  readonly name: string;
  /** The labels Calico evaluates nodeSelectors against: the Calico Node's, else the Kubernetes Node's. */
  readonly labels: Readonly<Record<string, string>>;
  /** Calico's address of each family. */
  readonly address: Readonly<Partial<Record<Family, LiveAddress>>>;
  /** status.addresses InternalIP (and spec.addresses InternalIP of a Calico Node). */
  readonly internalIPs: readonly IpAddress[];
  readonly tunnels: Readonly<Partial<Record<TunnelKind, LiveTunnel>>>;
  readonly podCIDRs: readonly string[];
  readonly providerID: string | undefined;
  readonly zone: string | undefined;
  /** Where its labels are (the Calico Node's when there is one). */
  readonly labelsOrigin: LiveOrigin;
  /** The object the node was read from first (the Kubernetes Node when there is one). */
  readonly origin: LiveOrigin;
  readonly source: SourceRef;
  /** Snapshot files it was read from (relative to the snapshot). */
  readonly snapshotFiles: readonly string[];
}

/** A live IPPool: the model's Pool (Calico's defaults filled in), its spec as read, its place. */
export interface LivePool extends Pool {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly origin: LiveOrigin;
  readonly snapshotFile: string;
}

/** A block of pool addresses affine to a node (a confirmed, not deleted, host BlockAffinity). */
export interface LiveBlock {
  readonly name: string;
  readonly cidr: Cidr;
  readonly node: string;
  readonly origin: LiveOrigin;
}

export interface LiveCalicoConfig {
  /** data.veth_mtu: 0 means Felix detects the MTU (calico.yaml's default). */
  readonly vethMTU: { readonly value: number; readonly origin: LiveOrigin } | undefined;
  readonly backend: { readonly value: string; readonly origin: LiveOrigin } | undefined;
  readonly origin: LiveOrigin;
  readonly snapshotFile: string;
}

export interface LiveSnapshot {
  /** The snapshot as the user named it. */
  readonly path: string;
  /** Files read, relative to the snapshot. */
  readonly files: readonly string[];
  /** Nodes by name, in the order the snapshot lists them. */
  readonly nodes: ReadonlyMap<string, LiveNode>;
  readonly pools: readonly LivePool[];
  readonly blocks: readonly LiveBlock[];
  readonly calicoConfig: LiveCalicoConfig | undefined;
  /** Objects read, per kind. */
  readonly found: ReadonlyMap<LiveKind, number>;
  /** Objects ignored, per "apiVersion kind". */
  readonly ignored: ReadonlyMap<string, number>;
  readonly diagnostics: readonly Diagnostic[];
  /** False when the snapshot could not be read at all (NC7001). */
  readonly readable: boolean;
}

/** Reads and interprets the snapshot at `location`. */
export function readSnapshot(
  location: SnapshotLocation,
  limits: LiveLimits = LIVE_LIMITS,
): LiveSnapshot {
  return interpretSnapshot(loadSnapshot(location, limits));
}

export function interpretSnapshot(loaded: LoadedSnapshot): LiveSnapshot {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const found = new Map<LiveKind, number>();
  const seen = new Map<string, SnapshotObject>();
  const byKind: Record<LiveKind, SnapshotObject[]> = {
    Node: [],
    CalicoNode: [],
    IPPool: [],
    BlockAffinity: [],
    CalicoConfig: [],
  };
  for (const o of loaded.objects) {
    const title = `${liveKindTitle(o.kind)} ${o.name ?? ""}`.trim();
    if (o.name === undefined) {
      diagnostics.push(
        diagnostic("NC7009", o.source.span, {
          object: `a ${liveKindTitle(o.kind)}`,
          field: "metadata.name",
        }),
      );
      continue;
    }
    const key = `${o.kind}/${o.name}`;
    const first = seen.get(key);
    if (first) {
      const at = first.source.span;
      diagnostics.push(
        diagnostic("NC7010", o.source.at(["metadata", "name"]), {
          object: title,
          first: `${at.file}:${at.line}`,
        }),
      );
      continue;
    }
    seen.set(key, o);
    byKind[o.kind].push(o);
    found.set(o.kind, (found.get(o.kind) ?? 0) + 1);
  }

  const nodes = readNodes(byKind.Node, byKind.CalicoNode, diagnostics);
  const pools = byKind.IPPool.map((o) => readPool(o, diagnostics)).filter(
    (p): p is LivePool => p !== undefined,
  );
  const blocks = byKind.BlockAffinity.map((o) => readBlock(o, diagnostics)).filter(
    (b): b is LiveBlock => b !== undefined,
  );
  const config = byKind.CalicoConfig[0];
  const calicoConfig = config ? readCalicoConfig(config, diagnostics) : undefined;

  if (loaded.readable && nodes.size === 0) {
    const holds = [...found].map(([k, n]) => `${n} ${liveKindTitle(k)}`);
    for (const [what, n] of loaded.ignored) holds.push(`${n} ${what} (ignored)`);
    diagnostics.push(
      diagnostic("NC7006", fileSpan(loaded.path), {
        path: loaded.display,
        found: holds.join(", ") || "nothing",
      }),
    );
  }
  return {
    path: loaded.path,
    files: loaded.files,
    nodes,
    pools,
    blocks,
    calicoConfig,
    found,
    ignored: loaded.ignored,
    diagnostics,
    readable: loaded.readable,
  };
}

// ---------------------------------------------------------------------------------------------
// Nodes

interface NodeParts {
  readonly kube: SnapshotObject | undefined;
  readonly calico: SnapshotObject | undefined;
}

function readNodes(
  kube: readonly SnapshotObject[],
  calico: readonly SnapshotObject[],
  diagnostics: Diagnostic[],
): Map<string, LiveNode> {
  const parts = new Map<string, NodeParts>();
  for (const o of kube) parts.set(nameOf(o), { kube: o, calico: undefined });
  for (const o of calico) {
    // A Calico Node names its Kubernetes node in spec.orchRefs (etcd mode names may differ).
    const name = orchestratorName(o) ?? nameOf(o);
    const known = parts.get(name);
    parts.set(name, { kube: known?.kube, calico: o });
  }
  const out = new Map<string, LiveNode>();
  for (const [name, p] of parts) out.set(name, readNode(name, p, diagnostics));
  return out;
}

/** Objects reach interpretation only with a name (load.ts reports those without, NC7009). */
function nameOf(o: SnapshotObject): string {
  return must(o.name, `the name of ${o.kind} in ${o.file}`);
}

function orchestratorName(o: SnapshotObject): string | undefined {
  const refs = record(o.value.spec)?.orchRefs;
  if (!Array.isArray(refs)) return undefined;
  for (const ref of refs) {
    const r = record(ref);
    if (r && r.orchestrator === "k8s" && typeof r.nodeName === "string" && r.nodeName)
      return r.nodeName;
  }
  return undefined;
}

function readNode(name: string, parts: NodeParts, diagnostics: Diagnostic[]): LiveNode {
  const { kube, calico } = parts;
  const primary = must(kube ?? calico, `the objects of node ${name}`);
  const title = (o: SnapshotObject) => `${liveKindTitle(o.kind)} ${o.name}`;
  const annotations = stringMap(record(kube?.value.metadata)?.annotations);
  const calicoSpec = record(calico?.value.spec);
  const bgp = record(calicoSpec?.bgp);

  // The address of each family: the Calico Node's spec.bgp, else the annotation that holds it
  // on the Kubernetes Node (resources/node.go:240-241, K8sNodeToCalico).
  const address: Partial<Record<Family, LiveAddress>> = {};
  for (const family of FAMILIES) {
    const field = family === 4 ? "ipv4Address" : "ipv6Address";
    const annotation = family === 4 ? ANNOTATIONS.ipv4Address : ANNOTATIONS.ipv6Address;
    const fromCalico =
      calico && typeof bgp?.[field] === "string" && bgp[field] !== ""
        ? readAddress(
            bgp[field],
            family,
            "calico-node",
            calico,
            ["spec", "bgp", field],
            diagnostics,
          )
        : undefined;
    const fromKube =
      kube && annotations[annotation]
        ? readAddress(
            annotations[annotation],
            family,
            "annotation",
            kube,
            ["metadata", "annotations", annotation],
            diagnostics,
          )
        : undefined;
    if (fromCalico && fromKube && fromCalico.text !== fromKube.text) {
      diagnostics.push(
        diagnostic("NC7011", fromCalico.origin.span, {
          node: name,
          field: `spec.bgp.${field}`,
          calico: fromCalico.text,
          annotation,
          kube: fromKube.text,
        }),
      );
    }
    const chosen = fromCalico ?? fromKube;
    if (chosen) address[family] = chosen;
  }

  const internalIPs = internalAddresses(kube, calico);
  if (Object.keys(address).length === 0) {
    // Felix's fallback: the InternalIP (then ExternalIP), as a host address
    // (felix/calc/l3_route_resolver.go:388-397, libcalico-go/lib/resources/node.go:26-42).
    for (const family of FAMILIES) {
      const fallback = internalIPs.find((a) => a.version === family);
      if (!fallback) continue;
      address[family] = {
        address: fallback,
        prefix: makeCidr(family, fallback.value, family === 4 ? 32 : 128),
        text: fallback.text,
        from: "internal-ip",
        field: "InternalIP",
        origin: origin(title(primary), primary.source, ["status", "addresses"]),
      };
    }
    const v = address[4] ?? address[6];
    diagnostics.push(
      diagnostic("NC7007", primary.source.at(["metadata", "annotations"]), {
        node: name,
        consequence: v
          ? `Felix takes its InternalIP ${v.address.text} as a /${v.prefix.prefix}, alone in its subnet: a CrossSubnet pool encapsulates all its traffic`
          : "it has no InternalIP either, so Felix has no address to route its pods to",
      }),
    );
  }

  const tunnels: Partial<Record<TunnelKind, LiveTunnel>> = {};
  const tunnelSources: Record<
    TunnelKind,
    { annotation: string; calicoPath: readonly string[]; family: Family }
  > = {
    ipip: {
      annotation: ANNOTATIONS.ipipTunnel,
      calicoPath: ["spec", "bgp", "ipv4IPIPTunnelAddr"],
      family: 4,
    },
    vxlan: {
      annotation: ANNOTATIONS.vxlanTunnel,
      calicoPath: ["spec", "ipv4VXLANTunnelAddr"],
      family: 4,
    },
    vxlanV6: {
      annotation: ANNOTATIONS.vxlanTunnelV6,
      calicoPath: ["spec", "ipv6VXLANTunnelAddr"],
      family: 6,
    },
  };
  for (const [kind, src] of Object.entries(tunnelSources) as [
    TunnelKind,
    (typeof tunnelSources)[TunnelKind],
  ][]) {
    const calicoText = calico ? stringAt(calico.value, src.calicoPath) : undefined;
    const annotated = annotations[src.annotation];
    const tunnel =
      (calico && calicoText
        ? readTunnel(calicoText, src.family, calico, src.calicoPath, diagnostics)
        : undefined) ??
      (kube && annotated
        ? readTunnel(
            annotated,
            src.family,
            kube,
            ["metadata", "annotations", src.annotation],
            diagnostics,
          )
        : undefined);
    if (tunnel) tunnels[kind] = tunnel;
  }

  const kubeSpec = record(kube?.value.spec);
  const podCIDRs = Array.isArray(kubeSpec?.podCIDRs)
    ? (kubeSpec.podCIDRs as unknown[]).filter((c): c is string => typeof c === "string")
    : typeof kubeSpec?.podCIDR === "string"
      ? [kubeSpec.podCIDR]
      : stringList(record(calico?.value.status)?.podCIDRs);
  const labels = calico
    ? {
        ...stringMap(record(kube?.value.metadata)?.labels),
        ...stringMap(record(calico.value.metadata)?.labels),
      }
    : stringMap(record(kube?.value.metadata)?.labels);
  return {
    name,
    labels,
    address,
    internalIPs,
    tunnels,
    podCIDRs,
    providerID: typeof kubeSpec?.providerID === "string" ? kubeSpec.providerID : undefined,
    zone: labels[ZONE_LABEL],
    labelsOrigin: origin(title(calico ?? primary), (calico ?? primary).source, [
      "metadata",
      "labels",
    ]),
    origin: origin(title(primary), primary.source, ["metadata", "name"]),
    source: primary.source,
    snapshotFiles: [
      ...new Set([kube?.snapshotFile, calico?.snapshotFile].filter((f): f is string => !!f)),
    ],
  };
}

/** An address as Calico reads it: a CIDR, or a plain address taken as /32 or /128 (cnet.ParseCIDROrIP). */
function readAddress(
  text: string,
  family: Family,
  from: "annotation" | "calico-node",
  o: SnapshotObject,
  path: readonly string[],
  diagnostics: Diagnostic[],
): LiveAddress | undefined {
  const parsed = parseCidrOrIP(text);
  if (!parsed || parsed.address.version !== family) {
    diagnostics.push(
      diagnostic("NC7008", o.source.at(path), {
        what: path.join("."),
        object: `${liveKindTitle(o.kind)} ${o.name}`,
        value: text,
        why: `it is not an IPv${family} address with a prefix (validator ValidateCIDRv${family})`,
      }),
    );
    return undefined;
  }
  return {
    address: parsed.address,
    prefix: parsed.prefix,
    text,
    from,
    field: from === "annotation" ? String(path.at(-1)) : path.join("."),
    origin: origin(`${liveKindTitle(o.kind)} ${o.name}`, o.source, path),
  };
}

/** A tunnel address: a plain address or a fully masked /32 (/128), as Calico's ValidateIPv4Network. */
function readTunnel(
  text: string,
  family: Family,
  o: SnapshotObject,
  path: readonly string[],
  diagnostics: Diagnostic[],
): LiveTunnel | undefined {
  const parsed = parseCidrOrIP(text);
  const full = family === 4 ? 32 : 128;
  if (!parsed || parsed.address.version !== family || parsed.prefix.prefix !== full) {
    diagnostics.push(
      diagnostic("NC7008", o.source.at(path), {
        what: path.join("."),
        object: `${liveKindTitle(o.kind)} ${o.name}`,
        value: text,
        why: `it is not an IPv${family} address (validator ValidateIPv${family}Network)`,
      }),
    );
    return undefined;
  }
  return {
    address: parsed.address,
    text,
    origin: origin(`${liveKindTitle(o.kind)} ${o.name}`, o.source, path),
  };
}

export function parseCidrOrIP(text: string): { address: IpAddress; prefix: Cidr } | undefined {
  if (text.includes("/")) {
    const cidr = parseCidr(text);
    const address = cidr && parseAddress(text.slice(0, text.indexOf("/")));
    return cidr && address
      ? { address, prefix: makeCidr(cidr.version, cidr.address, cidr.prefix) }
      : undefined;
  }
  const address = parseAddress(text);
  return address
    ? {
        address,
        prefix: makeCidr(address.version, address.value, address.version === 4 ? 32 : 128),
      }
    : undefined;
}

function internalAddresses(
  kube: SnapshotObject | undefined,
  calico: SnapshotObject | undefined,
): IpAddress[] {
  const out: IpAddress[] = [];
  const add = (list: unknown, type: string) => {
    if (!Array.isArray(list)) return;
    for (const entry of list) {
      const e = record(entry);
      if (e?.type !== type || typeof e.address !== "string") continue;
      const a = parseAddress(e.address);
      if (a && !out.some((x) => x.value === a.value && x.version === a.version)) out.push(a);
    }
  };
  add(record(kube?.value.status)?.addresses, "InternalIP");
  add(record(calico?.value.spec)?.addresses, "InternalIP");
  add(record(kube?.value.status)?.addresses, "ExternalIP");
  add(record(calico?.value.spec)?.addresses, "ExternalIP");
  return out;
}

// ---------------------------------------------------------------------------------------------
// IPPools, blocks, calico-config

function readPool(o: SnapshotObject, diagnostics: Diagnostic[]): LivePool | undefined {
  const spec = record(o.value.spec) ?? {};
  const title = `IPPool ${o.name}`;
  if (typeof spec.cidr !== "string") {
    diagnostics.push(diagnostic("NC7009", o.source.span, { object: title, field: "spec.cidr" }));
    return undefined;
  }
  const cidr = parseCidr(spec.cidr);
  const mode = (field: "ipipMode" | "vxlanMode"): EncapMode => {
    const v = spec[field];
    return v === "Always" || v === "CrossSubnet" || v === "Never" ? v : POOL_DEFAULTS[field];
  };
  const blockSize = typeof spec.blockSize === "number" ? spec.blockSize : 0;
  const nodeSelectorText =
    typeof spec.nodeSelector === "string" && spec.nodeSelector !== ""
      ? spec.nodeSelector
      : POOL_DEFAULTS.nodeSelector;
  const parsed = parseSelector(nodeSelectorText);
  const uses = stringList(spec.allowedUses).filter((u): u is AllowedUse =>
    ["Workload", "Tunnel", "LoadBalancer"].includes(u),
  );
  const metadata = record(o.value.metadata) ?? {};
  const labels = stringMap(metadata.labels);
  const annotations = stringMap(metadata.annotations);
  return {
    apiVersion: o.apiVersion,
    metadata: { name: nameOf(o), labels, annotations },
    name: nameOf(o),
    cidrText: spec.cidr,
    cidr,
    blockSize:
      blockSize || (cidr?.version === 6 ? POOL_DEFAULTS.blockSizeV6 : POOL_DEFAULTS.blockSizeV4),
    blockSizeExplicit: blockSize !== 0,
    ipipMode: mode("ipipMode"),
    vxlanMode: mode("vxlanMode"),
    natOutgoing: spec.natOutgoing === true,
    disabled: spec.disabled === true,
    disableBGPExport: spec.disableBGPExport === true,
    nodeSelectorText,
    nodeSelector: parsed.ok ? parsed.selector : undefined,
    namespaceSelectorText:
      typeof spec.namespaceSelector === "string" ? spec.namespaceSelector : undefined,
    allowedUses: uses.length ? uses : [...POOL_DEFAULTS.allowedUses],
    assignmentMode: spec.assignmentMode === "Manual" ? "Manual" : POOL_DEFAULTS.assignmentMode,
    source: o.source,
    spec,
    labels,
    annotations,
    origin: origin(title, o.source, ["metadata", "name"]),
    snapshotFile: o.snapshotFile,
    written: {
      ipipMode: typeof spec.ipipMode === "string" ? spec.ipipMode : undefined,
      vxlanMode: typeof spec.vxlanMode === "string" ? spec.vxlanMode : undefined,
      ipip: spec.ipip === null ? null : (record(spec.ipip) ?? undefined),
      natOutgoingV1: typeof spec["nat-outgoing"] === "boolean" ? spec["nat-outgoing"] : undefined,
    },
  };
}

/** A confirmed host affinity that is not being deleted (resources/ipam_affinity.go:78-118). */
function readBlock(o: SnapshotObject, diagnostics: Diagnostic[]): LiveBlock | undefined {
  const spec = record(o.value.spec) ?? {};
  const title = `BlockAffinity ${o.name}`;
  for (const field of ["cidr", "node"] as const) {
    if (typeof spec[field] !== "string" || spec[field] === "") {
      diagnostics.push(
        diagnostic("NC7009", o.source.span, { object: title, field: `spec.${field}` }),
      );
      return undefined;
    }
  }
  const cidr = parseCidr(spec.cidr as string);
  if (!cidr) {
    diagnostics.push(
      diagnostic("NC7008", o.source.at(["spec", "cidr"]), {
        what: "spec.cidr",
        object: title,
        value: spec.cidr as string,
        why: "it is not a CIDR",
      }),
    );
    return undefined;
  }
  const deleted = spec.deleted === true || spec.deleted === "true";
  const type = typeof spec.type === "string" && spec.type !== "" ? spec.type : "host";
  if (deleted || type !== "host" || (spec.state !== undefined && spec.state !== "confirmed"))
    return undefined;
  return {
    name: nameOf(o),
    cidr,
    node: spec.node as string,
    origin: origin(title, o.source, ["spec", "cidr"]),
  };
}

function readCalicoConfig(o: SnapshotObject, diagnostics: Diagnostic[]): LiveCalicoConfig {
  const data = record(o.value.data) ?? {};
  const title = `ConfigMap ${o.name}`;
  let vethMTU: LiveCalicoConfig["vethMTU"];
  if (data.veth_mtu !== undefined) {
    const text =
      typeof data.veth_mtu === "string" || typeof data.veth_mtu === "number"
        ? String(data.veth_mtu).trim()
        : describeType(data.veth_mtu);
    if (/^\d{1,5}$/.test(text))
      vethMTU = { value: Number(text), origin: origin(title, o.source, ["data", "veth_mtu"]) };
    else
      diagnostics.push(
        diagnostic("NC7008", o.source.at(["data", "veth_mtu"]), {
          what: "data.veth_mtu",
          object: title,
          value: text,
          why: "it is not a number",
        }),
      );
  }
  const backend =
    typeof data.calico_backend === "string"
      ? {
          value: data.calico_backend,
          origin: origin(title, o.source, ["data", "calico_backend"]),
        }
      : undefined;
  return {
    vethMTU,
    backend,
    origin: origin(title, o.source, ["metadata", "name"]),
    snapshotFile: o.snapshotFile,
  };
}

// ---------------------------------------------------------------------------------------------

function record(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function stringAt(value: unknown, path: readonly string[]): string | undefined {
  let at = value;
  for (const key of path) at = record(at)?.[key];
  return typeof at === "string" && at !== "" ? at : undefined;
}

/** "40 Node, 40 Calico Node, 3 IPPool, …; ignored: 2 v1 Pod": what the snapshot held and what was read. */
export function snapshotSummary(snapshot: LiveSnapshot, name: string = snapshot.path): string {
  const kinds = (["Node", "CalicoNode", "IPPool", "BlockAffinity", "CalicoConfig"] as const)
    .filter((k) => snapshot.found.has(k))
    .map((k) => `${snapshot.found.get(k)} ${liveKindTitle(k)}`);
  const ignored = [...snapshot.ignored].map(([what, n]) => `${n} ${what}`);
  const files = `${snapshot.files.length} file${snapshot.files.length === 1 ? "" : "s"}`;
  return `${name} (${files}): read ${kinds.join(", ") || "nothing"}${ignored.length ? `; ignored ${ignored.join(", ")}` : ""}`;
}
