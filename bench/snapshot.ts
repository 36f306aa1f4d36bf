/**
 * Live cluster snapshots as the standard clients print them, for the benchmark, the worked
 * example (fixtures/examples/live/) and tests: `kubectl get nodes -o json` (a v1 List, keys
 * sorted, four-space indent), `calicoctl get nodes -o yaml` (a projectcalico.org/v3 NodeList),
 * IPPools and BlockAffinities as `kubectl get ... -o yaml` prints the crd.projectcalico.org/v1
 * objects, and the calico-config ConfigMap. Nodes carry what a kubelet and calico-node write:
 * labels (zone, region, instance type), status.addresses, spec.podCIDR(s), conditions, images,
 * managedFields, and Calico's annotations (libcalico-go/lib/backend/k8s/resources/node.go in
 * Calico v3.31.7: projectcalico.org/IPv4Address, IPv6Address, IPv4IPIPTunnelAddr,
 * IPv4VXLANTunnelAddr, IPv6VXLANTunnelAddr; no VXLANTunnelMACAddr, which only Windows nodes and
 * the flannel migration write). Everything is derived from the inputs: the same spec always
 * gives the same bytes (no clock, no randomness).
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";

export interface SnapshotAddress {
  /** The node's address, e.g. 10.20.1.11. */
  readonly address: string;
  /** The prefix length calico-node detected on the interface (the /NN of IPv4Address). */
  readonly prefix: number;
}

export interface SnapshotNode {
  readonly name: string;
  readonly zone: string;
  readonly v4?: SnapshotAddress;
  readonly v6?: SnapshotAddress;
  /** Labels besides the ones every kubelet sets. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly podCIDRs?: readonly string[];
  /** Tunnel addresses calico-node allocated (annotations). */
  readonly ipipTunnel?: string;
  readonly vxlanTunnel?: string;
  readonly vxlanTunnelV6?: string;
  /** Blocks of pool addresses the node holds (BlockAffinity objects). */
  readonly blocks?: readonly string[];
  /** True: calico-node never ran on it (no projectcalico.org annotations). */
  readonly noCalico?: boolean;
  readonly role?: "control-plane" | "worker";
  readonly instanceType?: string;
}

export interface SnapshotPool {
  readonly name: string;
  readonly cidr: string;
  readonly ipipMode?: string;
  readonly vxlanMode?: string;
  readonly natOutgoing?: boolean;
  readonly blockSize?: number;
  readonly nodeSelector?: string;
  readonly disabled?: boolean;
}

