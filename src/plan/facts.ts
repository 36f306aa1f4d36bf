/**
 * The network facts of one side of the plan (types in src/model/facts.ts): read from a resolved
 * model (`--base`, and always for the repository), or reconstructed from a rendered tree's
 * manifests (`--against`), where some facts are missing and are said to be.
 */
import { parseCidr } from "../model/cidr.js";
import { dualStackAddress } from "../model/families.js";
import { parseSelector } from "../model/selector.js";
import type {
  CalicoNodeFacts,
  NetworkFacts,
  NodeFacts,
  PoolFacts,
  SubnetFacts,
} from "../model/facts.js";
import type { TunnelEncapsulation } from "../model/mtu.js";
import { givesTunnelAddress, nodesWithTunnelAddress } from "../model/tunnels.js";
import type { AllowedUse, Backend, EncapMode, Model, Node, Pool } from "../model/types.js";
import { parseRenderedYaml } from "../render/check.js";
import type { RenderedFile } from "../render/types.js";

export const EMPTY_FACTS: NetworkFacts = {
  origin: "empty",
  clusterName: undefined,
  install: undefined,
  calicoVersion: undefined,
  backend: undefined,
  podMTU: undefined,
  vxlanPort: undefined,
  vxlanVNI: undefined,
  wireguard: undefined,
  pools: new Map(),
  nodes: new Map(),
  subnets: new Map(),
  groups: new Map(),
  tunnelNodes: new Map(),
  calicoNode: undefined,
  missing: [],
  model: undefined,
};

const TUNNELS: readonly TunnelEncapsulation[] = ["ipip", "vxlan", "vxlan-v6"];

/**
 * The facts of a compiled repository; `files`, its rendered tree, adds what only the rendered
 * manifests show (calico-node's pod template and calico-config).
 */
export function factsFromModel(model: Model, files?: readonly RenderedFile[]): NetworkFacts {
  const pools = new Map<string, PoolFacts>();
  for (const pool of model.pools) {
    if (pools.has(pool.name)) continue; // a duplicate name is a rule error; the first one wins
    pools.set(pool.name, poolFactsFromModel(model, pool));
  }
  const nodes = new Map<string, NodeFacts>();
  for (const node of model.topology.nodes) nodes.set(node.name, nodeFacts(node));
  const inSubnet = new Map<string, string[]>();
  for (const node of model.topology.nodes) {
    const dual = dualStackAddress(node)?.subnet;
    for (const subnet of [node.subnet, dual]) {
      if (!subnet) continue;
      const list = inSubnet.get(subnet.name);
      if (list) list.push(node.name);
      else inSubnet.set(subnet.name, [node.name]);
    }
  }
  const subnets = new Map<string, SubnetFacts>();
  for (const subnet of model.topology.subnets) {
    subnets.set(subnet.name, {
      name: subnet.name,
      mtu: subnet.mtu,
      nodes: inSubnet.get(subnet.name) ?? [],
    });
  }
  const groups = new Map<string, number>();
  for (const group of model.topology.nodeGroups) groups.set(group.namePrefix, group.count);
  const { cluster } = model;
  return {
    origin: "model",
    clusterName: cluster.metadata.name,
    install: cluster.install,
    calicoVersion: cluster.calicoVersion,
    backend: cluster.backend,
    podMTU: model.podMTU,
    vxlanPort: cluster.vxlanPort,
    vxlanVNI: cluster.vxlanVNI,
    wireguard: { ...cluster.wireguard },
    pools,
    nodes,
    subnets,
    groups,
    tunnelNodes: new Map(TUNNELS.map((t) => [t, nodesWithTunnelAddress(model, t)])),
    calicoNode: files ? calicoNodeFacts(manifestObjects(files)) : undefined,
    missing: [],
    model,
  };
}

function poolFactsFromModel(model: Model, pool: Pool): PoolFacts {
  return poolFacts(pool, {
    nodes: (model.nodesByPool.get(pool.name) ?? []).map((n) => n.name),
    source: pool.source,
    file: pool.source.span.file,
  });
}

