/**
 * Model diff: how the network facts of the base and of the repository differ. Only what both
 * sides know is compared; a fact one side could not read produces no difference.
 */
import type {
  ModelDiff,
  NetworkFacts,
  NodeFacts,
  NodeGroupChange,
  PoolChange,
  PoolFacts,
  SubnetMTUChange,
  ValueChange,
} from "../model/facts.js";
import { naturalCompare } from "../util/text.js";

const POOL_FIELDS = [
  "cidr",
  "blockSize",
  "ipipMode",
  "vxlanMode",
  "disabled",
  "nodeSelector",
] as const satisfies readonly (keyof PoolFacts)[];

export function diffFacts(base: NetworkFacts, current: NetworkFacts): ModelDiff {
  const poolsAdded: PoolFacts[] = [];
  const poolsChanged: PoolChange[] = [];
  for (const [name, after] of current.pools) {
    const before = base.pools.get(name);
    if (!before) poolsAdded.push(after);
    else if (POOL_FIELDS.some((f) => before[f] !== after[f])) poolsChanged.push({ before, after });
  }
  const poolsRemoved = [...base.pools.values()].filter((p) => !current.pools.has(p.name));

  let nodesAdded: NodeFacts[] | undefined;
  let nodesRemoved: NodeFacts[] | undefined;
  const { nodes: baseNodes } = base;
  const { nodes: currentNodes } = current;
  if (baseNodes && currentNodes) {
    nodesAdded = [...currentNodes.values()].filter((n) => !baseNodes.has(n.name));
    nodesRemoved = [...baseNodes.values()].filter((n) => !currentNodes.has(n.name));
    nodesAdded.sort((a, b) => naturalCompare(a.name, b.name));
    nodesRemoved.sort((a, b) => naturalCompare(a.name, b.name));
  }

  const subnetMTUs: SubnetMTUChange[] = [];
  if (base.subnets && current.subnets) {
    for (const [name, after] of current.subnets) {
      const before = base.subnets.get(name);
      if (before && before.mtu !== after.mtu)
        subnetMTUs.push({ name, before: before.mtu, after: after.mtu, nodes: after.nodes });
    }
  }

  return {
    nodesAddedByGroup: byGroup(nodesAdded ?? []),
    nodesRemovedByGroup: byGroup(nodesRemoved ?? []),
    poolsAdded,
    poolsRemoved,
    poolsChanged,
    backend: valueChange(base.backend, current.backend),
    podMTU: valueChange(base.podMTU, current.podMTU),
    vxlanPort: valueChange(base.vxlanPort, current.vxlanPort),
    vxlanVNI: valueChange(base.vxlanVNI, current.vxlanVNI),
    wireguardV4: valueChange(base.wireguard?.ipv4, current.wireguard?.ipv4),
    wireguardV6: valueChange(base.wireguard?.ipv6, current.wireguard?.ipv6),
    nodesAdded,
    nodesRemoved,
    subnetMTUs,
  };
}

function valueChange<T>(before: T | undefined, after: T | undefined): ValueChange<T> | undefined {
  return before === undefined || after === undefined || before === after
    ? undefined
    : { before, after };
}

function byGroup(nodes: readonly NodeFacts[]): NodeGroupChange[] {
  const names = new Map<string, string[]>();
  for (const n of nodes) {
    const g = n.group ?? "";
    const list = names.get(g);
    if (list) list.push(n.name);
    else names.set(g, [n.name]);
  }
  return [...names]
    .sort(([a], [b]) => naturalCompare(a, b))
    .map(([group, nodes]) => ({ group, nodes }));
}