export interface SnapshotSpec {
  /** Kubernetes providerID scheme of the nodes: aws, gce, azure, openstack, or none. */
  readonly provider: "aws" | "gce" | "azure" | "openstack" | "none";
  readonly region: string;
  readonly nodes: readonly SnapshotNode[];
  readonly pools: readonly SnapshotPool[];
  /** calico-config data. */
  readonly vethMTU: string;
  readonly backend: "bird" | "vxlan" | "none";
  readonly kubeletVersion?: string;
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** A deterministic value in [0, 1) for a seed string. */
function unit(seed: string): number {
  return createHash("sha256").update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

/** A UUID-shaped identifier derived from `seed` (what uid fields hold). */
export function uid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An RFC 3339 time some whole seconds after a fixed epoch (no clock is read). */
function timestamp(seconds: number): string {
  return new Date(Date.UTC(2025, 0, 14, 9, 0, 0) + seconds * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z");
}

const RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Base32 (RFC 4648) without padding, as Go's base32.StdEncoding.WithPadding(NoPadding). */
function base32(bytes: Buffer): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += RFC4648[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += RFC4648[(value << (5 - bits)) & 31];
  return out;
}

/** Calico's BlockAffinity label: base32 of SHA3-256 of the node name (model/block_affinity.go). */
function hostnameHash(node: string): string {
  return base32(createHash("sha3-256").update(node).digest());
}

const IMAGES: readonly [string, number][] = [
  ["docker.io/calico/node:v3.31.7", 158_342_511],
  ["docker.io/calico/cni:v3.31.7", 94_112_305],
  ["docker.io/calico/kube-controllers:v3.31.7", 35_880_120],
  ["registry.k8s.io/kube-proxy:v1.31.4", 30_230_147],
  ["registry.k8s.io/coredns/coredns:v1.11.3", 18_562_039],
  ["registry.k8s.io/pause:3.10", 320_368],
  ["registry.k8s.io/metrics-server/metrics-server:v0.7.2", 19_494_617],
  ["registry.k8s.io/ingress-nginx/controller:v1.11.3", 105_813_451],
  ["quay.io/prometheus/node-exporter:v1.8.2", 11_960_425],
  ["quay.io/prometheus/prometheus:v2.55.1", 118_101_217],
  ["docker.io/grafana/grafana:11.3.1", 135_007_322],
  ["docker.io/library/nginx:1.27.3", 72_955_450],
  ["docker.io/library/redis:7.4.1", 45_120_713],
  ["docker.io/library/postgres:16.6", 155_337_980],
  ["ghcr.io/fluxcd/source-controller:v1.4.1", 37_443_024],
  ["quay.io/jetstack/cert-manager-controller:v1.16.2", 21_770_129],
];

function images(node: string): Json[] {
  // Each node has pulled a different subset, as real nodes have.
  return IMAGES.filter(([name], i) => i < 6 || unit(`${node}/${name}`) < 0.6).map(
    ([name, size]) => {
      const repo = name.slice(0, name.lastIndexOf(":"));
      const digest = createHash("sha256").update(name).digest("hex");
      return { names: [`${repo}@sha256:${digest}`, name], sizeBytes: size };
    },
  );
}

function conditions(i: number, calico: boolean): Json[] {
  const t = timestamp(60 * i + 40);
  const heartbeat = timestamp(86_400 * 30 + i);
  const kubelet = (type: string, status: string, reason: string, message: string): Json => ({
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: t,
    message,
    reason,
    status,
    type,
  });
  return [
    ...(calico
      ? [
          {
            lastHeartbeatTime: timestamp(60 * i + 55),
            lastTransitionTime: timestamp(60 * i + 55),
            message: "Calico is running on this node",
            reason: "CalicoIsUp",
            status: "False",
            type: "NetworkUnavailable",
          },
        ]
      : []),
    kubelet(
      "MemoryPressure",
      "False",
      "KubeletHasSufficientMemory",
      "kubelet has sufficient memory available",
    ),
    kubelet("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    kubelet(
      "PIDPressure",
      "False",
      "KubeletHasSufficientPID",
      "kubelet has sufficient PID available",
    ),
    kubelet("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
  ];
}

function providerID(spec: SnapshotSpec, node: SnapshotNode): string | undefined {
  const id = createHash("sha256").update(node.name).digest("hex");
  switch (spec.provider) {
    case "aws":
      return `aws:///${node.zone}/i-0${id.slice(0, 16)}`;
    case "gce":
      return `gce://prod-project/${node.zone}/${node.name}`;
    case "azure":
      return `azure:///subscriptions/${uid("sub")}/resourceGroups/prod/providers/Microsoft.Compute/virtualMachines/${node.name}`;
    case "openstack":
      return `openstack:///${uid(node.name)}`;
    case "none":
      return undefined;
  }
}

/** The labels a kubelet (and the cloud controller) puts on a node. */
function nodeLabels(spec: SnapshotSpec, node: SnapshotNode): Record<string, string> {
  const type = node.instanceType ?? "m6i.xlarge";
  return {
    "beta.kubernetes.io/arch": "amd64",
    "beta.kubernetes.io/instance-type": type,
    "beta.kubernetes.io/os": "linux",
    "failure-domain.beta.kubernetes.io/region": spec.region,
    "failure-domain.beta.kubernetes.io/zone": node.zone,
    "kubernetes.io/arch": "amd64",
    "kubernetes.io/hostname": node.name,
    "kubernetes.io/os": "linux",
    "node.kubernetes.io/instance-type": type,
    "topology.kubernetes.io/region": spec.region,
    "topology.kubernetes.io/zone": node.zone,
    ...(node.role === "control-plane"
      ? { "node-role.kubernetes.io/control-plane": "" }
      : { "node-role.kubernetes.io/worker": "" }),
    ...node.labels,
  };
}

/** Calico's annotations on the Kubernetes Node (resources/node.go, mergeCalicoNodeIntoK8sNode). */
function calicoAnnotations(node: SnapshotNode): Record<string, string> {
  if (node.noCalico) return {};
  const out: Record<string, string> = {};
  if (node.v4) out["projectcalico.org/IPv4Address"] = `${node.v4.address}/${node.v4.prefix}`;
  if (node.ipipTunnel) out["projectcalico.org/IPv4IPIPTunnelAddr"] = node.ipipTunnel;
  if (node.vxlanTunnel) out["projectcalico.org/IPv4VXLANTunnelAddr"] = node.vxlanTunnel;
  if (node.v6) out["projectcalico.org/IPv6Address"] = `${node.v6.address}/${node.v6.prefix}`;
  if (node.vxlanTunnelV6) out["projectcalico.org/IPv6VXLANTunnelAddr"] = node.vxlanTunnelV6;
  return out;
}

/** A v1 Node as `kubectl get node NAME -o json` prints it. */
export function kubeNode(spec: SnapshotSpec, node: SnapshotNode, i: number): Json {
  const created = timestamp(60 * i);
  const internal = [node.v4?.address, node.v6?.address].filter((a): a is string => !!a);
  const provider = providerID(spec, node);
  const labels = nodeLabels(spec, node);
  const pods = node.podCIDRs ?? [];
  const version = spec.kubeletVersion ?? "v1.31.4";
  const calicoKeys = Object.keys(calicoAnnotations(node)).sort();
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      annotations: {
        "alpha.kubernetes.io/provided-node-ip": internal.join(","),
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        ...calicoAnnotations(node),
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
      creationTimestamp: created,
      labels,
      managedFields: [
        {
          apiVersion: "v1",
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": {
              "f:annotations": {
                ".": {},
                "f:alpha.kubernetes.io/provided-node-ip": {},
                "f:volumes.kubernetes.io/controller-managed-attach-detach": {},
              },
              "f:labels": fieldSet([
                ".",
                ...Object.keys(labels)
                  .filter((k) => !k.startsWith("node-role") && !k.includes("topology"))
                  .map((k) => `f:${k}`),
              ]),
            },
            ...(provider ? { "f:spec": { "f:providerID": {} } } : {}),
          },
          manager: "kubelet",
          operation: "Update",
          time: created,
        },
        {
          apiVersion: "v1",
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:metadata": { "f:annotations": { "f:node.alpha.kubernetes.io/ttl": {} } },
            ...(pods.length
              ? {
                  "f:spec": {
                    "f:podCIDR": {},
                    "f:podCIDRs": fieldSet([".", ...pods.map((c) => `v:"${c}"`)]),
                  },
                }
              : {}),
          },
          manager: "kube-controller-manager",
          operation: "Update",
          time: timestamp(60 * i + 20),
        },
        ...(calicoKeys.length
          ? [
              {
                apiVersion: "v1",
                fieldsType: "FieldsV1",
                fieldsV1: {
                  "f:metadata": {
                    "f:annotations": Object.fromEntries(calicoKeys.map((k) => [`f:${k}`, {}])),
                  },
                  "f:status": {
                    "f:conditions": {
                      'k:{"type":"NetworkUnavailable"}': { ".": {}, "f:type": {} },
                    },
                  },
                },
                manager: "calico-node",
                operation: "Update",
                subresource: "status",
                time: timestamp(60 * i + 55),
              },
            ]
          : []),
        {
          apiVersion: "v1",
          fieldsType: "FieldsV1",
          fieldsV1: {
            "f:status": {
              "f:conditions": {
                'k:{"type":"Ready"}': {
                  "f:lastHeartbeatTime": {},
                  "f:lastTransitionTime": {},
                  "f:message": {},
                  "f:reason": {},
                  "f:status": {},
                },
              },
              "f:images": {},
              "f:nodeInfo": { "f:bootID": {} },
            },
          },
          manager: "kubelet",
          operation: "Update",
          subresource: "status",
          time: timestamp(86_400 * 30 + i),
        },
      ],
      name: node.name,
      resourceVersion: String(1_000_000 + 7919 * i),
      uid: uid(`node/${node.name}`),
    },
    spec: {
      ...(pods.length ? { podCIDR: pods[0]!, podCIDRs: pods } : {}),
      ...(provider ? { providerID: provider } : {}),
      ...(node.role === "control-plane"
        ? { taints: [{ effect: "NoSchedule", key: "node-role.kubernetes.io/control-plane" }] }
        : {}),
    },
    status: {
      addresses: [
        ...internal.map((address) => ({ address, type: "InternalIP" })),
        { address: node.name, type: "Hostname" },
      ],
      allocatable: {
        cpu: "3920m",
        "ephemeral-storage": "95491281146",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        memory: "15508044Ki",
        pods: "110",
      },
      capacity: {
        cpu: "4",
        "ephemeral-storage": "103609340Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        memory: "16146508Ki",
        pods: "110",
      },
      conditions: conditions(i, !node.noCalico),
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: images(node.name),
      nodeInfo: {
        architecture: "amd64",
        bootID: uid(`boot/${node.name}`),
        containerRuntimeVersion: "containerd://1.7.24",
        kernelVersion: "6.8.0-1019",
        kubeProxyVersion: version,
        kubeletVersion: version,
        machineID: createHash("sha256").update(node.name).digest("hex").slice(0, 32),
        operatingSystem: "linux",
        osImage: "Ubuntu 24.04.1 LTS",
        systemUUID: uid(`system/${node.name}`),
      },
    },
  };
}

