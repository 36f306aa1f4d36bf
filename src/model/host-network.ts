/**
 * What the per-node host files need from the topology beyond the schema: a usable gateway,
 * and in static mode IPv4 nodes and a pod CIDR for each (allocation.ts). The host files
 * configure each node's interface completely (networkd does not merge .network files), so a
 * subnet that gives its nodes no default route is said, never silently rendered: static mode
 * (whose files are the overlay) refuses it here, calico mode renders no host files for its
 * nodes (`hostFilesFor`; src/render/host-checks.ts warns where host files are rendered). Calico mode does O(subnets) work here; static mode
 * O(nodes log nodes).
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { allocatePodCIDRs, type PodCIDRAllocation } from "./allocation.js";
import { cidrContainsAddress, parseAddress } from "./cidr.js";
import type { ClusterModel, Pool, Subnet, Topology } from "./types.js";

export interface HostNetworkResult {
  readonly podCIDRs: ReadonlyMap<string, PodCIDRAllocation>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether a subnet's nodes get a default route from the host files (a gateway, or DHCP's). */
export function hasDefaultRoute(subnet: Pick<Subnet, "gateway" | "dhcp">): boolean {
  return subnet.gateway !== undefined || subnet.dhcp;
}

/** Calico mode renders host files only for nodes whose subnet gives them a default route. */
export function hostFilesFor(subnet: Pick<Subnet, "gateway" | "dhcp">): boolean {
  return hasDefaultRoute(subnet);
}

export function resolveHostNetwork(
  cluster: Pick<ClusterModel, "hostNetwork">,
  topology: Topology,
  poolsByNode: ReadonlyMap<string, readonly Pool[]>,
): HostNetworkResult {
  const diagnostics: Diagnostic[] = [];
  const mode = cluster.hostNetwork.mode;

  for (const subnet of topology.subnets) {
    if (subnet.gateway === undefined || !subnet.cidr) continue;
    const gateway = parseAddress(subnet.gateway);
    const span = subnet.source.at(["gateway"]);
    const extras = { resource: `Subnet/${subnet.name}` };
    if (!gateway) diagnostics.push(diagnostic("NC3012", span, { gateway: subnet.gateway }, extras));
    else if (!cidrContainsAddress(subnet.cidr, gateway))
      diagnostics.push(
        diagnostic(
          "NC3013",
          span,
          { gateway: gateway.text, subnet: subnet.name, cidr: subnet.cidr.canonical },
          extras,
        ),
      );
  }
  if (mode !== "static") return { podCIDRs: new Map(), diagnostics };

  // Static mode: the files are the overlay, whose packets between subnets follow the default route.
  const withNodes = new Set(topology.nodes.map((n) => n.subnet));
  const used = topology.subnets.filter((s) => withNodes.has(s));
  for (const subnet of used) {
    if (hasDefaultRoute(subnet)) continue;
    const at = subnet.source.at(["name"]);
    const extras = { resource: `Subnet/${subnet.name}` };
    if (used.length > 1)
      diagnostics.push(
        diagnostic("NC3014", at, { subnet: subnet.name, others: used.length - 1 }, extras),
      );
    else diagnostics.push(diagnostic("NC3070", at, { subnet: subnet.name }, extras));
  }

  const groupsReported = new Set<string>();
  for (const node of topology.nodes) {
    if (node.address?.version !== 6) continue;
    if (node.group !== undefined && groupsReported.has(node.group)) continue;
    if (node.group !== undefined) groupsReported.add(node.group);
    const span =
      node.group === undefined ? node.source.at(["address"]) : node.source.at(["firstAddress"]);
    diagnostics.push(
      diagnostic("NC3015", span, { node: node.name }, { resource: `Node/${node.name}` }),
    );
  }
  const allocation = allocatePodCIDRs(topology, poolsByNode);
  diagnostics.push(...allocation.diagnostics);
  return { podCIDRs: allocation.allocations, diagnostics };
}
