/**
 * Disruption analysis: which differences between the base and the repository break traffic,
 * for whom, and where in the repository the change is. The plan rules (registry, scope plan)
 * find them, one module per kind; this runs them on the two sides' facts (models, or a
 * reconstruction from rendered manifests), never on rendered text, and builds each finding's
 * disruption from the rule's report.
 */
import { catalog } from "../diagnostics/catalog.js";
import type { Severity } from "../diagnostics/types.js";
import type { ModelDiff, NetworkFacts } from "../model/facts.js";
import type { Model } from "../model/types.js";
import type {
  PlanNoteReport,
  PlanReport,
  PlanRule,
  PlanRuleContext,
  Target,
} from "../policy/plan-rule.js";
import { fillMessage, isPlanRule } from "../policy/rule.js";
import { rules } from "../policy/rules/index.js";
import { naturalCompare, plural } from "../util/text.js";
import type { Affected, Disruption, PlanNote } from "./types.js";

/** A disruption as a plan rule found it: the plan adds the changes it marks and its acknowledgement. */
export type FoundDisruption = Omit<Disruption, "addresses" | "acknowledged">;

export interface Finding {
  readonly disruption: FoundDisruption;
  readonly targets: readonly Target[];
}

/**
 * The order the plan lists disruptions (and notes) in: what Calico rejects first, then pool
 * changes, cluster-wide settings, MTUs, nodes, and what only notes. A plan rule not listed runs last (a test checks that
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
  "wireguard-change",
  "mtu-decrease",
  "underlay-mtu-decrease",
  "node-removed",
  "calico-node-rollout",
];

/** The registry's plan rules, in PLAN_RULE_ORDER. */
export const planRules: readonly PlanRule[] = rules.filter(isPlanRule).sort((a, b) => {
  const rank = (r: PlanRule) => {
    const i = PLAN_RULE_ORDER.indexOf(r.id);
    return i < 0 ? PLAN_RULE_ORDER.length : i;
  };
  return rank(a) - rank(b) || (a.id < b.id ? -1 : 1);
});

/** What the plan rules found: disruptions, and notes on what changes do (in rule order). */
export interface Analysis {
  readonly findings: readonly Finding[];
  readonly notes: readonly PlanNote[];
}

/**
 * Runs the plan rules in order, at the severity the Cluster gives them (an acknowledgeable
 * rule's findings are NC6001 disruptions whatever `spec.rules` says; a rule turned off does not
 * run), and returns each finding with what it is about in the list of changes, and the notes.
 */
export function analyseDisruptions(
  base: NetworkFacts,
  current: NetworkFacts & { readonly model: Model },
  diff: ModelDiff,
  toRun: readonly PlanRule[] = planRules,
): Analysis {
  const nodes = new NodeWording(base, current);
  const out: Finding[] = [];
  const notes: PlanNote[] = [];
  for (const rule of toRun) {
    const setting = rule.meta.acknowledgeable ? undefined : current.model.cluster.rules[rule.id];
    if (setting === "off") continue;
    const severity: Severity = rule.meta.acknowledgeable
      ? catalog.NC6001.severity
      : (setting ?? rule.meta.defaultSeverity);
    const ctx: PlanRuleContext = {
      base,
      current,
      diff,
      nodesText: (names) => nodes.text(names),
      countText: plural,
      report: (report) => {
        if (rule.meta.notesOnly) throw new Error(`plan rule ${rule.id} only notes; it reported`);
        out.push(findingOf(rule, report, severity, nodes));
      },
      note: (report) => notes.push(noteOf(rule, report)),
    };
    rule.check(current.model, ctx);
  }
  return { findings: out, notes };
}

/** A plan rule's note, its text filled. */
function noteOf(rule: PlanRule, report: PlanNoteReport): PlanNote {
  const template = rule.meta.notes?.[report.noteId];
  if (template === undefined)
    throw new Error(`plan rule ${rule.id} has no note "${report.noteId}"`);
  return {
    code: rule.id,
    message: fillMessage(template, report.data),
    resource: report.resource,
    reported: { noteId: report.noteId, data: { ...report.data } },
  };
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