/** A pool's facts as a plan compares them; which nodes it selects and where it is written are the caller's. */
export function poolFacts(
  pool: Pool,
  where: Pick<PoolFacts, "nodes" | "source" | "file">,
): PoolFacts {
  return {
    name: pool.name,
    cidr: pool.cidr?.canonical ?? pool.cidrText,
    network: pool.cidr?.canonical,
    version: pool.cidr?.version,
    blockSize: pool.blockSize,
    ipipMode: pool.ipipMode,
    vxlanMode: pool.vxlanMode,
    disabled: pool.disabled,
    allowedUses: pool.allowedUses,
    nodeSelector: pool.nodeSelectorText,
    ...where,
  };
}

function nodeFacts(node: Node): NodeFacts {
  const subnetV6 = dualStackAddress(node)?.subnet?.name;
  return { name: node.name, group: node.group, subnet: node.subnet?.name, subnetV6 };
}

type Rec = Record<string, unknown>;

/**
 * Reconstructs the facts from a rendered tree: IPPools (or the Installation's ipPools),
 * calico-config, FelixConfiguration, calico-node's image, and the nodes that have host files.
 * Which nodes a pool selected is evaluated against `labelsFrom` (the repository's topology):
 * the rendered tree does not keep node labels.
 */
export function factsFromManifests(
  files: readonly RenderedFile[],
  labelsFrom: Model | undefined,
): NetworkFacts {
  const objects = manifestObjects(files);
  const find = (kind: string, name?: string) =>
    objects.find((o) => o.doc.kind === kind && (name === undefined || meta(o.doc).name === name));
  const missing: string[] = [];

  const installation = find("Installation");
  const calicoConfig = find("ConfigMap", "calico-config");
  const felix = find("FelixConfiguration", "default");
  const node = objects.find(
    (o) => o.doc.kind === "DaemonSet" && meta(o.doc).name === "calico-node",
  );

  const pools = new Map<string, PoolFacts>();
  // What each pool means for tunnel addresses (tunnels.ts), read off its manifest.
  const tunnelPools: (Pick<Pool, "ipipMode" | "vxlanMode" | "cidr" | "disabled" | "allowedUses"> & {
    nodeSelector: string;
  })[] = [];
  const nodeNames = hostNodes(files);
  const labelled = labelsFrom?.topology.nodes.filter(
    (n) => nodeNames === undefined || nodeNames.has(n.name),
  );
  const select = (selector: string, disabled: boolean): readonly string[] | undefined => {
    if (disabled) return [];
    if (!labelled) return undefined;
    const parsed = parseSelector(selector);
    if (!parsed.ok) return undefined;
    return labelled.filter((n) => parsed.selector.matches(n.labels)).map((n) => n.name);
  };

  if (installation) {
    const network = rec(rec(installation.doc.spec).calicoNetwork);
    for (const raw of arr(network.ipPools)) {
      const p = rec(raw);
      const name = str(p.name) ?? str(p.cidr) ?? "";
      const { ipipMode, vxlanMode } = modesFromOperator(str(p.encapsulation));
      const disabled = p.disableNewAllocations === true;
      const allowedUses = arr(p.allowedUses).filter((u): u is AllowedUse => typeof u === "string");
      tunnelPools.push({
        ipipMode,
        vxlanMode,
        cidr: parseCidr(str(p.cidr) ?? ""),
        disabled,
        allowedUses: allowedUses.length ? allowedUses : ["Workload", "Tunnel"],
        nodeSelector: str(p.nodeSelector) ?? "all()",
      });
      pools.set(name, {
        ...poolBasics(name, str(p.cidr) ?? "", num(p.blockSize)),
        ipipMode,
        vxlanMode,
        disabled,
        allowedUses: allowedUses.length ? allowedUses : ["Workload", "Tunnel"],
        nodeSelector: str(p.nodeSelector) ?? "all()",
        nodes: select(str(p.nodeSelector) ?? "all()", disabled),
        source: undefined,
        file: installation.file,
      });
    }
  } else {
    for (const o of objects.filter((x) => x.doc.kind === "IPPool")) {
      const spec = rec(o.doc.spec);
      const name = meta(o.doc).name ?? "";
      const disabled = spec.disabled === true;
      const allowedUses = arr(spec.allowedUses).filter(
        (u): u is AllowedUse => typeof u === "string",
      );
      tunnelPools.push({
        ipipMode: encap(spec.ipipMode),
        vxlanMode: encap(spec.vxlanMode),
        cidr: parseCidr(str(spec.cidr) ?? ""),
        disabled,
        allowedUses: allowedUses.length ? allowedUses : ["Workload", "Tunnel"],
        nodeSelector: str(spec.nodeSelector) ?? "all()",
      });
      pools.set(name, {
        ...poolBasics(name, str(spec.cidr) ?? "", num(spec.blockSize)),
        ipipMode: encap(spec.ipipMode),
        vxlanMode: encap(spec.vxlanMode),
        disabled,
        allowedUses: allowedUses.length ? allowedUses : ["Workload", "Tunnel"],
        nodeSelector: str(spec.nodeSelector) ?? "all()",
        nodes: select(str(spec.nodeSelector) ?? "all()", disabled),
        source: undefined,
        file: o.file,
      });
    }
  }

  let backend: Backend | undefined;
  let podMTU: number | undefined;
  if (calicoConfig) {
    const data = rec(calicoConfig.doc.data);
    backend = asBackend(str(data.calico_backend));
    podMTU = intText(data.veth_mtu);
  } else if (installation) {
    const network = rec(rec(installation.doc.spec).calicoNetwork);
    podMTU = num(network.mtu);
    // Disabled pools count, as in the model (resolve.ts deriveBackend).
    const anyVxlan = [...pools.values()].some((p) => p.vxlanMode !== "Never");
    backend = network.bgp === "Enabled" ? "bird" : anyVxlan ? "vxlan" : "none";
  }
  if (backend === undefined) missing.push("the networking backend");
  if (podMTU === undefined) missing.push("the workload MTU");

  const felixSpec = rec(felix?.doc.spec);
  const vxlanPort = num(felixSpec.vxlanPort);
  const vxlanVNI = num(felixSpec.vxlanVNI);
  // Felix's default for both is off (felix/config/config_params.go:170-171).
  const wireguard = felix
    ? { ipv4: felixSpec.wireguardEnabled === true, ipv6: felixSpec.wireguardEnabledV6 === true }
    : undefined;
  if (!felix) missing.push("the VXLAN port and VNI (no FelixConfiguration)");

  const image = node ? calicoNodeImage(node.doc) : undefined;
  const calicoVersion = image?.match(/:(v\d+\.\d+\.\d+)$/)?.[1];

  let nodes: Map<string, NodeFacts> | undefined;
  if (nodeNames) {
    nodes = new Map();
    const byName = new Map(labelsFrom?.topology.nodes.map((n) => [n.name, n]) ?? []);
    const prefixes = labelsFrom?.topology.nodeGroups.map((g) => g.namePrefix) ?? [];
    for (const name of nodeNames) {
      const known = byName.get(name);
      const group =
        known?.group ??
        prefixes.find((p) => name.startsWith(p) && /^\d+$/.test(name.slice(p.length)));
      nodes.set(name, { name, group, subnet: undefined });
    }
  } else {
    missing.push("the node list (the rendered tree has no host files)");
  }
  if (labelsFrom && pools.size > 0) {
    missing.push("node labels (pool membership is evaluated with the repository's labels)");
  }
  missing.push("subnet MTUs");

  let tunnelNodes: Map<TunnelEncapsulation, ReadonlySet<string>> | undefined;
  if (labelled) {
    tunnelNodes = new Map();
    for (const tunnel of TUNNELS) {
      const names = new Set<string>();
      for (const p of tunnelPools) {
        if (!givesTunnelAddress(p, tunnel)) continue;
        for (const n of select(p.nodeSelector, false) ?? []) names.add(n);
      }
      tunnelNodes.set(tunnel, names);
    }
  }

  return {
    origin: "manifests",
    clusterName: undefined,
    install: installation ? "operator" : objects.length ? "manifest" : undefined,
    calicoVersion,
    backend,
    podMTU,
    vxlanPort,
    vxlanVNI,
    wireguard,
    pools,
    nodes,
    subnets: undefined,
    groups: undefined,
    tunnelNodes,
    calicoNode: calicoNodeFacts(objects),
    missing,
    model: undefined,
  };
}

