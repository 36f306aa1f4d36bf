/**
 * Disruption analysis: which differences between the base and the repository break traffic,
 * for whom, and where in the repository the change is. Runs on the two sides' facts (models,
 * or a reconstruction from rendered manifests), never on rendered text.
 */
import type { RelatedLocation, Span } from "../diagnostics/types.js";
import type { Model } from "../model/types.js";
import { encapsulationName, type NetworkFacts, type PoolFacts } from "./facts.js";
import type { ModelDiff } from "./model-diff.js";
import { naturalCompare, plural } from "../util/text.js";
import type { PlanFinding } from "./plan-rule.js";
import type { Action, Affected, ChangeKey, Disruption, DisruptionKind } from "./types.js";

/** What a disruption is about in the list of changes: objects by kind (and name), or host files. */
export type Target =
  | { readonly kind: string; readonly name?: string }
  | { readonly hostFilesOf: readonly string[]; readonly action?: Action };

export interface Finding {
  readonly disruption: Disruption;
  readonly targets: readonly Target[];
}

const CALICO_WARNING =
  "Calico: switching encapsulation modes can cause disruption to in-progress connections";

export function analyseDisruptions(
  base: NetworkFacts,
  current: NetworkFacts & { readonly model: Model },
  diff: ModelDiff,
  planFindings: readonly PlanFinding[],
): Finding[] {
  const ctx = new Context(base, current);
  const out: Finding[] = [];
  for (const finding of planFindings) out.push(ctx.fromPlanRule(finding));
  for (const change of diff.poolsChanged) {
    const f = ctx.encapsulationSwitch(change.before, change.after);
    if (f) out.push(f);
    const d = ctx.poolDisabled(change.before, change.after);
    if (d) out.push(d);
  }
  for (const pool of diff.poolsRemoved) {
    const f = ctx.poolRemoved(pool);
    if (f) out.push(f);
  }
  if (diff.backend) out.push(ctx.backendChange(diff.backend.before, diff.backend.after, diff));
  if (diff.vxlanPort) out.push(...ctx.vxlanChange("port", diff.vxlanPort));
  if (diff.vxlanVNI) out.push(...ctx.vxlanChange("vni", diff.vxlanVNI));
  if (diff.podMTU && diff.podMTU.after < diff.podMTU.before)
    out.push(ctx.mtuDecrease(diff.podMTU.before, diff.podMTU.after, diff));
  for (const subnet of diff.subnetMTUs) {
    if (subnet.after < subnet.before && subnet.nodes.length > 0)
      out.push(ctx.underlayMTUDecrease(subnet.name, subnet.before, subnet.after, subnet.nodes));
  }
  if (diff.nodesRemoved?.length) out.push(...ctx.nodesRemoved(diff.nodesRemoved));
  return out;
}

class Context {
  private readonly groupOf = new Map<string, string>();
  private readonly subnetOf = new Map<string, string>();
  private readonly model: Model;

  constructor(
    private readonly base: NetworkFacts,
    private readonly current: NetworkFacts & { readonly model: Model },
  ) {
    this.model = current.model;
    for (const side of [base, current]) {
      for (const node of side.nodes?.values() ?? []) {
        if (!this.groupOf.has(node.name)) this.groupOf.set(node.name, node.group ?? "");
        if (node.subnet && !this.subnetOf.has(node.name)) this.subnetOf.set(node.name, node.subnet);
      }
    }
  }

  private get clusterResource(): string {
    return `Cluster/${this.model.cluster.metadata.name}`;
  }

  /** Where an acknowledgement goes: for changes whose own location is gone from the repository. */
  private get ackSpan(): Span {
    return this.model.cluster.source.keyAt(["spec", "acknowledgements"]);
  }

  private make(
    kind: DisruptionKind | string,
    change: ChangeKey,
    text: { title: string; breaks: string; steps?: readonly string[] },
    who: { pools?: readonly string[]; nodes: Iterable<string> },
    span: Span,
    targets: readonly Target[],
    extra: { code?: string; acknowledgeable?: boolean; related?: readonly RelatedLocation[] } = {},
  ): Finding {
    return {
      disruption: {
        kind,
        code: extra.code ?? "NC6001",
        change,
        title: text.title,
        breaks: text.breaks,
        steps: text.steps ?? [],
        affected: this.affected(who.pools ?? [], who.nodes),
        acknowledgeable: extra.acknowledgeable ?? true,
        span,
        related: extra.related ?? [],
        addresses: [],
        acknowledged: undefined,
      },
      targets,
    };
  }

