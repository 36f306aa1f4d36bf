/**
 * Model diff: how the network facts of the base and of the repository differ. Only what both
 * sides know is compared; a fact one side could not read produces no difference.
 */
import type { Backend } from "../model/types.js";
import type { NetworkFacts, NodeFacts, PoolFacts } from "./facts.js";
import { naturalCompare } from "../util/text.js";

export interface ValueChange<T> {
  readonly before: T;
  readonly after: T;
}

export interface PoolChange {
  readonly before: PoolFacts;
  readonly after: PoolFacts;
}

export interface SubnetMTUChange {
  readonly name: string;
  readonly before: number;
  readonly after: number;
  readonly nodes: readonly string[];
}

export interface ModelDiff {
  readonly poolsAdded: readonly PoolFacts[];
  readonly poolsRemoved: readonly PoolFacts[];
  /** Pools present on both sides with any compared field different. */
  readonly poolsChanged: readonly PoolChange[];
  readonly backend: ValueChange<Backend> | undefined;
  readonly podMTU: ValueChange<number> | undefined;
  readonly vxlanPort: ValueChange<number> | undefined;
  readonly vxlanVNI: ValueChange<number> | undefined;
  /** Undefined when either side does not know its nodes. */
  readonly nodesAdded: readonly NodeFacts[] | undefined;
  readonly nodesRemoved: readonly NodeFacts[] | undefined;
  readonly subnetMTUs: readonly SubnetMTUChange[];
}

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
  if (base.nodes && current.nodes) {
    nodesAdded = [...current.nodes.values()].filter((n) => !base.nodes!.has(n.name));
    nodesRemoved = [...base.nodes.values()].filter((n) => !current.nodes!.has(n.name));
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
    poolsAdded,
    poolsRemoved,
    poolsChanged,
    backend: valueChange(base.backend, current.backend),
    podMTU: valueChange(base.podMTU, current.podMTU),
    vxlanPort: valueChange(base.vxlanPort, current.vxlanPort),
    vxlanVNI: valueChange(base.vxlanVNI, current.vxlanVNI),
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