/** Every object of the rendered manifests, with the file it is in. */
function manifestObjects(files: readonly RenderedFile[]): { file: string; doc: Rec }[] {
  const objects: { file: string; doc: Rec }[] = [];
  for (const file of files) {
    if (!file.path.startsWith("manifests/") || !/\.ya?ml$/.test(file.path)) continue;
    const { docs } = parseRenderedYaml(file.content);
    for (const doc of docs) if (isRec(doc)) objects.push({ file: file.path, doc });
  }
  return objects;
}

/** calico-node's pod template and the calico-config it reads, from the rendered objects. */
function calicoNodeFacts(objects: readonly { doc: Rec }[]): CalicoNodeFacts | undefined {
  const named = (kind: string, name: string) =>
    objects.find((o) => o.doc.kind === kind && meta(o.doc).name === name)?.doc;
  const daemonSet = named("DaemonSet", "calico-node");
  if (!daemonSet) return undefined;
  const config = named("ConfigMap", "calico-config");
  const data = rec(config?.data);
  return {
    template: sortedJson(rec(daemonSet.spec).template),
    config: config
      ? new Map(
          Object.keys(data)
            .sort()
            .map((k) => [k, String(data[k])]),
        )
      : undefined,
  };
}

/** JSON with every object's keys sorted: equal for equal objects whatever their key order. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRec(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

/** Nodes with a folder under hosts/, or undefined when the tree has no host files. */
function hostNodes(files: readonly RenderedFile[]): Set<string> | undefined {
  const names = new Set<string>();
  for (const f of files) {
    const node = /^hosts\/([^/]+)\//.exec(f.path)?.[1];
    if (node) names.add(node);
  }
  return names.size ? names : undefined;
}

