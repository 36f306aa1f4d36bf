/**
 * Calico manifests (install: manifest) and the data every Calico template shares. All
 * decisions — defaults, ordering, MTUs — are made here; templates only loop and branch.
 */
import { createHash } from "node:crypto";
import { felixDisablesSrcDstCheck } from "../model/aws.js";
import { calicoNodeFamilies } from "../model/families.js";
import { encapsulationName } from "../model/facts.js";
import type { Model, Pool } from "../model/types.js";
import { must } from "../util/must.js";
import { renderTemplate } from "./engine.js";
import type { RenderedFile } from "./types.js";

export const MANAGED_BY = { key: "app.kubernetes.io/managed-by", value: "netcompile" } as const;
/** The Typha Service calico-node connects to (calico-typha.yaml). */
export const TYPHA_SERVICE_NAME = "calico-typha";

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

export interface PoolContext {
  readonly name: string;
  readonly labels: readonly KeyValue[];
  readonly annotations: readonly KeyValue[];
  readonly cidr: string;
  readonly version: 4 | 6;
  readonly blockSize: number;
  readonly ipipMode: string;
  readonly vxlanMode: string;
  readonly natOutgoing: boolean;
  readonly disabled: boolean;
  readonly disableBGPExport: boolean;
  readonly nodeSelector: string;
  readonly namespaceSelector: string | undefined;
  readonly allowedUses: readonly string[];
  readonly assignmentMode: string;
  /** operator.tigera.io/v1 encapsulation enum: IPIP, IPIPCrossSubnet, VXLAN, VXLANCrossSubnet, None. */
  readonly operatorEncapsulation: string;
  /** operator.tigera.io/v1 natOutgoing enum. */
  readonly operatorNATOutgoing: "Enabled" | "Disabled";
}

export interface CalicoContext {
  readonly calicoVersion: string;
  readonly images: { readonly cni: string; readonly node: string };
  readonly backend: "bird" | "vxlan" | "none";
  /** CLUSTER_TYPE: "k8s,bgp" when BIRD runs. */
  readonly clusterType: string;
  /** veth_mtu / CNI_MTU and the tunnel MTUs Felix uses. */
  readonly vethMTU: number;
  /**
   * Tunnel MTUs: all equal to the veth MTU, as Calico's own installs set them (calico-node's
   * FELIX_*MTU env vars read veth_mtu, and env vars override FelixConfiguration, so any other
   * value here would be a FelixConfiguration field that never takes effect).
   */
  readonly ipipMTU: number;
  readonly vxlanMTU: number;
  readonly vxlanMTUV6: number;
  /** IP_AUTODETECTION_METHOD pinned to the topology's subnets, e.g. "cidr=10.0.0.0/24,10.0.1.0/24". */
  readonly ipAutodetectionMethod: string;
  readonly ipv6AutodetectionMethod: string | undefined;
  readonly ipv4: boolean;
  readonly ipv6: boolean;
  /** CALICO_ROUTER_ID: "hash" when BIRD runs without IPv4 (no IPv4 address to take a router ID from). */
  readonly calicoRouterID: string | undefined;
  /** Installation nodeAddressAutodetectionV4/V6 `cidrs`: the topology's subnets (none: firstFound). */
  readonly nodeAddressCIDRsV4: readonly string[];
  readonly nodeAddressCIDRsV6: readonly string[];
  /** Installation calicoNetwork.bgp. */
  readonly operatorBGP: "Enabled" | "Disabled";
  /** BIRD liveness/readiness flags: only when BIRD runs. */
  readonly birdProbes: boolean;
  readonly bgpEnabled: boolean;
  readonly ipipEnabled: boolean;
  readonly vxlanEnabled: boolean;
  readonly vxlanV6Enabled: boolean;
  readonly vxlanPort: number;
  readonly vxlanVNI: number;
  /** FelixConfiguration wireguardEnabled / wireguardEnabledV6: written only when either is on. */
  readonly wireguard: boolean;
  readonly wireguardEnabled: boolean;
  readonly wireguardEnabledV6: boolean;
  /** FelixConfiguration awsSrcDstCheck: Disable on AWS when a pool sends unencapsulated and the Cluster has not said the check is off. */
  readonly awsSrcDstCheck: string | undefined;
  readonly managedBy: KeyValue;
  readonly pools: readonly PoolContext[];
  /** veth_mtu as the ConfigMap string. */
  readonly vethMTUText: string;
  /** The CNI network configuration (JSON text) calico-config carries, as upstream's. */
  readonly cniNetworkConfig: string;
  /** Typha runs (typha.ts): calico-config names its Service and calico-node reads the name. */
  readonly typha: boolean;
  /** calico-config typha_service_name when Typha runs (otherwise "none", as upstream's calico.yaml). */
  readonly typhaServiceName: string;
}

