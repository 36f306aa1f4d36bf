/** Defaults, in one place: netcompile's own and the ones Calico fills in for an IPPool. */
import { DEFAULT_OUTPUT_DIR } from "../load/output-folder.js";

export const CLUSTER_DEFAULTS = {
  provider: "other",
  install: "manifest",
  calicoVersion: "v3.31.7",
  vxlanPort: 4789,
  vxlanVNI: 4096,
  awsSourceDestCheck: "enabled",
  hostNetworkMode: "calico",
  hostFormats: ["netplan", "networkd"],
  outputDir: DEFAULT_OUTPUT_DIR,
  interface: "eth0",
} as const;

/** Calico's IPPool defaults (libcalico-go clientv3 ippool.go and the v3 API). */
export const POOL_DEFAULTS = {
  blockSizeV4: 26,
  blockSizeV6: 122,
  ipipMode: "Never",
  vxlanMode: "Never",
  nodeSelector: "all()",
  allowedUses: ["Workload", "Tunnel"],
  assignmentMode: "Automatic",
} as const;

/**
 * Bytes each tunnel adds to a packet: the tunnel MTU is the underlay MTU less this. WireGuard
 * is not a pool's encapsulation but a tunnel all the same (felix/dataplane/linux/
 * int_dataplane.go:420-424).
 */
export const ENCAP_OVERHEAD = {
  ipip: 20,
  vxlan: 50,
  "vxlan-v6": 70,
  wireguard: 60,
  "wireguard-v6": 80,
} as const;

/** Felix's WireGuard defaults (felix/config/config_params.go:170-176). */
export const WIREGUARD = {
  port: 51820,
  portV6: 51821,
  device: "wireguard.cali",
  deviceV6: "wg-v6.cali",
  routingRulePriority: 99,
} as const;

/** Labels every node carries as Kubernetes (and so Calico) sees it. */
export const HOSTNAME_LABEL = "kubernetes.io/hostname";
export const ZONE_LABEL = "topology.kubernetes.io/zone";
