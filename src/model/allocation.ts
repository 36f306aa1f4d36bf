/**
 * Pod CIDRs for static host networking (no Calico IPAM on the hosts). A node's pod CIDR is,
 * in this order:
 *   1. its `podCIDR`, as written;
 *   2. for a node-group member, block `index` counted from the group's `firstPodCIDR`
 *      (index-based: growing or shrinking a group at its end moves no other member);
 *   3. the block its NAME hashes to in the first pool (by name) that selects it: block number
 *      = first 8 bytes of SHA-256(node name), big-endian, modulo the pool's number of blocks.
 * None of these depends on which other nodes exist, so adding or removing a node never moves
 * another node's pod CIDR. A hash collision is not resolved silently (that would make one of
 * the two nodes depend on the other): it is an error naming a free block, and pinning one node
 * with `podCIDR` records the resolution in the repository.
 *
 * Each IP family is allocated apart, for the nodes with an address of that family: IPv4 from
 * `podCIDR` / `firstPodCIDR` and IPv4 pools, IPv6 from `podCIDRV6` / `firstPodCIDRV6` and IPv6
 * pools. A dual-stack node has one pod CIDR of each family whose pools select it.
 */
import { createHash } from "node:crypto";
import { diagnostic, type DiagnosticExtras } from "../diagnostics/make.js";
import type { Diagnostic, Span } from "../diagnostics/types.js";
import { cidrContains, makeCidr, parseCidr, type Cidr } from "./cidr.js";
import { nodeAddress } from "./families.js";
import type { IpFamily, Node, NodeGroup, Pool, Topology } from "./types.js";
import { must } from "../util/must.js";
import { nodeResource } from "./resources.js";

export type PodCIDRSource = "podCIDR" | "firstPodCIDR" | "name-hash";

export interface PodCIDRAllocation {
  readonly node: string;
  readonly cidr: Cidr;
  /** The pool the CIDR lies in: its encapsulation mode decides how peers reach it. */
  readonly pool: Pool;
  readonly source: PodCIDRSource;
}

export interface AllocationResult {
  readonly allocations: ReadonlyMap<string, PodCIDRAllocation>;
  readonly diagnostics: readonly Diagnostic[];
  /** Nodes with an address of the family that no pool of the family selects (not an error alone). */
  readonly unselected: ReadonlySet<Node>;
}

/** The fields that pin a family's pod CIDRs, on nodes and on node groups. */
export const POD_CIDR_FIELDS = {
  4: { node: "podCIDR", group: "firstPodCIDR" },
  6: { node: "podCIDRV6", group: "firstPodCIDRV6" },
} as const;

/** The block a name hashes to, out of `blocks`. */
export function nameHashBlock(name: string, blocks: bigint): bigint {
  const digest = createHash("sha256").update(name, "utf8").digest();
  return digest.readBigUInt64BE(0) % blocks;
}

const BITS = { 4: 32, 6: 128 } as const;

