/**
 * What the live rules share: where a finding about a node goes in the repository, how a
 * finding names one node or many nodes of one group, and the live object as a related location.
 */
import type { RelatedLocation, Span } from "../diagnostics/types.js";
import type { LiveOrigin } from "../live/snapshot.js";
import { cidrContainsAddress, type IpAddress } from "../model/cidr.js";
import type { Model, Node, Subnet } from "../model/types.js";
import { must } from "../util/must.js";
import { naturalCompare, plural } from "../util/text.js";

/** A list with a first element (what byGroup gives). */
export type NonEmpty<T> = [T, ...T[]];

/** The live object as a related location: "Node worker-1: projectcalico.org/IPv4Address 10.0.1.5/16". */
export function liveRelated(origin: LiveOrigin, what: string): RelatedLocation {
  return { ...origin.span, message: `${origin.object}: ${what}` };
}

/**
 * Findings about nodes, gathered per node group (and per `key` within it), so that a group of
 * 2,000 nodes gives one finding, not 2,000: listed nodes stand alone.
 */
export function byGroup<T extends { readonly node: Node }>(
  items: readonly T[],
  key: (item: T) => string = () => "",
): NonEmpty<T>[] {
  const out = new Map<string, NonEmpty<T>>();
  for (const item of items) {
    const k = `${item.node.group === undefined ? `node\0${item.node.name}` : `group\0${item.node.group}`}\0${key(item)}`;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return [...out.values()];
}

/** `node "a"`, or `node group "w-" (12 nodes, e.g. "w-3")` for several members of one group. */
export function whoText(nodes: readonly Node[]): string {
  const first = must(nodes[0], "the first node of a finding");
  if (nodes.length > 1) {
    return `node group "${first.group}" (${plural(nodes.length, "node")}, e.g. "${first.name}")`;
  }
  return first.group === undefined
    ? `node "${first.name}"`
    : `node "${first.name}" (node group "${first.group}")`;
}

/** "3 nodes (a, b, c)", "12 nodes (a, b, c, …)". */
export function namesText(names: readonly string[], max = 3): string {
  const sorted = [...names].sort(naturalCompare);
  const shown = sorted.slice(0, max).join(", ");
  return `${plural(sorted.length, "node")} (${shown}${sorted.length > max ? ", …" : ""})`;
}

/** The Topology subnet that holds an address, when exactly one does. */
export function subnetOf(model: Model, address: IpAddress): Subnet | undefined {
  return model.topology.subnets.find((s) => s.cidr && cidrContainsAddress(s.cidr, address));
}

/**
 * Where a node the Topology lacks belongs: the subnet that would hold it, else the first
 * Topology document's list of subnets.
 */
export function topologyPlace(model: Model, subnet: Subnet | undefined): Span {
  if (subnet) return subnet.source.at(["cidr"]);
  // A model always has a Topology document (the loader requires one).
  return must(model.topology.sources[0], "the Topology document").keyAt(["spec", "subnets"]);
}