/**
 * The annotation on calico-node's pod template that holds the SHA-256 of the rendered
 * calico-config: calico-node reads its values (veth_mtu, calico_backend, …) only when it starts,
 * so a change to them must change the pod template, which rolls the DaemonSet (as Helm charts do).
 */
export const CONFIG_HASH_ANNOTATION = "netcompile.dev/config-hash";

export function calicoContext(model: Model): CalicoContext {
  const { cluster } = model;
  const pools = [...model.pools]
    .filter((p) => p.cidr !== undefined)
    .sort((a, b) => compare(a.name, b.name));
  const subnetCIDRs = model.topology.subnets.flatMap((s) => (s.cidr ? [s.cidr] : []));
  const v4Subnets = [
    ...new Set(subnetCIDRs.filter((c) => c.version === 4).map((c) => c.canonical)),
  ];
  const v6Subnets = [
    ...new Set(subnetCIDRs.filter((c) => c.version === 6).map((c) => c.canonical)),
  ];
  const { ipv4, ipv6 } = calicoNodeFamilies(model.pools);
  const bird = cluster.backend === "bird";
  return {
    calicoVersion: cluster.calicoVersion,
    images: {
      cni: `quay.io/calico/cni:${cluster.calicoVersion}`,
      node: `quay.io/calico/node:${cluster.calicoVersion}`,
    },
    backend: cluster.backend,
    clusterType: bird ? "k8s,bgp" : "k8s",
    vethMTU: model.podMTU,
    ipipMTU: model.podMTU,
    vxlanMTU: model.podMTU,
    vxlanMTUV6: model.podMTU,
    ipAutodetectionMethod: v4Subnets.length ? `cidr=${v4Subnets.join(",")}` : "first-found",
    ipv6AutodetectionMethod: ipv6 && v6Subnets.length ? `cidr=${v6Subnets.join(",")}` : undefined,
    ipv4,
    ipv6,
    calicoRouterID: bird && !ipv4 ? "hash" : undefined,
    nodeAddressCIDRsV4: v4Subnets,
    nodeAddressCIDRsV6: v6Subnets,
    operatorBGP: bird ? "Enabled" : "Disabled",
    birdProbes: bird,
    bgpEnabled: bird,
    ipipEnabled: model.encapsulations.has("ipip"),
    vxlanEnabled: model.encapsulations.has("vxlan"),
    vxlanV6Enabled: model.encapsulations.has("vxlan-v6"),
    vxlanPort: cluster.vxlanPort,
    vxlanVNI: cluster.vxlanVNI,
    wireguard: cluster.wireguard.ipv4 || cluster.wireguard.ipv6,
    wireguardEnabled: cluster.wireguard.ipv4,
    wireguardEnabledV6: cluster.wireguard.ipv6,
    awsSrcDstCheck: felixDisablesSrcDstCheck(model) ? "Disable" : undefined,
    managedBy: MANAGED_BY,
    pools: pools.map(poolContext),
    vethMTUText: String(model.podMTU),
    cniNetworkConfig: cniNetworkConfig(ipv4, ipv6),
    typha: model.typha.enabled,
    typhaServiceName: TYPHA_SERVICE_NAME,
  };
}