/** A Calico Node as `calicoctl get node NAME -o yaml` prints it (resources/node.go, K8sNodeToCalico). */
export function calicoNode(spec: SnapshotSpec, node: SnapshotNode, i: number): Json {
  const labels = nodeLabels(spec, node);
  const sortedLabels = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => cmp(a, b)));
  const bgp: Record<string, Json> = {};
  if (node.v4) bgp.ipv4Address = `${node.v4.address}/${node.v4.prefix}`;
  if (node.ipipTunnel) bgp.ipv4IPIPTunnelAddr = node.ipipTunnel;
  if (node.v6) bgp.ipv6Address = `${node.v6.address}/${node.v6.prefix}`;
  const addresses: Json[] = [];
  if (node.v4)
    addresses.push({ address: `${node.v4.address}/${node.v4.prefix}`, type: "CalicoNodeIP" });
  if (node.v6)
    addresses.push({ address: `${node.v6.address}/${node.v6.prefix}`, type: "CalicoNodeIP" });
  for (const a of [node.v4?.address, node.v6?.address])
    if (a) addresses.push({ address: a, type: "InternalIP" });
  return {
    apiVersion: "projectcalico.org/v3",
    kind: "Node",
    metadata: {
      annotations: { "projectcalico.org/kube-labels": JSON.stringify(sortedLabels) },
      creationTimestamp: timestamp(60 * i),
      labels,
      name: node.name,
      resourceVersion: String(1_000_000 + 7919 * i),
      uid: uid(`node/${node.name}`),
    },
    spec: {
      addresses,
      ...(Object.keys(bgp).length ? { bgp } : {}),
      ...(node.vxlanTunnel ? { ipv4VXLANTunnelAddr: node.vxlanTunnel } : {}),
      ...(node.vxlanTunnelV6 ? { ipv6VXLANTunnelAddr: node.vxlanTunnelV6 } : {}),
      orchRefs: [{ nodeName: node.name, orchestrator: "k8s" }],
    },
    status: node.podCIDRs?.length ? { podCIDRs: node.podCIDRs } : {},
  };
}

