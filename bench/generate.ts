/**
 * Synthetic repositories for the benchmark (`npm run gen -- --nodes N ...`): N nodes through
 * `nodeGroups` across S subnets (one zone each), P non-overlapping IPv4 pools whose
 * nodeSelectors pick zones (`topology.kubernetes.io/zone`), both host formats, and calico
 * (default) or static host networking. The same arguments always write the same bytes.
 *
 * With --snapshot it writes instead a live snapshot of a synthetic cluster of N nodes, as the
 * standard clients print it (bench/snapshot.ts), for `netcompile import` and `verify`.
 *
 * Address plan (chosen so nothing overlaps and every size up to 50,000 nodes (the limit) fits):
 *   subnets  172.16.0.0/12 cut into /18s (up to 64 subnets, 16,382 nodes each)
 *   pools    10.128.0.0/9 cut into /14s (up to 32 pools, 4,096 /26 blocks each)
 *   services 10.96.0.0/12
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { snapshotFiles, syntheticCluster } from "./snapshot.js";

export interface GenerateOptions {
  readonly nodes: number;
  readonly subnets?: number;
  readonly pools?: number;
  readonly mode?: "calico" | "static";
  /** Pool number whose natOutgoing is flipped: a one-pool change for plan benchmarks. */
  readonly changedPool?: number;
}

export interface GeneratedRepository {
  /** Repository-relative path -> content. */
  readonly files: ReadonlyMap<string, string>;
  readonly nodeNames: readonly string[];
}

const BLOCK_PREFIX = 26;

const ipv4 = (n: number): string =>
  [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
const ip = (a: number, b: number, c: number, d: number): number =>
  ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

export function defaultSubnets(nodes: number): number {
  return Math.max(2, Math.min(64, Math.ceil(nodes / 250)));
}

export function generateRepository(options: GenerateOptions): GeneratedRepository {
  const nodes = options.nodes;
  const subnets = options.subnets ?? defaultSubnets(nodes);
  const pools = Math.min(options.pools ?? 4, subnets);
  const mode = options.mode ?? "calico";
  if (!Number.isInteger(nodes) || nodes < 1) throw new Error("--nodes must be a positive integer");
  if (!Number.isInteger(subnets) || subnets < 1 || subnets > 64)
    throw new Error("--subnets must be between 1 and 64");
  if (!Number.isInteger(pools) || pools < 1 || pools > 32)
    throw new Error("--pools must be between 1 and 32 (and at most --subnets)");
  const perSubnetMax = 2 ** (32 - 18) - 20;
  if (Math.ceil(nodes / subnets) > perSubnetMax)
    throw new Error(`at most ${perSubnetMax} nodes per subnet; raise --subnets`);

  const files = new Map<string, string>();
  const nodeNames: string[] = [];

  files.set(
    "netcompile.yaml",
    [
      "# Synthetic repository written by bench/generate.ts.",
      "apiVersion: netcompile.dev/v1alpha1",
      "kind: Cluster",
      "metadata:",
      `  name: synthetic-${nodes}`,
      "spec:",
      `  provider: ${mode === "static" ? "bare-metal" : "other"}`,
      "  install: manifest",
      "  calicoVersion: v3.31.7",
      "  networking:",
      "    underlayMTU: 9001",
      "    serviceCIDRs:",
      "      - 10.96.0.0/12",
      "  hostNetwork:",
      `    mode: ${mode}`,
      "    formats: [netplan, networkd]",
      "",
    ].join("\n"),
  );

  const poolBase = (j: number): number => ip(10, 128, 0, 0) + j * 2 ** (32 - 14);
  const poolUsedBlocks = new Array<number>(pools).fill(0);
  const subnetLines: string[] = [];
  const groupLines: string[] = [];
  for (let i = 0; i < subnets; i++) {
    const base = ip(172, 16, 0, 0) + i * 2 ** (32 - 18);
    const count = Math.floor(nodes / subnets) + (i < nodes % subnets ? 1 : 0);
    subnetLines.push(
      `    - name: subnet-${i}`,
      `      cidr: ${ipv4(base)}/18`,
      `      zone: zone-${i}`,
      `      gateway: ${ipv4(base + 1)}`,
    );
    if (count === 0) continue;
    const prefix = `node-${i}-`;
    for (let k = 1; k <= count; k++) nodeNames.push(`${prefix}${k}`);
    groupLines.push(
      `    - namePrefix: ${prefix}`,
      `      count: ${count}`,
      `      subnet: subnet-${i}`,
      `      firstAddress: ${ipv4(base + 10)}`,
      "      interface: ens5",
      "      labels:",
      `        rack: rack-${i % 8}`,
    );
    if (mode === "static") {
      const j = i % pools;
      const first = poolBase(j) + poolUsedBlocks[j]! * 2 ** (32 - BLOCK_PREFIX);
      poolUsedBlocks[j]! += count;
      if (poolUsedBlocks[j]! > 2 ** (BLOCK_PREFIX - 14))
        throw new Error("too many nodes for the pools' blocks; raise --pools");
      groupLines.push(`      firstPodCIDR: ${ipv4(first)}/${BLOCK_PREFIX}`);
    }
  }
  files.set(
    "topology.yaml",
    [
      "apiVersion: netcompile.dev/v1alpha1",
      "kind: Topology",
      "metadata:",
      "  name: synthetic",
      "spec:",
      "  underlay:",
      "    routesWorkloadIPs: false",
      "  subnets:",
      ...subnetLines,
      "  nodeGroups:",
      ...groupLines,
      "",
    ].join("\n"),
  );

  for (let j = 0; j < pools; j++) {
    const zones: string[] = [];
    for (let i = j; i < subnets; i += pools) zones.push(`'zone-${i}'`);
    files.set(
      `pools/pool-${j}.yaml`,
      [
        "apiVersion: projectcalico.org/v3",
        "kind: IPPool",
        "metadata:",
        `  name: pool-${j}`,
        "spec:",
        `  cidr: ${ipv4(poolBase(j))}/14`,
        `  blockSize: ${BLOCK_PREFIX}`,
        "  vxlanMode: CrossSubnet",
        `  natOutgoing: ${options.changedPool === j ? "false" : "true"}`,
        `  nodeSelector: ${JSON.stringify(`topology.kubernetes.io/zone in {${zones.join(", ")}}`)}`,
        "",
      ].join("\n"),
    );
  }
  return { files, nodeNames };
}

/** Writes the repository to `dir`, replacing what was there. */
export function writeRepository(dir: string, repo: GeneratedRepository): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, content] of repo.files) {
    const full = join(dir, path);
    mkdirSync(join(full, ".."), { recursive: true });
    writeFileSync(full, content);
  }
}

