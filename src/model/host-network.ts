/**
 * What the per-node host files need from the topology beyond the schema: a usable gateway,
 * and in static mode IPv4 nodes and a pod CIDR for each (allocation.ts). The host files
 * configure each node's interface completely (networkd does not merge .network files), so a
 * topology that cannot say how a node reaches the other subnets is an error, not a silently
 * unreachable host. Calico mode does O(subnets) work here; static mode O(nodes log nodes).
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { allocatePodCIDRs, type PodCIDRAllocation } from "./allocation.js";
import { cidrContainsAddress, parseAddress } from "./cidr.js";
import type { HostNetworkMode, Pool, Topology } from "./types.js";

export interface HostNetworkResult {
  readonly podCIDRs: ReadonlyMap<string, PodCIDRAllocation>;
  readonly diagnostics: readonly Diagnostic[];
}

export function resolveHostNetwork(
  mode: HostNetworkMode,
  topology: Topology,
  poolsByNode: ReadonlyMap<string, readonly Pool[]>,
): HostNetworkResult {
  const diagnostics: Diagnostic[] = [];

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

  // Static mode: the overlay's VXLAN/IPIP packets between subnets follow the default route.
  const withNodes = new Set(topology.nodes.map((n) => n.subnet));
  const used = topology.subnets.filter((s) => withNodes.has(s));
  if (used.length > 1) {
    for (const subnet of used) {
      if (subnet.gateway !== undefined || subnet.dhcp) continue;
      diagnostics.push(
        diagnostic(
          "NC3014",
          subnet.source.at(["name"]),
          { subnet: subnet.name, others: used.length - 1 },
          { resource: `Subnet/${subnet.name}` },
        ),
      );
    }
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
