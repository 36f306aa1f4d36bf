/**
 * The kinds a live snapshot may hold: what `kubectl get … -o json|yaml` and
 * `calicoctl get … -o yaml` print. Anything else is reported as ignored, never dropped silently.
 *
 * | kind here     | apiVersion / kind                                        | printed by                                        |
 * |---------------|----------------------------------------------------------|---------------------------------------------------|
 * | Node          | v1 Node                                                  | kubectl get nodes -o json                         |
 * | CalicoNode    | projectcalico.org/v3 Node, crd.projectcalico.org/v1 Node | calicoctl get nodes -o yaml                       |
 * | IPPool        | projectcalico.org/v3 IPPool, crd.projectcalico.org/v1 IPPool | calicoctl get ippools / kubectl get ippools.crd… |
 * | BlockAffinity | crd.projectcalico.org/v1 BlockAffinity, projectcalico.org/v3 BlockAffinity | kubectl get blockaffinities.crd… |
 * | CalicoConfig  | v1 ConfigMap named calico-config                         | kubectl get configmap -n kube-system calico-config |
 *
 * Lists (`List`, and `<Kind>List` as calicoctl prints them) are read item by item.
 */
import { must } from "../util/must.js";
export type LiveKind = "Node" | "CalicoNode" | "IPPool" | "BlockAffinity" | "CalicoConfig";

export const LIVE_KINDS: readonly {
  readonly kind: LiveKind;
  readonly apiVersions: readonly string[];
  /** The object's `kind` field. */
  readonly objectKind: string;
  /** How a summary names it. */
  readonly title: string;
}[] = [
  { kind: "Node", apiVersions: ["v1"], objectKind: "Node", title: "Node" },
  {
    kind: "CalicoNode",
    apiVersions: ["projectcalico.org/v3", "crd.projectcalico.org/v1"],
    objectKind: "Node",
    title: "Calico Node",
  },
  {
    kind: "IPPool",
    apiVersions: ["projectcalico.org/v3", "crd.projectcalico.org/v1"],
    objectKind: "IPPool",
    title: "IPPool",
  },
  {
    kind: "BlockAffinity",
    apiVersions: ["crd.projectcalico.org/v1", "projectcalico.org/v3"],
    objectKind: "BlockAffinity",
    title: "BlockAffinity",
  },
  {
    kind: "CalicoConfig",
    apiVersions: ["v1"],
    objectKind: "ConfigMap",
    title: "ConfigMap calico-config",
  },
];

/** The calico-config ConfigMap's name (Calico's manifest install, calico.yaml). */
export const CALICO_CONFIG_NAME = "calico-config";

export function lookupLiveKind(
  apiVersion: string,
  kind: string,
  name: string | undefined,
): LiveKind | undefined {
  const found = LIVE_KINDS.find((k) => k.objectKind === kind && k.apiVersions.includes(apiVersion));
  if (found?.kind === "CalicoConfig" && name !== CALICO_CONFIG_NAME) return undefined;
  return found?.kind;
}

/** "v1 Node, projectcalico.org/v3 Node, …": what a snapshot may hold, for messages. */
export function describeLiveKinds(): string {
  return LIVE_KINDS.flatMap((k) =>
    k.apiVersions.map(
      (v) => `${v} ${k.objectKind}${k.kind === "CalicoConfig" ? ` ${CALICO_CONFIG_NAME}` : ""}`,
    ),
  ).join(", ");
}

export function liveKindTitle(kind: LiveKind): string {
  return must(
    LIVE_KINDS.find((k) => k.kind === kind),
    `live kind ${kind}`,
  ).title;
}

/** Calico's annotations on a Kubernetes Node (libcalico-go/lib/backend/k8s/resources/node.go:44-57). */
export const ANNOTATIONS = {
  ipv4Address: "projectcalico.org/IPv4Address",
  ipv6Address: "projectcalico.org/IPv6Address",
  ipipTunnel: "projectcalico.org/IPv4IPIPTunnelAddr",
  vxlanTunnel: "projectcalico.org/IPv4VXLANTunnelAddr",
  vxlanTunnelV6: "projectcalico.org/IPv6VXLANTunnelAddr",
  vxlanMAC: "projectcalico.org/VXLANTunnelMACAddr",
  vxlanMACV6: "projectcalico.org/VXLANTunnelMACAddrV6",
} as const;

/** Server-side metadata a user never writes (import strips it from IPPools). */
export const SERVER_ANNOTATIONS: readonly string[] = [
  "kubectl.kubernetes.io/last-applied-configuration",
  "projectcalico.org/metadata",
];