  affected(pools: readonly string[], nodes: Iterable<string>): Affected {
    const names = [...new Set(nodes)].sort(naturalCompare);
    const perGroup = new Map<string, number>();
    for (const n of names) {
      const g = this.groupOf.get(n) ?? "";
      perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
    }
    return {
      pools: [...pools].sort(naturalCompare),
      nodes: names.length,
      nodeGroups: [...perGroup.entries()]
        .sort((a, b) => naturalCompare(a[0], b[0]))
        .map(([group, count]) => ({ group, nodes: count })),
      nodeNames: names,
    };
  }

  /** "12 nodes (worker-: 10, 2 listed)". */
  private who(nodes: Iterable<string>): string {
    const a = this.affected([], nodes);
    if (a.nodes === 0) return "no node";
    const groups = a.nodeGroups.filter((g) => g.group !== "");
    const parts = a.nodeGroups.map((g) =>
      g.group === "" ? `${g.nodes} listed` : `${g.group}*: ${g.nodes}`,
    );
    const head = plural(a.nodes, "node");
    if (a.nodes <= 3) return `${head} (${a.nodeNames.join(", ")})`;
    return groups.length ? `${head} (${parts.join(", ")})` : head;
  }

  fromPlanRule(finding: PlanFinding): Finding {
    const { report } = finding;
    const data = report.data ?? {};
    const resource = report.resource!;
    const name = resource.slice(resource.indexOf("/") + 1);
    const pool = this.current.pools.get(name) ?? this.base.pools.get(name);
    const nodes = [...(this.base.pools.get(name)?.nodes ?? []), ...(pool?.nodes ?? [])];
    const change = {
      resource,
      field: String(data.field),
      from: String(data.before),
      to: String(data.after),
    };
    return this.make(
      finding.rule.id,
      change,
      {
        title: `${resource}: ${change.field} ${change.from} -> ${change.to}`,
        breaks: finding.message,
      },
      { pools: [name], nodes },
      report.span,
      [{ kind: resource.slice(0, resource.indexOf("/")), name }],
      { code: finding.rule.id, acknowledgeable: false, related: report.related ?? [] },
    );
  }

  encapsulationSwitch(before: PoolFacts, after: PoolFacts): Finding | undefined {
    const from = encapsulationName(before);
    const to = encapsulationName(after);
    if (from === to || before.disabled || after.disabled) return undefined;
    const nodes = new Set([...(before.nodes ?? []), ...(after.nodes ?? [])]);
    const tunnel = (e: string) =>
      e.startsWith("IPIP") ? "ipip" : e.startsWith("VXLAN") ? "vxlan" : "none";
    const mode = (e: string) =>
      e === "None" ? "Never" : e.endsWith("CrossSubnet") ? "CrossSubnet" : "Always";
    const device = { ipip: "IP-in-IP (tunl0)", vxlan: "VXLAN (vxlan.calico)", none: "no tunnel" };
    const pairs = this.sameSubnetPairs(nodes);
    const pool = `pool ${after.name}`;
    let breaks: string;
    if (tunnel(from) !== "none" && tunnel(to) !== "none" && tunnel(from) !== tunnel(to)) {
      breaks =
        `every node of ${pool} replaces ${device[tunnel(from)]} with ${device[tunnel(to)]} and reprograms its routes: ` +
        `in-progress connections between its workloads on ${this.who(nodes)} are disrupted`;
    } else if (tunnel(from) === "none" || tunnel(to) === "none") {
      const starts = tunnel(from) === "none";
      breaks =
        `traffic of ${pool} between nodes ${starts ? "starts" : "stops"} being encapsulated` +
        `${mode(starts ? to : from) === "CrossSubnet" ? " across subnets" : ""}: in-progress connections between its workloads on ` +
        `${this.who(nodes)} are disrupted` +
        (starts ? "" : "; across subnets it then works only when the underlay routes workload IPs");
    } else {
      const toAlways = mode(to) === "Always";
      breaks =
        `traffic of ${pool} between nodes in the same subnet ${toAlways ? "starts" : "stops"} going through the tunnel: ` +
        `in-progress connections between its workloads on ${pairs === undefined ? "nodes" : plural(pairs, "node pair")} ` +
        `that share a subnet are disrupted, among ${this.who(nodes)}; traffic across subnets keeps the tunnel`;
    }
    const source = this.current.pools.get(after.name)?.source;
    const changedField =
      before.vxlanMode !== after.vxlanMode && after.vxlanMode !== "Never"
        ? "vxlanMode"
        : before.ipipMode !== after.ipipMode && after.ipipMode !== "Never"
          ? "ipipMode"
          : before.ipipMode !== after.ipipMode
            ? "ipipMode"
            : "vxlanMode";
    return this.make(
      "encapsulation-switch",
      { resource: `IPPool/${after.name}`, field: "encapsulation", from, to },
      {
        title: `IPPool/${after.name}: encapsulation ${from} -> ${to}`,
        breaks: `${breaks} (${CALICO_WARNING})`,
        steps: [
          "Apply it when connection resets are acceptable (a maintenance window): long-lived connections must reconnect.",
        ],
      },
      { pools: [after.name], nodes },
      source ? source.at(["spec", changedField]) : this.ackSpan,
      [{ kind: "IPPool", name: after.name }, { kind: "Installation" }],
    );
  }