/** An IPPool as `kubectl get ippools.crd.projectcalico.org NAME -o yaml` prints it. */
export function crdPool(pool: SnapshotPool, i: number): Json {
  const created = timestamp(30 + i);
  const id = uid(`ippool/${pool.name}`);
  return {
    apiVersion: "crd.projectcalico.org/v1",
    kind: "IPPool",
    metadata: {
      annotations: {
        "projectcalico.org/metadata": JSON.stringify({ creationTimestamp: created, uid: id }),
      },
      creationTimestamp: created,
      generation: 1,
      name: pool.name,
      resourceVersion: String(900 + i),
      uid: uid(`crd/${pool.name}`),
    },
    spec: poolSpec(pool),
  };
}

/** An IPPool as `calicoctl get ippool NAME -o yaml` prints it. */
export function v3Pool(pool: SnapshotPool, i: number): Json {
  return {
    apiVersion: "projectcalico.org/v3",
    kind: "IPPool",
    metadata: {
      creationTimestamp: timestamp(30 + i),
      name: pool.name,
      resourceVersion: String(900 + i),
      uid: uid(`ippool/${pool.name}`),
    },
    spec: poolSpec(pool),
  };
}

/** The spec as Calico stores it, defaults filled in (clientv3/ippool.go). */
function poolSpec(pool: SnapshotPool): Json {
  const v6 = pool.cidr.includes(":");
  return {
    allowedUses: ["Workload", "Tunnel"],
    blockSize: pool.blockSize ?? (v6 ? 122 : 26),
    cidr: pool.cidr,
    ...(pool.disabled ? { disabled: true } : {}),
    ipipMode: pool.ipipMode ?? "Never",
    natOutgoing: pool.natOutgoing ?? true,
    nodeSelector: pool.nodeSelector ?? "all()",
    vxlanMode: pool.vxlanMode ?? "Never",
  };
}