/**
 * The CNI configuration calico-node's install-cni writes on every host. `__CNI_MTU__` and the
 * other `__X__` markers are filled in by install-cni itself, exactly as upstream ships it.
 */
function cniNetworkConfig(ipv4: boolean, ipv6: boolean): string {
  // Calico IPAM assigns IPv4 only unless told otherwise; IPv6 pools need assign_ipv6.
  const ipam = ipv6
    ? { type: "calico-ipam", assign_ipv4: String(ipv4), assign_ipv6: "true" }
    : { type: "calico-ipam" };
  const config = {
    name: "k8s-pod-network",
    cniVersion: "1.0.0",
    plugins: [
      {
        type: "calico",
        log_level: "info",
        log_file_path: "/var/log/calico/cni/cni.log",
        datastore_type: "kubernetes",
        nodename: "__KUBERNETES_NODE_NAME__",
        mtu: 0,
        ipam,
        policy: { type: "k8s" },
        kubernetes: { kubeconfig: "__KUBECONFIG_FILEPATH__" },
      },
      { type: "portmap", snat: true, capabilities: { portMappings: true } },
    ],
  };
  // install-cni substitutes the bare marker with CNI_MTU (from veth_mtu), as upstream ships it.
  return JSON.stringify(config, null, 2).replace('"mtu": 0', '"mtu": __CNI_MTU__');
}

function poolContext(pool: Pool): PoolContext {
  const cidr = must(pool.cidr, `IPPool ${pool.name}'s cidr`);
  return {
    name: pool.name,
    labels: entries(pool.metadata.labels).filter((l) => l.key !== MANAGED_BY.key),
    annotations: entries(pool.metadata.annotations).filter(
      (a) => !a.key.startsWith("netcompile.dev/"),
    ),
    cidr: cidr.canonical,
    version: cidr.version,
    blockSize: pool.blockSize,
    ipipMode: pool.ipipMode,
    vxlanMode: pool.vxlanMode,
    natOutgoing: pool.natOutgoing,
    disabled: pool.disabled,
    disableBGPExport: pool.disableBGPExport,
    nodeSelector: pool.nodeSelectorText,
    namespaceSelector: pool.namespaceSelectorText,
    // As written (Calico keeps the order; its default is [Workload, Tunnel]): no drift in Argo CD.
    allowedUses: [...pool.allowedUses],
    assignmentMode: pool.assignmentMode,
    // The operator's enum is the word reviewers read in plans too (model/facts.ts).
    operatorEncapsulation: encapsulationName(pool),
    operatorNATOutgoing: pool.natOutgoing ? "Enabled" : "Disabled",
  };
}

function entries(record: Readonly<Record<string, string>>): KeyValue[] {
  return Object.entries(record)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function renderCalicoManifests(model: Model): RenderedFile[] {
  const context = calicoContext(model);
  const files: RenderedFile[] = [
    {
      path: "manifests/felixconfiguration.yaml",
      content: renderTemplate("felixconfiguration.yaml", context),
    },
  ];
  // With install: operator the operator runs calico-node and creates and reconciles the pools in
  // Installation.calicoNetwork.ipPools (operator.ts): IPPool objects beside it would give each
  // pool two owners.
  if (model.cluster.install === "manifest") {
    const calicoConfig = renderTemplate("calico-config.yaml", context);
    const configHash = {
      key: CONFIG_HASH_ANNOTATION,
      value: createHash("sha256").update(calicoConfig, "utf8").digest("hex"),
    };
    files.push(
      { path: "manifests/ippools.yaml", content: renderTemplate("ippools.yaml", context) },
      { path: "manifests/calico-config.yaml", content: calicoConfig },
      {
        path: "manifests/calico-node.yaml",
        content: renderTemplate("calico-node.yaml", { ...context, configHash }),
      },
    );
  }
  return files.sort((a, b) => compare(a.path, b.path));
}