  /** Pairs of nodes inside one subnet, or undefined when subnets are unknown. */
  private sameSubnetPairs(nodes: Iterable<string>): number | undefined {
    const counts = new Map<string, number>();
    for (const n of nodes) {
      const s = this.subnetOf.get(n);
      if (s === undefined) return undefined;
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    let pairs = 0;
    for (const k of counts.values()) pairs += (k * (k - 1)) / 2;
    return pairs;
  }

  poolDisabled(before: PoolFacts, after: PoolFacts): Finding | undefined {
    if (before.disabled || !after.disabled) return undefined;
    // Disabling is the normal migration step; it breaks only nodes left with no pool at all.
    const covered = new Set<string>();
    for (const p of this.current.pools.values()) {
      if (!p.disabled && p.version === after.version) for (const n of p.nodes ?? []) covered.add(n);
    }
    const stranded = (before.nodes ?? []).filter((n) => !covered.has(n));
    if (stranded.length === 0) return undefined;
    const source = this.current.pools.get(after.name)?.source;
    return this.make(
      "pool-disabled",
      { resource: `IPPool/${after.name}`, field: "spec.disabled", from: "false", to: "true" },
      {
        title: `IPPool/${after.name}: disabled`,
        breaks:
          `new workloads on ${this.who(stranded)} cannot get an IPv${after.version ?? 4} address: ` +
          `no other enabled pool selects them (existing workloads keep theirs)`,
        steps: [`Add or widen another pool for these nodes first, then disable ${after.name}.`],
      },
      { pools: [after.name], nodes: stranded },
      source ? source.at(["spec", "disabled"]) : this.ackSpan,
      [{ kind: "IPPool", name: after.name }, { kind: "Installation" }],
    );
  }

  poolRemoved(pool: PoolFacts): Finding | undefined {
    if (pool.disabled) return undefined; // removing a disabled pool is the migration's last step
    const nodes = pool.nodes ?? [];
    const related: RelatedLocation[] = pool.source
      ? [
          {
            ...pool.source.at(["metadata", "name"]),
            message: `the base defines IPPool ${pool.name} here`,
          },
        ]
      : [];
    return this.make(
      "pool-removed",
      { resource: `IPPool/${pool.name}`, field: "state", from: "present", to: "absent" },
      {
        title: `IPPool/${pool.name}: deleted while enabled`,
        breaks:
          `workloads on ${pool.nodes ? this.who(nodes) : "the nodes it selects"} that hold addresses from ${pool.cidr} ` +
          `lose their pool: its routes, encapsulation and outgoing NAT go, and its IPAM blocks are orphaned`,
        steps: [
          `Set disabled: true on ${pool.name} first (keep it).`,
          "Recreate the workloads so they take addresses from another pool.",
          `Delete ${pool.name} in a later change, once no workload uses it.`,
        ],
      },
      { pools: [pool.name], nodes },
      this.ackSpan,
      [{ kind: "IPPool", name: pool.name }, { kind: "Installation" }],
      { related },
    );
  }

  backendChange(from: string, to: string, diff: ModelDiff): Finding {
    const all = this.allNodes();
    const who = this.who(all);
    const breaks =
      from === "bird"
        ? `BIRD stops on ${who}: every BGP session drops and the routes it carried are withdrawn` +
          (to === "none" ? "; no routes between nodes are programmed after it" : "") +
          "; calico-node restarts on each node (rolling update)"
        : to === "bird"
          ? `calico-node restarts on ${who} to start BIRD; the nodes then open BGP sessions (TCP 179 must be allowed between them)`
          : `calico-node restarts on ${who}; ${to === "none" ? "no routes between nodes are programmed after it" : "VXLAN routes replace the previous ones"}`;
    const cluster = this.model.cluster;
    const explicit = !cluster.backendDerived;
    const causePool = diff.poolsChanged.find(
      (c) => encapsulationName(c.before) !== encapsulationName(c.after),
    )?.after.name;
    const span = explicit
      ? cluster.source.at(["spec", "networking", "backend"])
      : (this.poolFieldSpan(causePool) ?? this.ackSpan);
    return this.make(
      "backend-change",
      { resource: this.clusterResource, field: "networking.backend", from, to },
      {
        title: `networking backend ${from} -> ${to}${explicit ? "" : " (derived from the pools)"}`,
        breaks,
        steps: ["Apply it in a maintenance window; watch calico-node roll out node by node."],
      },
      { nodes: all },
      span,
      [
        { kind: "ConfigMap", name: "calico-config" },
        { kind: "Installation" },
        { kind: "DaemonSet", name: "calico-node" },
      ],
    );
  }

  vxlanChange(which: "port" | "vni", change: { before: number; after: number }): Finding[] {
    const vxlanNodes = new Set<string>();
    let used = false;
    for (const side of [this.base, this.current]) {
      for (const p of side.pools.values()) {
        if (p.disabled || p.vxlanMode === "Never") continue;
        used = true;
        for (const n of p.nodes ?? []) vxlanNodes.add(n);
      }
    }
    if (!used) return [];
    const field = which === "port" ? "vxlanPort" : "vxlanVNI";
    const what =
      which === "port"
        ? `UDP port ${change.before} -> ${change.after}`
        : `VNI ${change.before} -> ${change.after}`;
    const breaks =
      which === "port"
        ? `VXLAN traffic between ${this.who(vxlanNodes)} drops while Felix moves them from UDP ${change.before} to ${change.after}: ` +
          `nodes on the old and the new port cannot reach each other; firewalls and cloud security groups must allow UDP ${change.after} first`
        : `VXLAN traffic between ${this.who(vxlanNodes)} drops while Felix moves them to VNI ${change.after}: ` +
          `nodes on the old and the new VNI discard each other's packets until all have the new one`;
    return [
      this.make(
        which === "port" ? "vxlan-port-change" : "vxlan-vni-change",
        {
          resource: this.clusterResource,
          field: `networking.${field}`,
          from: String(change.before),
          to: String(change.after),
        },
        { title: `VXLAN ${what}`, breaks },
        { nodes: vxlanNodes },
        this.model.cluster.source.at(["spec", "networking", field]),
        [{ kind: "FelixConfiguration" }, { kind: "Installation" }],
      ),
    ];
  }

  mtuDecrease(from: number, to: number, diff: ModelDiff): Finding {
    const all = this.allNodes();
    const cluster = this.model.cluster;
    const subnet = diff.subnetMTUs.find((s) => s.after < s.before);
    const tunnelPool = diff.poolsChanged.find(
      (c) => encapsulationName(c.before) !== encapsulationName(c.after),
    )?.after.name;
    const span =
      cluster.podMTU !== undefined
        ? cluster.source.at(["spec", "networking", "podMTU"])
        : subnet
          ? this.subnetMTUSpan(subnet.name)
          : (this.poolFieldSpan(tunnelPool) ?? cluster.source.at(["spec", "networking"]));
    return this.make(
      "mtu-decrease",
      {
        resource: this.clusterResource,
        field: "networking.podMTU",
        from: String(from),
        to: String(to),
      },
      {
        title: `workload MTU ${from} -> ${to}${cluster.podMTU === undefined ? " (derived)" : ""}`,
        breaks:
          `workloads created before the change keep MTU ${from} on their interfaces until they are recreated; ` +
          `their packets larger than ${to} bytes are dropped or fragmented on ${this.who(all)} ` +
          "(path MTU discovery fails where ICMP is filtered)",
        steps: ["Recreate (roll) the workloads once calico-node has rolled out."],
      },
      { nodes: all },
      span,
      [{ kind: "ConfigMap", name: "calico-config" }, { kind: "Installation" }],
    );
  }

  underlayMTUDecrease(subnet: string, from: number, to: number, nodes: readonly string[]): Finding {
    return this.make(
      "underlay-mtu-decrease",
      { resource: `Subnet/${subnet}`, field: "mtu", from: String(from), to: String(to) },
      {
        title: `subnet ${subnet}: underlay MTU ${from} -> ${to}`,
        breaks:
          `the interfaces of ${this.who(nodes)} in subnet ${subnet} drop to MTU ${to} when their host network files are applied: ` +
          `tunnels and workloads sized for ${from} lose their large packets until they are recreated`,
      },
      { nodes },
      this.subnetMTUSpan(subnet),
      [{ hostFilesOf: nodes, action: "update" }],
    );
  }

  nodesRemoved(removed: readonly { name: string; group: string | undefined }[]): Finding[] {
    const out: Finding[] = [];
    const byGroup = new Map<string, string[]>();
    for (const n of removed) {
      const g = n.group ?? "";
      const names = byGroup.get(g);
      if (names) names.push(n.name);
      else byGroup.set(g, [n.name]);
    }
    const topology = this.model.topology.sources[0];
    const breaks = (names: readonly string[]) =>
      `${this.who(names)} leave${names.length === 1 ? "s" : ""} the topology: ${names.length === 1 ? "its" : "their"} host network files are deleted ` +
      "and Calico stops routing to them; workloads still running there lose their network";
    const steps = [
      "Drain the nodes (kubectl drain) and remove them from the cluster before this change is applied.",
    ];
    for (const [group, names] of [...byGroup.entries()].sort((a, b) =>
      naturalCompare(a[0], b[0]),
    )) {
      if (group !== "") {
        const baseCount = [...(this.base.nodes?.values() ?? [])].filter(
          (n) => n.group === group,
        ).length;
        const nowCount = [...(this.current.nodes?.values() ?? [])].filter(
          (n) => n.group === group,
        ).length;
        const index = this.model.topology.nodeGroups.findIndex((g) => g.namePrefix === group);
        const span =
          index >= 0
            ? this.model.topology.nodeGroups[index]!.source.at(["count"])
            : (topology?.keyAt(["spec", "nodeGroups"]) ?? this.ackSpan);
        out.push(
          this.make(
            "node-removed",
            {
              resource: `NodeGroup/${group}`,
              field: "count",
              from: String(baseCount),
              to: String(nowCount),
            },
            {
              title: `node group ${group}: ${plural(names.length, "node")} removed (${baseCount} -> ${nowCount})`,
              breaks: breaks(names),
              steps,
            },
            { nodes: names },
            span,
            [{ hostFilesOf: names, action: "delete" }],
          ),
        );
      } else {
        for (const name of names) {
          out.push(
            this.make(
              "node-removed",
              { resource: `Node/${name}`, field: "state", from: "present", to: "absent" },
              { title: `node ${name} removed`, breaks: breaks([name]), steps },
              { nodes: [name] },
              topology?.keyAt(["spec", "nodes"]) ?? this.ackSpan,
              [{ hostFilesOf: [name], action: "delete" }],
            ),
          );
        }
      }
    }
    return out;
  }

  private allNodes(): string[] {
    return [...(this.current.nodes?.keys() ?? []), ...(this.base.nodes?.keys() ?? [])];
  }

  private poolFieldSpan(name: string | undefined): Span | undefined {
    if (name === undefined) return undefined;
    const pool = this.current.pools.get(name);
    if (!pool?.source) return undefined;
    const field = pool.vxlanMode !== "Never" ? "vxlanMode" : "ipipMode";
    return pool.source.at(["spec", field]);
  }

  private subnetMTUSpan(name: string): Span {
    const subnet = this.model.topology.subnets.find((s) => s.name === name);
    if (subnet?.mtuExplicit) return subnet.source.at(["mtu"]);
    return this.model.cluster.source.at(["spec", "networking", "underlayMTU"]);
  }
}
