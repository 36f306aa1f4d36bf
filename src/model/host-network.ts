/**
 * What the per-node host files need from the topology beyond the schema: a usable gateway,
 * and in static mode a pod CIDR of each family for each node (allocation.ts). The host files
 * configure each node's interface completely (networkd does not merge .network files), so a
 * subnet that gives its nodes no default route is said, never silently rendered: static mode
 * (whose files are the overlay) refuses it here, calico mode renders no host files for its
 * nodes (`hostFilesFor`; src/render/host-checks.ts warns where host files are rendered).
 * Calico mode does O(subnets) work here; static mode O(nodes log nodes).
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import {
  allocatePodCIDRs,
  POD_CIDR_FIELDS,
  type AllocationResult,
  type PodCIDRAllocation,
} from "./allocation.js";
import { cidrContainsAddress, parseAddress } from "./cidr.js";
import { dualStackAddress, FAMILIES, nodeAddress, subnetsHolding } from "./families.js";
import type { ClusterModel, Pool, Subnet, Topology } from "./types.js";
import { nodeResource, subnetResource } from "./resources.js";

export interface HostNetworkResult {
  readonly podCIDRs: ReadonlyMap<string, PodCIDRAllocation>;
  readonly podCIDRsV6: ReadonlyMap<string, PodCIDRAllocation>;
  readonly diagnostics: readonly Diagnostic[];
}

/** Whether a subnet's nodes get a default route from the host files (a gateway, or DHCP's). */
export function hasDefaultRoute(subnet: Pick<Subnet, "gateway" | "dhcp">): boolean {
  return subnet.gateway !== undefined || subnet.dhcp;
}

/** A subnet's gateway in canonical text (undefined: none, or not an address), read once per subnet. */
export function subnetGateway(subnet: Subnet): string | undefined {
  if (!gateways.has(subnet))
    gateways.set(
      subnet,
      subnet.gateway === undefined ? undefined : parseAddress(subnet.gateway)?.text,
    );
  return gateways.get(subnet);
}

const gateways = new WeakMap<Subnet, string | undefined>();

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
    const extras = { resource: subnetResource(subnet) };
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
  diagnostics.push(...dualStackMTUs(topology));
  if (mode !== "static") return { podCIDRs: new Map(), podCIDRsV6: new Map(), diagnostics };

  // Static mode: the overlay's VXLAN/IPIP packets between subnets follow the default route of
  // their family; a node's own subnet (its `address`) must give it one even alone (NC3070).
  const primary = new Set(topology.nodes.map((n) => n.subnet));
  for (const family of FAMILIES) {
    const holding = subnetsHolding(topology, family);
    const used = topology.subnets.filter((s) => holding.has(s));
    for (const subnet of used) {
      if (hasDefaultRoute(subnet)) continue;
      const at = subnet.source.at(["name"]);
      const extras = { resource: subnetResource(subnet) };
      if (used.length > 1)
        diagnostics.push(
          diagnostic("NC3014", at, { subnet: subnet.name, others: used.length - 1 }, extras),
        );
      else if (primary.has(subnet))
        diagnostics.push(diagnostic("NC3070", at, { subnet: subnet.name }, extras));
    }
  }
  const v4 = allocatePodCIDRs(topology, poolsByNode, 4);
  const v6 = allocatePodCIDRs(topology, poolsByNode, 6);
  diagnostics.push(...v4.diagnostics, ...v6.diagnostics);
  diagnostics.push(...withoutPodCIDR(topology, v4, v6));
  return { podCIDRs: v4.allocations, podCIDRsV6: v6.allocations, diagnostics };
}

/**
 * Nodes that get a pod CIDR of no family (NC3021): no pool of a family they have an address of
 * selects them. One finding per node group.
 */
function withoutPodCIDR(
  topology: Topology,
  v4: AllocationResult,
  v6: AllocationResult,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const groups = new Set<string>();
  for (const node of topology.nodes) {
    const families = FAMILIES.filter((f) => nodeAddress(node, f));
    if (families.length === 0) continue;
    const results = { 4: v4, 6: v6 };
    if (!families.every((f) => results[f].unselected.has(node))) continue;
    if (node.group !== undefined) {
      if (groups.has(node.group)) continue;
      groups.add(node.group);
    }
    const data = {
      node: node.name,
      family: families.map((f) => `IPv${f}`).join(" or "),
      field: families.map((f) => POD_CIDR_FIELDS[f].node).join(" or "),
    };
    const span =
      node.group === undefined ? node.source.at(["name"]) : node.source.at(["namePrefix"]);
    const resource = node.group === undefined ? nodeResource(node) : `NodeGroup/${node.group}`;
    out.push(diagnostic("NC3021", span, data, { resource }));
  }
  return out;
}

/**
 * A dual-stack node's two addresses sit on one interface, which has one MTU: its IPv4 subnet's
 * (host files set it). IPv6 can use less (IPv6MTUBytes), never more. NC3092 once per pair of
 * subnets.
 */
function dualStackMTUs(topology: Topology): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const node of topology.nodes) {
    const v4 = node.subnet;
    const v6 = dualStackAddress(node)?.subnet;
    if (!v4 || !v6 || v6.mtu <= v4.mtu) continue;
    const key = `${v4.name}\u0000${v6.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const span = v6.mtuExplicit ? v6.source.at(["mtu"]) : v6.source.at(["name"]);
    out.push(
      diagnostic(
        "NC3092",
        span,
        {
          subnetV6: v6.name,
          mtuV6: v6.mtu,
          subnet: v4.name,
          mtu: v4.mtu,
          node: node.name,
          interface: node.interface,
        },
        {
          resource: subnetResource(v6),
          related: [{ ...v4.source.at(["name"]), message: `subnet "${v4.name}", MTU ${v4.mtu}` }],
        },
      ),
    );
  }
  return out;
}