/** Pools of `family` a static node may take its pod CIDR from, by name. */
function candidatePools(pools: readonly Pool[], family: IpFamily): Pool[] {
  return pools
    .filter(
      (p) =>
        p.cidr?.version === family && p.blockSize >= p.cidr.prefix && p.blockSize <= BITS[family],
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const blockAddresses = (family: IpFamily, prefix: number): bigint =>
  1n << BigInt(BITS[family] - prefix);

interface Claim {
  readonly allocation: PodCIDRAllocation;
  readonly node: Node;
}

export function allocatePodCIDRs(
  topology: Topology,
  poolsByNode: ReadonlyMap<string, readonly Pool[]>,
  family: IpFamily = 4,
): AllocationResult {
  const diagnostics: Diagnostic[] = [];
  const unselected = new Set<Node>();
  const fields = POD_CIDR_FIELDS[family];
  const groups = new Map(topology.nodeGroups.map((g) => [g.namePrefix, g]));
  const reportedGroups = new Set<string>();
  /** One finding per node group, not one per member: true the first time only. */
  const firstForGroup = (group: NodeGroup): boolean => {
    if (reportedGroups.has(group.namePrefix)) return false;
    reportedGroups.add(group.namePrefix);
    return true;
  };
  const ofGroup = (group: NodeGroup) => ({ resource: `NodeGroup/${group.namePrefix}` });
  const ofNode = (node: Node) => ({ resource: nodeResource(node) });

  const claims: Claim[] = [];
  for (const node of topology.nodes) {
    const pools = candidatePools(poolsByNode.get(node.name) ?? [], family);
    const group = node.group === undefined ? undefined : groups.get(node.group);
    const poolNames = pools.map((p) => p.name).join(", ") || "none";
    const inPool = (cidr: Cidr) => pools.find((p) => p.cidr && cidrContains(p.cidr, cidr));
    const pinned = family === 4 ? node.podCIDRText : node.podCIDRV6Text;
    const groupFirst = family === 4 ? group?.firstPodCIDR : group?.firstPodCIDRV6;
    const hasAddress = nodeAddress(node, family) !== undefined;

    if (!hasAddress) {
      // A pod CIDR of a family the node has no address of: no peer could reach it.
      const field = node.group === undefined ? fields.node : fields.group;
      const written = node.group === undefined ? pinned : groupFirst;
      if (written !== undefined && node.address && (!group || firstForGroup(group))) {
        const where = group ? group.source.at([field]) : node.source.at([field]);
        diagnostics.push(
          diagnostic(
            "NC3091",
            where,
            { field, node: node.name, family },
            group ? ofGroup(group) : ofNode(node),
          ),
        );
      }
      continue;
    }

    if (node.group === undefined && pinned !== undefined) {
      const span = node.source.at([fields.node]);
      const cidr = usablePodCIDR(fields.node, pinned, span, ofNode(node), family);
      if (!isCidr(cidr)) diagnostics.push(cidr);
      else {
        const pool = inPool(cidr);
        if (!pool)
          diagnostics.push(
            diagnostic(
              "NC3019",
              span,
              {
                field: fields.node,
                cidr: cidr.canonical,
                node: node.name,
                family,
                pools: poolNames,
              },
              ofNode(node),
            ),
          );
        else claims.push({ node, allocation: { node: node.name, cidr, pool, source: "podCIDR" } });
      }
      continue;
    }

    if (group && groupFirst !== undefined && node.groupIndex !== undefined) {
      const span = group.source.at([fields.group]);
      const first = usablePodCIDR(fields.group, groupFirst, span, ofGroup(group), family);
      if (!isCidr(first)) {
        if (firstForGroup(group)) diagnostics.push(first);
        continue;
      }
      const start = first.start + BigInt(node.groupIndex) * blockAddresses(family, first.prefix);
      const cidr = makeCidr(family, start, first.prefix);
      const pool = cidr.end < 1n << BigInt(BITS[family]) ? inPool(cidr) : undefined;
      if (!pool) {
        if (firstForGroup(group))
          diagnostics.push(
            diagnostic(
              "NC3020",
              span,
              {
                group: group.namePrefix,
                count: group.count,
                prefix: first.prefix,
                first: first.canonical,
                family,
                pools: poolNames,
                node: node.name,
                cidr: cidr.canonical,
              },
              ofGroup(group),
            ),
          );
        continue;
      }
      claims.push({ node, allocation: { node: node.name, cidr, pool, source: "firstPodCIDR" } });
      continue;
    }

    const pool = pools[0];
    if (!pool?.cidr) {
      unselected.add(node);
      continue;
    }
    const blocks = 1n << BigInt(pool.blockSize - pool.cidr.prefix);
    const start =
      pool.cidr.start + nameHashBlock(node.name, blocks) * blockAddresses(family, pool.blockSize);
    const cidr = makeCidr(family, start, pool.blockSize);
    claims.push({ node, allocation: { node: node.name, cidr, pool, source: "name-hash" } });
  }

  const conflicting = findOverlaps(claims);
  const occupied = new FreeBlocks(claims.map((c) => c.allocation.cidr));
  for (const [claim, other] of conflicting) {
    const { allocation, node } = claim;
    const pair = {
      cidr: allocation.cidr.canonical,
      node: node.name,
      other: other.node.name,
      otherCidr: other.allocation.cidr.canonical,
    };
    if (allocation.source === "podCIDR") {
      // Two pins that overlap: both are the user's; report the one a later line wrote.
      if (other.allocation.source === "podCIDR" && compareSpans(claim, other) < 0) continue;
      diagnostics.push(diagnostic("NC3022", node.source.at(["podCIDR"]), pair, ofNode(node)));
      continue;
    }
    const group = node.group === undefined ? undefined : groups.get(node.group);
    if (allocation.source === "firstPodCIDR") {
      // A firstPodCIDR claim is always a group member's.
      if (!group || !firstForGroup(group)) continue;
      const run = occupied.freeRun(allocation.pool, group.count);
      const hint = run ? `; a free run of ${group.count} blocks starts at ${run.canonical}` : "";
      diagnostics.push(
        diagnostic(
          "NC3023",
          group.source.at(["firstPodCIDR"]),
          { group: group.namePrefix, ...pair, hint },
          ofGroup(group),
        ),
      );
      continue;
    }
    const free = occupied.freeBlockAfter(allocation.pool, allocation.cidr);
    const fix = !free
      ? `pool "${allocation.pool.name}" has no free block left`
      : group === undefined
        ? `pin the node added later to a free block, e.g. \`podCIDR: ${free.canonical}\``
        : `give node group "${group.namePrefix}" a firstPodCIDR${runHint(occupied, allocation.pool, group)}`;
    const data = { ...pair, pool: allocation.pool.name, fix };
    if (!group)
      diagnostics.push(diagnostic("NC3024", node.source.at(["name"]), data, ofNode(node)));
    else if (firstForGroup(group))
      diagnostics.push(diagnostic("NC3024", group.source.at(["namePrefix"]), data, ofGroup(group)));
  }

  const allocations = new Map<string, PodCIDRAllocation>();
  const bad = new Set(conflicting.map(([c]) => c.node.name));
  for (const claim of claims) {
    if (!bad.has(claim.node.name))
      allocations.set(claim.node.name, Object.freeze(claim.allocation));
  }
  return { allocations, diagnostics, unselected };
}

function runHint(occupied: FreeBlocks, pool: Pool, group: NodeGroup): string {
  const run = occupied.freeRun(pool, group.count);
  return run ? ` (a free run of ${group.count} blocks starts at ${run.canonical})` : "";
}

/** A written pod CIDR field as a network of `family`, or the diagnostic saying why not. */
function usablePodCIDR(
  field: string,
  text: string,
  span: Span,
  extras: DiagnosticExtras,
  family: IpFamily,
): Cidr | Diagnostic {
  const cidr = parseCidr(text);
  if (!cidr) return diagnostic("NC3017", span, { field, value: text }, extras);
  if (cidr.version !== family) {
    const other = POD_CIDR_FIELDS[cidr.version];
    const right = field === POD_CIDR_FIELDS[family].node ? other.node : other.group;
    return diagnostic(
      "NC3090",
      span,
      { field, cidr: cidr.canonical, version: cidr.version, family, right },
      extras,
    );
  }
  if (cidr.hostBitsSet)
    return diagnostic("NC3018", span, { field, value: text, cidr: cidr.canonical }, extras);
  return cidr;
}

function isCidr(value: Cidr | Diagnostic): value is Cidr {
  return "prefix" in value;
}

/** Each claim that overlaps an earlier one (by start address), paired with the one it overlaps. */
function findOverlaps(claims: readonly Claim[]): [Claim, Claim][] {
  const sorted = [...claims].sort((a, b) =>
    a.allocation.cidr.start < b.allocation.cidr.start
      ? -1
      : a.allocation.cidr.start > b.allocation.cidr.start
        ? 1
        : a.node.name < b.node.name
          ? -1
          : 1,
  );
  const out: [Claim, Claim][] = [];
  const reported = new Set<Claim>();
  let widest: Claim | undefined;
  for (const claim of sorted) {
    if (widest && claim.allocation.cidr.start <= widest.allocation.cidr.end) {
      out.push([claim, widest]);
      reported.add(claim);
      // A collision is both nodes' problem: a hashed node cannot know it was there first.
      if (!reported.has(widest)) {
        out.push([widest, claim]);
        reported.add(widest);
      }
    }
    if (!widest || claim.allocation.cidr.end > widest.allocation.cidr.end) widest = claim;
  }
  return out;
}

function compareSpans(a: Claim, b: Claim): number {
  const sa = a.node.source.span;
  const sb = b.node.source.span;
  return sa.file < sb.file
    ? -1
    : sa.file > sb.file
      ? 1
      : sa.line - sb.line || sa.column - sb.column;
}

/** Occupied address ranges, for suggesting a free block (only on error). */
class FreeBlocks {
  private readonly starts: bigint[];
  /** The largest end address among ranges 0..i (ranges may nest). */
  private readonly maxEnds: bigint[];

  constructor(cidrs: readonly Cidr[]) {
    const ranges = [...cidrs].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.starts = ranges.map((r) => r.start);
    let max = -1n;
    this.maxEnds = ranges.map((r) => (max = r.end > max ? r.end : max));
  }

  private isFree(start: bigint, end: bigint): boolean {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- lo <= mid < hi <= starts.length
      if (this.starts[mid]! <= end) lo = mid + 1;
      else hi = mid;
    }
    // eslint-disable-next-line @typescript-eslint/no-non-null-assertion -- 0 < lo <= maxEnds.length
    return lo === 0 || this.maxEnds[lo - 1]! < start;
  }

  /** The first free block of `pool` after `cidr`, wrapping around. */
  freeBlockAfter(pool: Pool, cidr: Cidr): Cidr | undefined {
    const range = poolRange(pool);
    const family = range.version;
    const size = blockAddresses(family, pool.blockSize);
    const blocks = 1n << BigInt(pool.blockSize - range.prefix);
    const home = (cidr.start - range.start) / size;
    for (let k = 1n; k < blocks; k++) {
      const start = range.start + ((home + k) % blocks) * size;
      if (this.isFree(start, start + size - 1n)) return makeCidr(family, start, pool.blockSize);
    }
    return undefined;
  }

  /** The first run of `count` free blocks in `pool`, as its first block. */
  freeRun(pool: Pool, count: number): Cidr | undefined {
    const range = poolRange(pool);
    const family = range.version;
    const size = blockAddresses(family, pool.blockSize);
    const blocks = 1n << BigInt(pool.blockSize - range.prefix);
    const need = BigInt(count);
    let runStart = 0n;
    let runLength = 0n;
    for (let i = 0n; i < blocks; i++) {
      const start = range.start + i * size;
      if (this.isFree(start, start + size - 1n)) {
        if (runLength === 0n) runStart = i;
        runLength++;
        if (runLength === need)
          return makeCidr(family, range.start + runStart * size, pool.blockSize);
      } else runLength = 0n;
    }
    return undefined;
  }
}

/** Only pools with a CIDR take part in allocation. */
function poolRange(pool: Pool): Cidr {
  return must(pool.cidr, `IPPool ${pool.name}'s cidr`);
}