function poolBasics(
  name: string,
  cidr: string,
  blockSize: number | undefined,
): Pick<PoolFacts, "name" | "cidr" | "network" | "version" | "blockSize"> {
  const parsed = parseCidr(cidr);
  return {
    name,
    cidr,
    network: parsed?.canonical,
    version: parsed?.version,
    blockSize: blockSize ?? (parsed?.version === 6 ? 122 : 26),
  };
}

/** operator.tigera.io/v1 encapsulation -> the IPPool's two modes. */
export function modesFromOperator(value: string | undefined): {
  ipipMode: EncapMode;
  vxlanMode: EncapMode;
} {
  switch (value) {
    case "IPIP":
      return { ipipMode: "Always", vxlanMode: "Never" };
    case "IPIPCrossSubnet":
      return { ipipMode: "CrossSubnet", vxlanMode: "Never" };
    case "VXLAN":
      return { ipipMode: "Never", vxlanMode: "Always" };
    case "VXLANCrossSubnet":
      return { ipipMode: "Never", vxlanMode: "CrossSubnet" };
    default:
      return { ipipMode: "Never", vxlanMode: "Never" };
  }
}

function calicoNodeImage(daemonSet: Rec): string | undefined {
  const podSpec = rec(rec(rec(daemonSet.spec).template).spec);
  const container = arr(podSpec.containers)
    .map(rec)
    .find((c) => c.name === "calico-node");
  return str(container?.image);
}

function encap(value: unknown): EncapMode {
  return value === "Always" || value === "CrossSubnet" ? value : "Never";
}
function asBackend(value: string | undefined): Backend | undefined {
  return value === "bird" || value === "vxlan" || value === "none" ? value : undefined;
}
function meta(doc: Rec): { name: string | undefined; namespace: string | undefined } {
  const m = rec(doc.metadata);
  return { name: str(m.name), namespace: str(m.namespace) };
}
function isRec(value: unknown): value is Rec {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
function rec(value: unknown): Rec {
  return isRec(value) ? value : {};
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
function intText(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : undefined;
}