/** The name Calico gives a BlockAffinity: node and CIDR (resources/ipam_affinity.go, parseKey). */
export function blockAffinityName(node: string, cidr: string): string {
  const cidrName = cidr.replace(/\./g, "-").replace(/:/g, "-").replace("/", "-");
  return `${node}-${cidrName}`;
}

/** A BlockAffinity as `kubectl get blockaffinities.crd.projectcalico.org -o yaml` prints it. */
export function blockAffinity(node: string, cidr: string, i: number): Json {
  const name = blockAffinityName(node, cidr);
  return {
    apiVersion: "crd.projectcalico.org/v1",
    kind: "BlockAffinity",
    metadata: {
      annotations: { "projectcalico.org/metadata": '{"creationTimestamp":null}' },
      creationTimestamp: timestamp(60 * i + 50),
      generation: 2,
      labels: {
        "projectcalico.org/affinity-type": "host",
        "projectcalico.org/hostname-hash": hostnameHash(node),
        "projectcalico.org/ip-version": cidr.includes(":") ? "6" : "4",
      },
      name,
      resourceVersion: String(2_000_000 + 31 * i),
      uid: uid(`affinity/${name}`),
    },
    spec: { cidr, deleted: "false", node, state: "confirmed", type: "host" },
  };
}

/** calico-config as `kubectl get configmap -n kube-system calico-config -o yaml` prints it. */
export function calicoConfig(spec: SnapshotSpec): Json {
  return {
    apiVersion: "v1",
    data: {
      calico_backend: spec.backend,
      cni_network_config:
        '{\n  "name": "k8s-pod-network",\n  "cniVersion": "1.0.0",\n  "plugins": [\n    {\n      "type": "calico",\n      "log_level": "info",\n      "datastore_type": "kubernetes",\n      "nodename": "__KUBERNETES_NODE_NAME__",\n      "mtu": __CNI_MTU__,\n      "ipam": {\n          "type": "calico-ipam"\n      },\n      "policy": {\n          "type": "k8s"\n      },\n      "kubernetes": {\n          "kubeconfig": "__KUBECONFIG_FILEPATH__"\n      }\n    },\n    {\n      "type": "portmap",\n      "snat": true,\n      "capabilities": {"portMappings": true}\n    },\n    {\n      "type": "bandwidth",\n      "capabilities": {"bandwidth": true}\n    }\n  ]\n}',
      typha_service_name: "none",
      veth_mtu: spec.vethMTU,
    },
    kind: "ConfigMap",
    metadata: {
      creationTimestamp: timestamp(10),
      name: "calico-config",
      namespace: "kube-system",
      resourceVersion: "812",
      uid: uid("configmap/calico-config"),
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Keys sorted at every level, as kubectl prints unstructured objects. */
function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const obj = value as { readonly [k: string]: Json };
    return Object.fromEntries(
      Object.keys(obj)
        .sort(cmp)
        .map((k) => [k, sortKeys(obj[k]!)]),
    );
  }
  return value;
}

/** kubectl's `-o json`: sorted keys, four spaces, a trailing newline. */
export function kubectlJson(value: Json): string {
  return `${JSON.stringify(sortKeys(value), null, 4)}\n`;
}

/** kubectl's and calicoctl's `-o yaml`: sorted keys, block sequences not indented. */
export function kubectlYaml(value: Json): string {
  // go-yaml quotes strings that YAML 1.1 would read as timestamps; kubectl's output does too.
  return stringify(sortKeys(value), { indentSeq: false, lineWidth: 0 }).replace(
    /: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/gm,
    ': "$1"',
  );
}

/** A List as `kubectl get KIND -o json|yaml` prints several objects. */
export function kubectlList(items: readonly Json[]): Json {
  return { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } };
}

