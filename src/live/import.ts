/**
 * `netcompile import`: a repository (Cluster, Topology, IPPools) written from a live snapshot.
 * Pure: snapshot in, file contents and diagnostics out; the use case writes them.
 *
 *  - Subnets are the networks calico-node detected on the nodes (the /NN of
 *    projectcalico.org/IPv4Address, per family), named after the nodes' zone label. Where two
 *    detected networks overlap, the narrower is kept and the wider one's nodes join it (or get
 *    a subnet of their own address): `verify` then reports the wider prefix, which is the
 *    blackhole to look at (NC7015 says so).
 *  - Nodes whose names run prefix1…prefixN with consecutive addresses in one subnet and the same
 *    labels become one node group.
 *  - Labels: only those the IPPools' nodeSelectors need, found by dropping each label key from
 *    every node while every pool still selects exactly the nodes it selects live.
 *  - IPPools as the cluster has them, server fields removed.
 *  - What the snapshot cannot tell (whether routers route pod addresses, the provider, the
 *    underlay MTU, the service CIDRs, interface names) gets the safe choice and a CHECK comment.
 * Every file names the snapshot files it came from; no timestamps: the same snapshot gives the
 * same bytes.
 */
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import {
  addressPlus,
  cidrContainsAddress,
  cidrOverlaps,
  makeCidr,
  type Cidr,
  type IpAddress,
} from "../model/cidr.js";
import { CLUSTER_DEFAULTS, ENCAP_OVERHEAD, HOSTNAME_LABEL, ZONE_LABEL } from "../model/defaults.js";
import { ETHERNET_MTU, PROVIDERS } from "../model/providers.js";
import type { Provider } from "../model/types.js";
import { yamlScalar } from "../util/quote.js";
import { naturalCompare, plural } from "../util/text.js";
import { SERVER_ANNOTATIONS } from "./kinds.js";
import type { LiveNode, LivePool, LiveSnapshot } from "./snapshot.js";
import { must } from "../util/must.js";
import { terminalText } from "../util/terminal.js";

/** The files import writes, in this order. */
export const IMPORT_FILES = ["netcompile.yaml", "topology.yaml", "ippools.yaml"] as const;

export interface ImportResult {
  /** Repository-relative path -> content. */
  readonly files: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
  /** Counts for the command's summary line. */
  readonly summary: {
    readonly nodes: number;
    readonly groups: number;
    readonly listed: number;
    readonly subnets: number;
    readonly pools: number;
  };
}

interface ImportNode {
  readonly live: LiveNode;
  readonly address: IpAddress;
  /** The network calico-node detected (the /NN of its address). */
  readonly prefix: Cidr;
  subnet?: ImportSubnet;
  labels: Record<string, string>;
  /** A dual-stack node's IPv6 address (beside its IPv4 one), written as addressV6. */
  readonly v6?: ImportNode;
}

interface ImportSubnet {
  readonly cidr: Cidr;
  readonly nodes: ImportNode[];
  name: string;
  zone: string | undefined;
  /** Why nodes whose detected prefix differs were placed here (comments). */
  readonly notes: string[];
}

/** Does the pool select these labels (an unparsable selector selects nothing, as in Calico). */
function selects(pool: LivePool, labels: Readonly<Record<string, string>>): boolean {
  return pool.nodeSelector?.matches(labels) ?? false;
}

