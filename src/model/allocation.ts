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
 */
import { createHash } from "node:crypto";
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic, Span } from "../diagnostics/types.js";
import { cidrContains, makeCidr, parseCidr, type Cidr } from "./cidr.js";
import type { Node, NodeGroup, Pool, Topology } from "./types.js";

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
}

/** The block a name hashes to, out of `blocks`. */
export function nameHashBlock(name: string, blocks: bigint): bigint {
  const digest = createHash("sha256").update(name, "utf8").digest();
  return digest.readBigUInt64BE(0) % blocks;
}

/** IPv4 pools a static node may take its pod CIDR from, by name. */
function candidatePools(pools: readonly Pool[]): Pool[] {
  return pools
    .filter((p) => p.cidr?.version === 4 && p.blockSize >= p.cidr.prefix && p.blockSize <= 32)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const blockAddresses = (prefix: number): bigint => 1n << BigInt(32 - prefix);

interface Claim {
  readonly allocation: PodCIDRAllocation;
  readonly node: Node;
}

export function allocatePodCIDRs(
  topology: Topology,
  poolsByNode: ReadonlyMap<string, readonly Pool[]>,
): AllocationResult {
  const diagnostics: Diagnostic[] = [];
  const groups = new Map(topology.nodeGroups.map((g) => [g.namePrefix, g]));
  const reportedGroups = new Set<string>();
  const report = (span: Span, detail: string, resource: string) =>
    diagnostics.push(diagnostic("NC3003", span, { detail }, { resource }));
  /** One finding per node group, not one per member. */
  const reportGroup = (group: NodeGroup, field: string, detail: string) => {
    if (reportedGroups.has(group.namePrefix)) return;
    reportedGroups.add(group.namePrefix);
    report(group.source.at([field]), detail, `NodeGroup/${group.namePrefix}`);
  };

  const claims: Claim[] = [];
  for (const node of topology.nodes) {
    const pools = candidatePools(poolsByNode.get(node.name) ?? []);
    const group = node.group === undefined ? undefined : groups.get(node.group);
    const poolNames = pools.map((p) => p.name).join(", ") || "none";
    const inPool = (cidr: Cidr) => pools.find((p) => p.cidr && cidrContains(p.cidr, cidr));

    if (node.group === undefined && node.podCIDRText !== undefined) {
      const cidr = node.podCIDR;
      const span = node.source.at(["podCIDR"]);
      const resource = `Node/${node.name}`;
      if (!cidr) report(span, `podCIDR "${node.podCIDRText}" is not a CIDR`, resource);
      else if (cidr.version !== 4)
        report(span, `podCIDR ${cidr.canonical}: static host networking is IPv4 only`, resource);
      else if (cidr.hostBitsSet)
        report(
          span,
          `podCIDR ${node.podCIDRText} has host bits set; write ${cidr.canonical}`,
          resource,
        );
      else {
        const pool = inPool(cidr);
        if (!pool)
          report(
            span,
            `podCIDR ${cidr.canonical} of node "${node.name}" is inside no enabled IPv4 pool that selects the node (pools that do: ${poolNames})`,
            resource,
          );
        else claims.push({ node, allocation: { node: node.name, cidr, pool, source: "podCIDR" } });
      }
      continue;
    }

    if (group?.firstPodCIDR !== undefined && node.groupIndex !== undefined) {
      const first = parseFirst(group.firstPodCIDR);
      if (typeof first === "string") {
        reportGroup(group, "firstPodCIDR", first);
        continue;
      }
      const start = first.start + BigInt(node.groupIndex) * blockAddresses(first.prefix);
      const cidr = makeCidr(4, start, first.prefix);
      const pool = cidr.end < 1n << 32n ? inPool(cidr) : undefined;
      if (!pool) {
        reportGroup(
          group,
          "firstPodCIDR",
          `node group "${group.namePrefix}": ${group.count} blocks of /${first.prefix} from ${first.canonical} do not all fit in one enabled IPv4 pool that selects its nodes (pools that do: ${poolNames}); "${node.name}" would get ${cidr.canonical}`,
        );
        continue;
      }
      claims.push({ node, allocation: { node: node.name, cidr, pool, source: "firstPodCIDR" } });
      continue;
    }

    const pool = pools[0];
    if (!pool?.cidr) {
      const detail = `node "${node.name}" has no pod CIDR: no enabled IPv4 pool selects it; static host networking needs one (set podCIDR, or make a pool select the node)`;
      if (group) reportGroup(group, "namePrefix", detail);
      else report(node.source.at(["name"]), detail, `Node/${node.name}`);
      continue;
    }
    const blocks = 1n << BigInt(pool.blockSize - pool.cidr.prefix);
    const start =
      pool.cidr.start + nameHashBlock(node.name, blocks) * blockAddresses(pool.blockSize);
    const cidr = makeCidr(4, start, pool.blockSize);
    claims.push({ node, allocation: { node: node.name, cidr, pool, source: "name-hash" } });
  }

  const conflicting = findOverlaps(claims);
  const occupied = new FreeBlocks(claims.map((c) => c.allocation.cidr));
  for (const [claim, other] of conflicting) {
    const { allocation, node } = claim;
    const mine = `pod CIDR ${allocation.cidr.canonical} of node "${node.name}"`;
    const theirs = `node "${other.node.name}"'s (${other.allocation.cidr.canonical})`;
    if (allocation.source === "podCIDR") {
      // Two pins that overlap: both are the user's; report the one a later line wrote.
      if (other.allocation.source === "podCIDR" && compareSpans(claim, other) < 0) continue;
      report(
        node.source.at(["podCIDR"]),
        `${mine} overlaps ${theirs}; pod CIDRs must not overlap`,
        `Node/${node.name}`,
      );
      continue;
    }
    if (allocation.source === "firstPodCIDR") {
      const group = groups.get(node.group ?? "")!;
      const run = occupied.freeRun(allocation.pool, group.count);
      reportGroup(
        group,
        "firstPodCIDR",
        `node group "${group.namePrefix}": ${mine} overlaps ${theirs}${run ? `; a free run of ${group.count} blocks starts at ${run.canonical}` : ""}`,
      );
      continue;
    }
    const free = occupied.freeBlockAfter(allocation.pool, allocation.cidr);
    const fix = free
      ? node.group === undefined
        ? `pin the node added later to a free block, e.g. \`podCIDR: ${free.canonical}\``
        : `give node group "${node.group}" a firstPodCIDR${runHint(occupied, allocation.pool, groups.get(node.group))}`
      : `pool "${allocation.pool.name}" has no free block left`;
    const detail = `${mine} (the block its name hashes to in pool "${allocation.pool.name}") is also ${theirs}; ${fix}`;
    if (node.group === undefined) report(node.source.at(["name"]), detail, `Node/${node.name}`);
    else reportGroup(groups.get(node.group)!, "namePrefix", detail);
  }

  const allocations = new Map<string, PodCIDRAllocation>();
  const bad = new Set(conflicting.map(([c]) => c.node.name));
  for (const claim of claims) {
    if (!bad.has(claim.node.name))
      allocations.set(claim.node.name, Object.freeze(claim.allocation));
  }
  return { allocations, diagnostics };
}

function runHint(occupied: FreeBlocks, pool: Pool, group: NodeGroup | undefined): string {
  if (!group) return "";
  const run = occupied.freeRun(pool, group.count);
  return run ? ` (a free run of ${group.count} blocks starts at ${run.canonical})` : "";
}

function parseFirst(text: string): Cidr | string {
  const slash = text.indexOf("/");
  const cidr = slash > 0 ? parseCidr(text) : undefined;
  if (!cidr) return `firstPodCIDR "${text}" is not a CIDR`;
  if (cidr.version !== 4)
    return `firstPodCIDR ${cidr.canonical}: static host networking is IPv4 only`;
  if (cidr.hostBitsSet) return `firstPodCIDR ${text} has host bits set; write ${cidr.canonical}`;
  return cidr;
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
      if (this.starts[mid]! <= end) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 || this.maxEnds[lo - 1]! < start;
  }

  /** The first free block of `pool` after `cidr`, wrapping around. */
  freeBlockAfter(pool: Pool, cidr: Cidr): Cidr | undefined {
    const size = blockAddresses(pool.blockSize);
    const blocks = 1n << BigInt(pool.blockSize - pool.cidr!.prefix);
    const home = (cidr.start - pool.cidr!.start) / size;
    for (let k = 1n; k < blocks; k++) {
      const start = pool.cidr!.start + ((home + k) % blocks) * size;
      if (this.isFree(start, start + size - 1n)) return makeCidr(4, start, pool.blockSize);
    }
    return undefined;
  }

  /** The first run of `count` free blocks in `pool`, as its first block. */
  freeRun(pool: Pool, count: number): Cidr | undefined {
    const size = blockAddresses(pool.blockSize);
    const blocks = 1n << BigInt(pool.blockSize - pool.cidr!.prefix);
    const need = BigInt(count);
    let runStart = 0n;
    let runLength = 0n;
    for (let i = 0n; i < blocks; i++) {
      const start = pool.cidr!.start + i * size;
      if (this.isFree(start, start + size - 1n)) {
        if (runLength === 0n) runStart = i;
        runLength++;
        if (runLength === need)
          return makeCidr(4, pool.cidr!.start + runStart * size, pool.blockSize);
      } else runLength = 0n;
    }
    return undefined;
  }
}