/**
 * A synthetic cluster's snapshot in `dir` (replacing it), as a CI job would save it:
 * `kubectl get nodes -o json`, IPPools from calicoctl, BlockAffinities as JSON, calico-config.
 * Returns its size in bytes.
 */
export function writeSnapshot(dir: string, nodes: number): number {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  const files = snapshotFiles(syntheticCluster(nodes), {
    nodes: "json-list",
    calicoNodes: "none",
    pools: "calicoctl-yaml",
    blocks: "json-list",
    calicoConfig: true,
  });
  for (const [path, content] of files) {
    writeFileSync(join(dir, path), content);
    bytes += Buffer.byteLength(content);
  }
  return bytes;
}

function main(argv: readonly string[]): void {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      nodes: { type: "string", default: "100" },
      subnets: { type: "string" },
      pools: { type: "string", default: "4" },
      mode: { type: "string", default: "calico" },
      out: { type: "string" },
      "changed-pool": { type: "string" },
      snapshot: { type: "boolean", default: false },
    },
  });
  if (!values.out) throw new Error("--out DIR is required");
  if (values.snapshot) {
    const bytes = writeSnapshot(values.out, Number(values.nodes));
    process.stderr.write(
      `wrote ${values.out}: a snapshot of ${values.nodes} nodes, ${bytes} bytes\n`,
    );
    return;
  }
  if (values.mode !== "calico" && values.mode !== "static")
    throw new Error("--mode must be calico or static");
  const repo = generateRepository({
    nodes: Number(values.nodes),
    subnets: values.subnets === undefined ? undefined : Number(values.subnets),
    pools: Number(values.pools),
    mode: values.mode,
    changedPool: values["changed-pool"] === undefined ? undefined : Number(values["changed-pool"]),
  });
  writeRepository(values.out, repo);
  process.stderr.write(
    `wrote ${values.out}: ${repo.nodeNames.length} nodes, ${repo.files.size} files\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`gen: ${(error as Error).message}\n`);
    process.exit(3);
  }
}