export function importSnapshot(snapshot: LiveSnapshot): ImportResult {
  const diagnostics: Diagnostic[] = [];
  const nodes: ImportNode[] = [];
  for (const live of [...snapshot.nodes.values()].sort((a, b) => naturalCompare(a.name, b.name))) {
    const chosen = live.address[4] ?? live.address[6];
    if (!chosen) {
      diagnostics.push(
        diagnostic("NC7018", live.origin.span, {
          node: live.name,
          why: "no projectcalico.org address annotation and no InternalIP",
        }),
      );
      continue;
    }
    const second = live.address[4] && live.address[6];
    const v6 = second && { live, address: second.address, prefix: second.prefix, labels: {} };
    nodes.push({ live, address: chosen.address, prefix: chosen.prefix, labels: {}, v6 });
  }

  const subnets = [
    ...chooseSubnets(nodes, diagnostics, snapshot, ""),
    // A dual-stack node's IPv6 address sits in an IPv6 subnet: chosen the same way, apart.
    ...chooseSubnets(
      nodes.flatMap((n) => n.v6 ?? []),
      diagnostics,
      snapshot,
      "-ipv6",
    ),
  ];
  chooseLabels(nodes, snapshot.pools);
  const { groups, listed } = compress(nodes);
  const sources = snapshotSources(snapshot);

  const files = new Map<string, string>();
  files.set("netcompile.yaml", clusterFile(snapshot, sources));
  files.set("topology.yaml", topologyFile(snapshot, subnets, groups, listed, sources));
  files.set("ippools.yaml", poolsFile(snapshot, diagnostics));
  return {
    files,
    diagnostics,
    summary: {
      nodes: nodes.length,
      groups: groups.length,
      listed: listed.length,
      subnets: subnets.length,
      pools: snapshot.pools.length,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Subnets

function chooseSubnets(
  nodes: readonly ImportNode[],
  diagnostics: Diagnostic[],
  snapshot: LiveSnapshot,
  /** Appended to a zone's name (IPv6 subnets of dual-stack nodes share their nodes' zones). */
  zoneSuffix: string,
): ImportSubnet[] {
  const candidates = new Map<
    string,
    { cidr: Cidr; nodes: ImportNode[]; zones: Set<string | undefined> }
  >();
  for (const n of nodes) {
    const key = n.prefix.canonical;
    const c = candidates.get(key) ?? {
      cidr: makeCidr(n.prefix.version, n.prefix.start, n.prefix.prefix),
      nodes: [],
      zones: new Set<string | undefined>(),
    };
    c.nodes.push(n);
    c.zones.add(n.live.zone);
    candidates.set(key, c);
  }
  // Where detected networks overlap, one must win. A host prefix (a /32: no annotation, only
  // the InternalIP) says nothing of the subnet and comes last; a network whose nodes span
  // several zones is suspect (a subnet of AWS or Azure never does); then the one more nodes
  // detected, then the narrower (more boundaries, so more encapsulation required). The others'
  // nodes join the winner, and verify reports their prefixes.
  const host = (c: Cidr) => Number(c.prefix === (c.version === 4 ? 32 : 128));
  const ordered = [...candidates.values()].sort(
    (a, b) =>
      a.cidr.version - b.cidr.version ||
      host(a.cidr) - host(b.cidr) ||
      Number(a.zones.size > 1) - Number(b.zones.size > 1) ||
      b.nodes.length - a.nodes.length ||
      b.cidr.prefix - a.cidr.prefix ||
      (a.cidr.start < b.cidr.start ? -1 : a.cidr.start > b.cidr.start ? 1 : 0),
  );
  const accepted: ImportSubnet[] = [];
  const newSubnet = (cidr: Cidr): ImportSubnet => {
    const subnet: ImportSubnet = { cidr, nodes: [], name: "", zone: undefined, notes: [] };
    accepted.push(subnet);
    return subnet;
  };
  const place = (n: ImportNode, subnet: ImportSubnet) => {
    n.subnet = subnet;
    subnet.nodes.push(n);
  };
  for (const c of ordered) {
    const overlapping = accepted.filter((s) => cidrOverlaps(s.cidr, c.cidr));
    if (overlapping.length === 0) {
      const subnet = newSubnet(c.cidr);
      for (const n of c.nodes) place(n, subnet);
      continue;
    }
    let own = 0;
    for (const n of c.nodes) {
      const note = `${n.live.name} detected ${n.address.text}/${n.prefix.prefix}`;
      const inside = accepted.find((s) => cidrContainsAddress(s.cidr, n.address));
      if (inside) {
        place(n, inside);
        inside.notes.push(note);
        continue;
      }
      // Outside every subnet taken: a subnet of its own address, the safest guess (everything
      // it sends to a CrossSubnet pool is encapsulated).
      const subnet = newSubnet(
        makeCidr(n.address.version, n.address.value, n.address.version === 4 ? 32 : 128),
      );
      subnet.notes.push(note);
      place(n, subnet);
      own++;
    }
    for (const s of overlapping) {
      const wider = s.cidr.prefix < c.cidr.prefix;
      const first = must(c.nodes[0], "a detected subnet's first node");
      diagnostics.push(
        diagnostic(
          "NC7015",
          first.live.address[first.address.version]?.origin.span ?? fileSpan(snapshot.path),
          {
            wide: wider ? s.cidr.canonical : c.cidr.canonical,
            wideNodes: nodeCount(wider ? detected(s) : c.nodes),
            narrow: wider ? c.cidr.canonical : s.cidr.canonical,
            narrowNodes: nodeCount(wider ? c.nodes : detected(s)),
            chosen: s.cidr.canonical,
            placed:
              own === 0
                ? `the ${plural(c.nodes.length, "node")} that detected ${c.cidr.canonical} join it`
                : `${plural(own, "node")} outside it get a subnet of their own address`,
          },
        ),
      );
    }
  }

  accepted.sort(
    (a, b) =>
      a.cidr.version - b.cidr.version ||
      (a.cidr.start < b.cidr.start ? -1 : a.cidr.start > b.cidr.start ? 1 : 0),
  );
  // A subnet's zone is its nodes' zone label when they all share one; it names the subnet.
  for (const s of accepted) {
    const zones = new Set(s.nodes.map((n) => n.live.zone));
    s.zone = zones.size === 1 ? [...zones][0] : undefined;
    if (zones.size > 1)
      s.notes.push(
        `nodes of ${plural(zones.size, "zone")} (${[...zones].map((z) => z ?? "none").join(", ")}) detected this network, yet an AWS or Azure subnet never spans zones`,
      );
  }
  const perZone = new Map<string, number>();
  for (const s of accepted) if (s.zone) perZone.set(s.zone, (perZone.get(s.zone) ?? 0) + 1);
  for (const s of accepted) {
    const cidrName = s.cidr.canonical.replace(/[.:/]+/g, "-");
    s.name =
      s.zone && perZone.get(s.zone) === 1
        ? `${s.zone}${zoneSuffix}`
        : s.zone
          ? `${s.zone}-${cidrName}`
          : cidrName;
  }
  return accepted;
}

/** The nodes of a subnet that detected exactly its network. */
function detected(s: ImportSubnet): ImportNode[] {
  return s.nodes.filter((n) => n.prefix.canonical === s.cidr.canonical);
}

function nodeCount(nodes: readonly ImportNode[]): string {
  const names = nodes.map((n) => n.live.name);
  return `${plural(names.length, "node")}: ${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""}`;
}

// ---------------------------------------------------------------------------------------------
// Labels

/** The labels the model will see for a node: as written, plus the ones netcompile implies. */
function effective(
  n: ImportNode,
  written: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = { ...written };
  out[HOSTNAME_LABEL] ??= n.live.name;
  if (n.subnet?.zone !== undefined) out[ZONE_LABEL] ??= n.subnet.zone;
  return out;
}

/**
 * Writes the fewest labels that keep every pool's selection: start from every live label the
 * model does not imply, then drop each key (in sorted order) from every node while every pool
 * still selects exactly the nodes it selects live.
 */
function chooseLabels(nodes: readonly ImportNode[], pools: readonly LivePool[]): void {
  const withSelector = pools.filter((p) => p.nodeSelector);
  const wanted = nodes.map((n) => withSelector.map((p) => selects(p, n.live.labels)));
  for (const n of nodes) {
    const written: Record<string, string> = {};
    for (const [k, v] of Object.entries(n.live.labels)) {
      if (k === HOSTNAME_LABEL && v === n.live.name) continue;
      if (k === ZONE_LABEL && v === n.subnet?.zone) continue;
      written[k] = v;
    }
    n.labels = written;
  }
  // Every node matches at the start (the model re-adds what was left out, with the same value),
  // so dropping a key can only change the nodes that carry it.
  const keys = [...new Set(nodes.flatMap((n) => Object.keys(n.labels)))].sort();
  const without = (labels: Readonly<Record<string, string>>, dropped: ReadonlySet<string>) => {
    // Copied without `delete`, which would turn every label map into a slow dictionary.
    const rest: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) if (!dropped.has(k)) rest[k] = v;
    return rest;
  };
  // Keys no selector reads are dropped from every node at the end, in one copy per node.
  const unread = new Set<string>();
  for (const key of keys) {
    // Only a pool whose selector reads the key can select differently without it.
    const readers = withSelector.flatMap((p, j) =>
      p.nodeSelector?.labels.includes(key) ? [j] : [],
    );
    if (readers.length === 0) {
      unread.add(key);
      continue;
    }
    const dropped = new Set([key]);
    const changes = nodes.some((n, i) => {
      if (!(key in n.labels)) return false;
      const seen = effective(n, without(n.labels, dropped));
      const was = must(wanted[i], "the selection in the cluster");
      return readers.some((j) => selects(must(withSelector[j], "a pool"), seen) !== was[j]);
    });
    if (changes) continue;
    for (const n of nodes) if (key in n.labels) n.labels = without(n.labels, dropped);
  }
  if (unread.size > 0) for (const n of nodes) n.labels = without(n.labels, unread);
}

// ---------------------------------------------------------------------------------------------
// Node groups

interface Group {
  readonly prefix: string;
  readonly members: readonly ImportNode[];
}

/** Runs prefix1…prefixN (N >= 2) with consecutive addresses, one subnet and the same labels. */
function compress(nodes: readonly ImportNode[]): { groups: Group[]; listed: ImportNode[] } {
  const byName = new Map(nodes.map((n) => [n.live.name, n]));
  const grouped = new Set<ImportNode>();
  const groups: Group[] = [];
  const prefixes = [
    ...new Set(
      nodes.map((n) => /^(.*\D)1$/.exec(n.live.name)?.[1]).filter((p): p is string => !!p),
    ),
  ].sort(naturalCompare);
  for (const prefix of prefixes) {
    const first = must(byName.get(`${prefix}1`), `node ${prefix}1`);
    const members = [first];
    for (let i = 2; ; i++) {
      const next = byName.get(`${prefix}${i}`);
      const expected = addressPlus(first.address, BigInt(i - 1));
      if (
        !next ||
        grouped.has(next) ||
        !expected ||
        next.address.value !== expected.value ||
        next.address.version !== expected.version ||
        next.subnet !== first.subnet ||
        !sameSecond(first, next, i - 1) ||
        !sameLabels(next.labels, first.labels)
      )
        break;
      members.push(next);
    }
    if (members.length < 2 || grouped.has(first)) continue;
    for (const m of members) grouped.add(m);
    groups.push({ prefix, members });
  }
  return { groups, listed: nodes.filter((n) => !grouped.has(n)) };
}

/** Both without an IPv6 address beside the IPv4 one, or both with one, `steps` apart in one subnet. */
function sameSecond(first: ImportNode, next: ImportNode, steps: number): boolean {
  if (!first.v6 || !next.v6) return !first.v6 && !next.v6;
  const expected = addressPlus(first.v6.address, BigInt(steps));
  return next.v6.address.value === expected?.value && next.v6.subnet === first.v6.subnet;
}

function sameLabels(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => b[k] === a[k]);
}

// ---------------------------------------------------------------------------------------------
// Files

function snapshotSources(snapshot: LiveSnapshot): string {
  return snapshot.files.join(", ");
}

const q = yamlScalar;

/** Comment lines, wrapped at 100 columns; text from the snapshot never breaks out of them. */
function comment(text: string, indent = ""): string[] {
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    // Escaped as for a terminal: no line break of any YAML version, no control character.
    for (const word of terminalText(paragraph).split(" ")) {
      if (line && indent.length + 2 + line.length + 1 + word.length > 100) {
        out.push(`${indent}# ${line}`);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(`${indent}# ${line}`);
  }
  return out;
}

/** The provider named by the nodes' spec.providerID scheme (all the same), else undefined. */
function providerOf(snapshot: LiveSnapshot): Provider | undefined {
  const schemes = new Set(
    [...snapshot.nodes.values()].map((n) => /^([a-z0-9]+):\/\//.exec(n.providerID ?? "")?.[1]),
  );
  if (schemes.size !== 1) return undefined;
  const scheme = [...schemes][0];
  const known: Record<string, Provider> = {
    aws: "aws",
    gce: "gcp",
    azure: "azure",
    openstack: "openstack",
  };
  return scheme ? known[scheme] : undefined;
}

/** The largest encapsulation header among the enabled live pools (0 without encapsulation). */
function largestOverhead(pools: readonly LivePool[]): { bytes: number; what: string } {
  let best = { bytes: 0, what: "no encapsulation" };
  for (const p of pools) {
    if (p.disabled) continue;
    const v6 = p.cidr?.version === 6;
    const candidates: [number, string][] = [];
    if (p.vxlanMode !== "Never")
      candidates.push(
        v6 ? [ENCAP_OVERHEAD["vxlan-v6"], "VXLAN over IPv6"] : [ENCAP_OVERHEAD.vxlan, "VXLAN"],
      );
    if (p.ipipMode !== "Never") candidates.push([ENCAP_OVERHEAD.ipip, "IP-in-IP"]);
    for (const [bytes, what] of candidates) if (bytes > best.bytes) best = { bytes, what };
  }
  return best;
}

function clusterFile(snapshot: LiveSnapshot, sources: string): string {
  const provider = providerOf(snapshot);
  const config = snapshot.calicoConfig;
  const lines: string[] = [
    ...comment(`Imported by netcompile import from the live snapshot ${sources}.`),
    ...comment(
      "Lines marked CHECK hold a safe choice where the snapshot cannot tell: review them.",
    ),
    "apiVersion: netcompile.dev/v1alpha1",
    "kind: Cluster",
    "metadata:",
    ...comment("CHECK: the snapshot does not name the cluster.", "  "),
    "  name: imported",
    "spec:",
  ];
  if (provider) {
    lines.push(...comment("From the nodes' spec.providerID.", "  "), `  provider: ${q(provider)}`);
  } else {
    lines.push(
      ...comment(
        "CHECK: the nodes' spec.providerID names no provider netcompile knows; set aws, azure,",
        "  ",
      ),
      ...comment("gcp, openstack or bare-metal so that the provider's rules apply.", "  "),
      `  provider: ${q(CLUSTER_DEFAULTS.provider)}`,
    );
  }
  if (config) {
    lines.push(
      ...comment(
        `Calico's manifest install: the calico-config ConfigMap is there (${config.snapshotFile}).`,
        "  ",
      ),
      "  install: manifest",
    );
  } else {
    lines.push(
      ...comment(
        "CHECK: the snapshot has no calico-config ConfigMap; if the Tigera operator installs",
        "  ",
      ),
      ...comment("Calico (kubectl get installation default), set install: operator.", "  "),
      "  install: manifest",
    );
  }
  lines.push("  networking:");
  const backend = config?.backend?.value;
  if (config && (backend === "bird" || backend === "vxlan" || backend === "none")) {
    lines.push(
      ...comment(`calico-config calico_backend (${config.snapshotFile}).`, "    "),
      `    backend: ${q(backend)}`,
    );
  }
  const veth = config?.vethMTU?.value;
  const overhead = largestOverhead(snapshot.pools);
  if (veth !== undefined && veth > 0) {
    lines.push(
      ...comment(
        `calico-config veth_mtu is ${veth}; with ${overhead.what} (${overhead.bytes} bytes) the underlay carries at`,
        "    ",
      ),
      ...comment(
        `least ${veth + overhead.bytes}. CHECK your network's MTU (AWS 9001, GCP 1460, Azure 1500).`,
        "    ",
      ),
      `    underlayMTU: ${veth + overhead.bytes}`,
    );
  } else {
    const safe = provider === "gcp" ? PROVIDERS.gcp.underlayMTU.mtu : ETHERNET_MTU;
    lines.push(
      ...comment(
        `CHECK: ${veth === 0 ? "calico-config veth_mtu is 0: Felix detects the MTU from the host's interfaces" : "the snapshot does not give the MTU"};`,
        "    ",
      ),
      ...comment(
        `${safe} is the safe choice${provider === "gcp" ? " on GCP" : ""}: set your network's (AWS 9001, GCP 1460, Azure 1500).`,
        "    ",
      ),
      `    underlayMTU: ${safe}`,
    );
  }
  lines.push(
    ...comment(
      "CHECK: add networking.serviceCIDRs (kube-apiserver --service-cluster-ip-range) so that",
      "    ",
    ),
    ...comment("pools are checked against it; the snapshot does not hold it.", "    "),
    "  hostNetwork:",
    ...comment("Calico runs on the nodes: Felix owns the tunnels and routes.", "    "),
    "    mode: calico",
    "",
  );
  return lines.join("\n");
}

function topologyFile(
  snapshot: LiveSnapshot,
  subnets: readonly ImportSubnet[],
  groups: readonly Group[],
  listed: readonly ImportNode[],
  sources: string,
): string {
  const nodeFiles = [...new Set([...snapshot.nodes.values()].flatMap((n) => n.snapshotFiles))]
    .sort()
    .join(", ");
  const dualStack = [...snapshot.nodes.values()].some((n) => n.address[4] && n.address[6]);
  const routed = routedPool(snapshot, subnets);
  const lines: string[] = [
    ...comment(
      `Imported by netcompile import from the live snapshot ${sources}; nodes from ${nodeFiles}.`,
    ),
    ...comment("Subnets are the networks calico-node detected on the nodes (the /NN of"),
    ...comment(
      "projectcalico.org/IPv4Address), named after the nodes' topology.kubernetes.io/zone.",
    ),
    ...comment(
      "Labels: only those the IPPools' nodeSelectors need; kubernetes.io/hostname and the",
    ),
    ...comment("subnet's zone are implied."),
    ...comment(
      "CHECK: the snapshot does not say which interface carries a node's address: eth0 (the",
    ),
    ...comment(
      "default) is assumed; set interface on the node groups and nodes (ip -br addr on a node).",
    ),
    ...(dualStack
      ? comment(
          "The nodes are dual-stack: their IPv6 address (projectcalico.org/IPv6Address) is written\nas addressV6, in the IPv6 subnets they detected (subnetV6 and firstAddressV6 for groups).",
        )
      : []),
    "apiVersion: netcompile.dev/v1alpha1",
    "kind: Topology",
    "metadata:",
    "  name: imported",
    "spec:",
    "  underlay:",
    ...(routed
      ? [
          ...comment(
            `IPPool ${routed.pool} sends pods' packets unencapsulated between ${routed.subnets}, and the`,
            "    ",
          ),
          ...comment(
            "cluster works only if your routers route pod addresses (BGP peering or static",
            "    ",
          ),
          ...comment("routes). CHECK that they do.", "    "),
          "    routesWorkloadIPs: true",
        ]
      : [
          ...comment(
            "CHECK: the snapshot cannot tell whether routers between subnets route pod addresses;",
            "    ",
          ),
          ...comment(
            "false (the safe choice) makes netcompile require encapsulation between subnets.",
            "    ",
          ),
          "    routesWorkloadIPs: false",
        ]),
    "  subnets:",
  ];
  for (const s of subnets) {
    lines.push(
      ...comment(`${plural(s.nodes.length, "node")}${s.zone ? `, zone ${s.zone}` : ""}.`, "    "),
      ...s.notes.slice(0, 5).flatMap((note) => comment(`CHECK: ${note}.`, "    ")),
      ...(s.notes.length > 5 ? comment(`… and ${s.notes.length - 5} more.`, "    ") : []),
      `    - name: ${q(s.name)}`,
      `      cidr: ${q(s.cidr.canonical)}`,
      ...(s.zone !== undefined ? [`      zone: ${q(s.zone)}`] : []),
    );
  }
  if (groups.length) {
    lines.push("  nodeGroups:");
    for (const g of groups) {
      const first = must(g.members[0], "a node group's first node");
      const last = must(g.members.at(-1), "a node group's last node");
      lines.push(
        ...comment(
          `${first.live.name} … ${last.live.name} (${first.live.snapshotFiles.join(", ")}).`,
          "    ",
        ),
        `    - namePrefix: ${q(g.prefix)}`,
        `      count: ${g.members.length}`,
        `      subnet: ${q(must(first.subnet, `${first.live.name}'s subnet`).name)}`,
        `      firstAddress: ${q(first.address.text)}`,
        ...(first.v6
          ? [
              `      subnetV6: ${q(must(first.v6.subnet, `${first.live.name}'s IPv6 subnet`).name)}`,
              `      firstAddressV6: ${q(first.v6.address.text)}`,
            ]
          : []),
        ...labelLines(first.labels, "      "),
      );
    }
  }
  if (listed.length) {
    lines.push("  nodes:");
    for (const n of listed) {
      lines.push(
        `    - name: ${q(n.live.name)}`,
        `      address: ${q(n.address.text)}`,
        ...(n.v6 ? [`      addressV6: ${q(n.v6.address.text)}`] : []),
        ...labelLines(n.labels, "      "),
      );
    }
  }
  lines.push("");
  return lines.join("\n");
}

function labelLines(labels: Readonly<Record<string, string>>, indent: string): string[] {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return [];
  return [`${indent}labels:`, ...keys.map((k) => `${indent}  ${q(k)}: ${q(labels[k])}`)];
}

/** An enabled unencapsulated pool serving nodes in two or more subnets: the underlay routes pods. */
function routedPool(
  snapshot: LiveSnapshot,
  subnets: readonly ImportSubnet[],
): { pool: string; subnets: string } | undefined {
  for (const p of snapshot.pools) {
    if (
      p.disabled ||
      p.ipipMode !== "Never" ||
      p.vxlanMode !== "Never" ||
      !p.allowedUses.includes("Workload")
    )
      continue;
    const served = subnets.filter(
      (s) => s.cidr.version === p.cidr?.version && s.nodes.some((n) => selects(p, n.live.labels)),
    );
    if (served.length >= 2)
      return {
        pool: p.name,
        subnets: `${served
          .slice(0, 3)
          .map((s) => s.name)
          .join(", ")}${served.length > 3 ? ", …" : ""}`,
      };
  }
  return undefined;
}

/** IPPool spec fields in the order of Calico's IPPoolSpec (api/pkg/apis/projectcalico/v3/ippool.go). */
const POOL_FIELDS: readonly { readonly name: string; readonly ok: (v: unknown) => boolean }[] = [
  { name: "cidr", ok: (v) => typeof v === "string" },
  { name: "vxlanMode", ok: (v) => v === "Never" || v === "Always" || v === "CrossSubnet" },
  { name: "ipipMode", ok: (v) => v === "Never" || v === "Always" || v === "CrossSubnet" },
  { name: "natOutgoing", ok: (v) => typeof v === "boolean" },
  { name: "disabled", ok: (v) => typeof v === "boolean" },
  { name: "disableBGPExport", ok: (v) => typeof v === "boolean" },
  {
    name: "blockSize",
    ok: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 128,
  },
  { name: "nodeSelector", ok: (v) => typeof v === "string" },
  { name: "namespaceSelector", ok: (v) => typeof v === "string" },
  {
    name: "allowedUses",
    ok: (v) =>
      Array.isArray(v) &&
      v.every((u) => u === "Workload" || u === "Tunnel" || u === "LoadBalancer"),
  },
  { name: "assignmentMode", ok: (v) => v === "Automatic" || v === "Manual" },
];

function poolsFile(snapshot: LiveSnapshot, diagnostics: Diagnostic[]): string {
  const pools = [...snapshot.pools].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  const docs: string[] = [];
  for (const p of pools) {
    const lines = [
      ...comment(
        `From ${p.snapshotFile} (${p.apiVersion} IPPool ${p.name}); server-side fields removed.`,
      ),
      "apiVersion: projectcalico.org/v3",
      "kind: IPPool",
      "metadata:",
      `  name: ${q(p.name)}`,
    ];
    const annotations = Object.keys(p.annotations)
      .filter((k) => !SERVER_ANNOTATIONS.includes(k))
      .sort();
    if (Object.keys(p.labels).length) lines.push(...labelLines(p.labels, "  "));
    if (annotations.length) {
      lines.push(
        "  annotations:",
        ...annotations.map((k) => `    ${q(k)}: ${q(p.annotations[k])}`),
      );
    }
    lines.push("spec:");
    for (const f of POOL_FIELDS) {
      const value = p.spec[f.name];
      if (value === undefined) continue;
      if (!f.ok(value)) {
        diagnostics.push(
          diagnostic("NC7014", p.source.at(["spec", f.name]), {
            pool: p.name,
            field: `spec.${f.name}`,
            why: `${JSON.stringify(value)} is not a value Calico's IPPool takes`,
          }),
        );
        continue;
      }
      if (Array.isArray(value)) lines.push(`  ${f.name}:`, ...value.map((v) => `    - ${q(v)}`));
      else lines.push(`  ${f.name}: ${q(value)}`);
    }
    for (const key of Object.keys(p.spec).sort()) {
      if (POOL_FIELDS.some((f) => f.name === key)) continue;
      diagnostics.push(
        diagnostic("NC7014", p.source.keyAt(["spec", key]), {
          pool: p.name,
          field: `spec.${key}`,
          why:
            key === "ipip" || key === "nat-outgoing"
              ? "it is Calico's API v1 compatibility field, which Calico's own validation rejects on create (use ipipMode and natOutgoing)"
              : "netcompile's IPPool schema does not know it",
        }),
      );
    }
    docs.push(`${lines.join("\n")}\n`);
  }
  if (docs.length === 0) {
    return `${comment("The snapshot holds no IPPool (calicoctl get ippools -o yaml): none is written.").join("\n")}\n`;
  }
  return docs.join("---\n");
}