/** A list as `calicoctl get KIND -o yaml` prints several objects (`NodeList`, `IPPoolList`). */
export function calicoctlList(kind: string, items: readonly Json[]): Json {
  return {
    apiVersion: "projectcalico.org/v3",
    items,
    kind: `${kind}List`,
    metadata: { resourceVersion: "4242" },
  };
}

/** The v4 address `offset` after `base` (dotted quad). */
export function ipv4Plus(base: string, offset: number): string {
  const n = base.split(".").reduce((acc, part) => acc * 256 + Number(part), 0) + offset;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Which client printed which part of a snapshot, and how it was saved. */
export interface SnapshotLayout {
  /** `kubectl get nodes -o json` in nodes.json. */
  readonly nodes: "json-list";
  /** Calico Nodes: `calicoctl get nodes -o yaml` in calico-nodes.yaml, or none. */
  readonly calicoNodes: "calicoctl-yaml" | "none";
  /** IPPools: one `kubectl get ippools.crd.projectcalico.org NAME -o yaml` file each under ippools/, or `calicoctl get ippools -o yaml` in ippools.yaml. */
  readonly pools: "crd-yaml-files" | "calicoctl-yaml";
  /** BlockAffinities: `kubectl get blockaffinities.crd.projectcalico.org -o json|yaml`. */
  readonly blocks: "json-list" | "yaml-list" | "none";
  readonly calicoConfig: boolean;
}

/** The snapshot's files: path -> content. */
export function snapshotFiles(spec: SnapshotSpec, layout: SnapshotLayout): Map<string, string> {
  const files = new Map<string, string>();
  files.set("nodes.json", kubectlJson(kubectlList(spec.nodes.map((n, i) => kubeNode(spec, n, i)))));
  if (layout.calicoNodes === "calicoctl-yaml") {
    const items = spec.nodes.filter((n) => !n.noCalico).map((n, i) => calicoNode(spec, n, i));
    files.set("calico-nodes.yaml", kubectlYaml(calicoctlList("Node", items)));
  }
  if (layout.pools === "crd-yaml-files") {
    spec.pools.forEach((p, i) => files.set(`ippools/${p.name}.yaml`, kubectlYaml(crdPool(p, i))));
  } else {
    files.set("ippools.yaml", kubectlYaml(calicoctlList("IPPool", spec.pools.map(v3Pool))));
  }
  if (layout.blocks !== "none") {
    const items: Json[] = [];
    spec.nodes.forEach((n, i) => n.blocks?.forEach((b) => items.push(blockAffinity(n.name, b, i))));
    files.set(
      layout.blocks === "json-list" ? "blockaffinities.json" : "blockaffinities.yaml",
      layout.blocks === "json-list"
        ? kubectlJson(kubectlList(items))
        : kubectlYaml(kubectlList(items)),
    );
  }
  if (layout.calicoConfig) files.set("calico-config.yaml", kubectlYaml(calicoConfig(spec)));
  return files;
}

/**
 * A large cluster for the benchmark: `nodes` nodes over S zones (one /20 subnet and one /64
 * each), dual-stack, named `<zone>-<k>` with consecutive addresses (so import makes one node
 * group per zone), one IPv4 and one IPv6 VXLAN Always pool (GCE drops unencapsulated pod
 * traffic inside a subnet: provider-drops-unencapsulated), one block of each per node.
 */
export function syntheticCluster(
  nodes: number,
  zones = Math.max(2, Math.min(64, Math.ceil(nodes / 250))),
): SnapshotSpec {
  const list: SnapshotNode[] = [];
  for (let k = 0; k < nodes; k++) {
    const z = k % zones;
    const index = Math.floor(k / zones);
    const block4 = ipv4Plus("10.128.0.0", 64 * k);
    const v6Block = `fd00:10:128:${(k >> 10).toString(16)}::${((k & 1023) * 64).toString(16)}`;
    list.push({
      name: `zone-${z}-${index + 1}`,
      zone: `zone-${z}`,
      v4: { address: ipv4Plus(`10.${16 + z}.0.0`, 10 + index), prefix: 20 },
      v6: { address: `fd00:${(16 + z).toString(16)}::${(10 + index).toString(16)}`, prefix: 64 },
      podCIDRs: [`${ipv4Plus("100.64.0.0", 256 * k)}/24`],
      vxlanTunnel: block4,
      vxlanTunnelV6: v6Block,
      blocks: [`${block4}/26`, `${v6Block}/122`],
    });
  }
  return {
    provider: "gce",
    region: "europe-west1",
    nodes: list,
    pools: [
      { name: "default-ipv4-ippool", cidr: "10.128.0.0/12", vxlanMode: "Always" },
      { name: "default-ipv6-ippool", cidr: "fd00:10:128::/48", vxlanMode: "Always" },
    ],
    vethMTU: "1390",
    backend: "vxlan",
  };
}

/**
 * The worked example (fixtures/examples/live/): an OpenStack cluster over three zones, one /24
 * and one /64 each, dual-stack; three control-plane nodes, three groups of workers and two GPU
 * nodes with their own pool; VXLAN CrossSubnet for both families; veth_mtu 1430 (1500 less
 * VXLAN over IPv6's 70 bytes).
 */
export function exampleCluster(): SnapshotSpec {
  const nodes: SnapshotNode[] = [];
  let k = 0;
  const add = (name: string, zone: number, host: number, extra: Partial<SnapshotNode> = {}) => {
    const gpu = extra.labels?.["nvidia.com/gpu.present"] === "true";
    const block4 = gpu ? ipv4Plus("10.245.0.0", 64 * k) : ipv4Plus("10.244.0.0", 64 * k);
    const block6 = `fd00:10:244:0:${(k + 1).toString(16)}::`;
    nodes.push({
      name,
      zone: `az-${zone}`,
      v4: { address: `10.20.${zone}.${host}`, prefix: 24 },
      v6: { address: `fd10:20:${zone}::${host.toString(16)}`, prefix: 64 },
      podCIDRs: [`172.30.${k}.0/24`, k ? `fd00:172:30:${k.toString(16)}::/64` : "fd00:172:30::/64"],
      vxlanTunnel: block4,
      vxlanTunnelV6: block6,
      blocks: [`${block4}/26`, `${block6}/122`],
      instanceType: "m1.xlarge",
      ...extra,
    });
    k++;
  };
  for (let z = 1; z <= 3; z++)
    add(`cp-${z}`, z, 5, { role: "control-plane", instanceType: "m1.large" });
  for (const [letter, zone, count] of [
    ["a", 1, 12],
    ["b", 2, 12],
    ["c", 3, 10],
  ] as const) {
    for (let i = 1; i <= count; i++) add(`worker-${letter}-${i}`, zone, 10 + i);
  }
  for (let i = 1; i <= 2; i++)
    add(`gpu-${i}`, 1, 100 + i, {
      labels: { "nvidia.com/gpu.present": "true" },
      instanceType: "g1.2xlarge",
    });
  return {
    provider: "openstack",
    region: "regionOne",
    nodes,
    pools: [
      {
        name: "default-ipv4-ippool",
        cidr: "10.244.0.0/16",
        vxlanMode: "CrossSubnet",
        nodeSelector: "!has(nvidia.com/gpu.present)",
      },
      {
        name: "default-ipv6-ippool",
        cidr: "fd00:10:244::/56",
        vxlanMode: "CrossSubnet",
      },
      {
        name: "gpu-ipv4",
        cidr: "10.245.0.0/20",
        vxlanMode: "CrossSubnet",
        nodeSelector: 'nvidia.com/gpu.present == "true"',
      },
    ],
    vethMTU: "1430",
    backend: "vxlan",
  };
}

/** How the worked example's snapshot is saved: every form the loader reads. */
export const EXAMPLE_LAYOUT: SnapshotLayout = {
  nodes: "json-list",
  calicoNodes: "calicoctl-yaml",
  pools: "crd-yaml-files",
  blocks: "yaml-list",
  calicoConfig: true,
};

/** A managedFields set: each field an empty object, as the API server writes it. */
function fieldSet(keys: readonly string[]): { readonly [k: string]: Json } {
  return Object.fromEntries(keys.map((k): [string, Json] => [k, {}]));
}
