/**
 * Disruption analysis: which differences between the base and the repository break traffic,
 * for whom, and where in the repository the change is. The plan rules (registry, scope plan)
 * find them, one module per kind; this runs them on the two sides' facts (models, or a
 * reconstruction from rendered manifests), never on rendered text, and builds each finding's
 * disruption from the rule's report.
 */
import { catalog } from "../diagnostics/catalog.js";
import type { RelatedLocation, Severity, Span } from "../diagnostics/types.js";
import { encapsulationName, type ModelDiff, type NetworkFacts } from "../model/facts.js";
import type { Model } from "../model/types.js";
import type { PlanReport, PlanRule, PlanRuleContext, Target } from "../policy/plan-rule.js";
import { fillMessage, isPlanRule } from "../policy/rule.js";
import { rules } from "../policy/rules/index.js";
import { naturalCompare, withThousands } from "./natural.js";
import type { Affected, ChangeKey, Disruption, DisruptionKind } from "./types.js";

export interface Finding {
  readonly disruption: Disruption;
  readonly targets: readonly Target[];
}

/**
 * The order the plan lists disruptions in: what Calico rejects first, then pool changes,
 * cluster-wide settings, MTUs, and nodes. A plan rule not listed runs last (a test checks that
 * every one is listed).
 */
export const PLAN_RULE_ORDER: readonly string[] = [
  "pool-immutable-field",
  "encapsulation-switch",
  "pool-disabled",
  "pool-removed",
  "backend-change",
  "vxlan-port-change",
  "vxlan-vni-change",
];

/** The registry's plan rules, in PLAN_RULE_ORDER. */
export const planRules: readonly PlanRule[] = rules.filter(isPlanRule).sort((a, b) => {
  const rank = (r: PlanRule) => {
    const i = PLAN_RULE_ORDER.indexOf(r.id);
    return i < 0 ? PLAN_RULE_ORDER.length : i;
  };
  return rank(a) - rank(b) || (a.id < b.id ? -1 : 1);
});

/**
 * Runs the plan rules in order, at the severity the Cluster gives them (an acknowledgeable
 * rule's findings are NC6001 disruptions whatever `spec.rules` says); then the kinds that are
 * not rule modules yet.
 */
export function analyseDisruptions(
  base: NetworkFacts,
  current: NetworkFacts & { readonly model: Model },
  diff: ModelDiff,
  toRun: readonly PlanRule[] = planRules,
): Finding[] {
  const nodes = new NodeWording(base, current);
  const out: Finding[] = [];
  for (const rule of toRun) {
    const setting = rule.meta.acknowledgeable ? undefined : current.model.cluster.rules[rule.id];
    if (setting === "off") continue;
    const severity: Severity = rule.meta.acknowledgeable
      ? (catalog.NC6001.severity as Severity)
      : (setting ?? rule.meta.defaultSeverity);
    const ctx: PlanRuleContext = {
      base,
      current,
      diff,
      nodesText: (names) => nodes.text(names),
      countText: plural,
      report: (report) => out.push(findingOf(rule, report, severity, nodes)),
    };
    rule.check(current.model, ctx);
  }
  if (toRun !== planRules) return out;
  const ctx = new Context(base, current, nodes);
  if (diff.podMTU && diff.podMTU.after < diff.podMTU.before)
    out.push(ctx.mtuDecrease(diff.podMTU.before, diff.podMTU.after, diff));
  for (const subnet of diff.subnetMTUs) {
    if (subnet.after < subnet.before && subnet.nodes.length > 0)
      out.push(ctx.underlayMTUDecrease(subnet.name, subnet.before, subnet.after, subnet.nodes));
  }
  if (diff.nodesRemoved?.length) out.push(...ctx.nodesRemoved(diff.nodesRemoved));
  return out;
}

/** A plan rule's report as a disruption: its texts filled, who it hits counted per node group. */
function findingOf(
  rule: PlanRule,
  report: PlanReport,
  severity: Severity,
  nodes: NodeWording,
): Finding {
  const { meta } = rule;
  const text = <T>(table: Readonly<Record<string, T>> | undefined, id: string, what: string) => {
    const value = table?.[id];
    if (value === undefined) throw new Error(`plan rule ${rule.id} has no ${what} "${id}"`);
    return value;
  };
  const fill = (template: string) => fillMessage(template, report.data);
  const steps = report.stepsId === undefined ? [] : text(meta.steps, report.stepsId, "steps");
  return {
    disruption: {
      kind: rule.id,
      code: meta.acknowledgeable ? "NC6001" : rule.id,
      severity,
      change: { resource: report.resource, ...report.change },
      title: fill(text(meta.titles, report.titleId, "title")),
      breaks: fill(text(meta.messages, report.messageId, "message")),
      steps: steps.map(fill),
      affected: nodes.affected(report.pools ?? [], report.nodes),
      acknowledgeable: meta.acknowledgeable,
      span: report.span,
      related: report.related ?? [],
      reported: {
        messageId: report.messageId,
        titleId: report.titleId,
        stepsId: report.stepsId,
        data: { ...report.data },
      },
      addresses: [],
      acknowledged: undefined,
    },
    targets: report.targets,
  };
}

/** Who a disruption hits, counted and named per node group (from both sides' facts). */
class NodeWording {
  private readonly groupOf = new Map<string, string>();

  constructor(base: NetworkFacts, current: NetworkFacts) {
    for (const side of [base, current]) {
      for (const node of side.nodes?.values() ?? []) {
        if (!this.groupOf.has(node.name)) this.groupOf.set(node.name, node.group ?? "");
      }
    }
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

  /** "12 nodes (2 listed, worker-*: 10)": the listed nodes count first (group ""). */
  text(nodes: Iterable<string>): string {
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
}

class Context {
  private readonly model: Model;

  constructor(
    private readonly base: NetworkFacts,
    private readonly current: NetworkFacts & { readonly model: Model },
    private readonly nodes: NodeWording,
  ) {
    this.model = current.model;
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
        affected: this.nodes.affected(who.pools ?? [], who.nodes),
        severity: catalog.NC6001.severity as Severity,
        acknowledgeable: extra.acknowledgeable ?? true,
        span,
        related: extra.related ?? [],
        reported: { messageId: "", titleId: "", stepsId: undefined, data: {} },
        addresses: [],
        acknowledged: undefined,
      },
      targets,
    };
  }

  /** "12 nodes (2 listed, worker-*: 10)": the listed nodes count first (group ""). */
  private who(nodes: Iterable<string>): string {
    return this.nodes.text(nodes);
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

function plural(n: number, word: string): string {
  return `${withThousands(n)} ${word}${n === 1 ? "" : "s"}`;
}
