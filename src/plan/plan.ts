/**
 * The plan: rendered-tree diff (objects, host files, other files) + model diff + disruption
 * analysis + acknowledgements, assembled into one result for the formatters.
 */
import { formatMessage, type DiagnosticCode, type MessageData } from "../diagnostics/catalog.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { sortDiagnostics } from "../diagnostics/types.js";
import { LOCK_FILE } from "../emit/lock.js";
import { planOverlay } from "../graph/plan.js";
import type { Model } from "../model/types.js";
import type { RenderedFile } from "../render/types.js";
import { applyAcknowledgements } from "./acknowledgements.js";
import type { PlanRule, Target } from "../policy/plan-rule.js";
import { analyseDisruptions, planRules, type Finding } from "./disruption.js";
import type { ModelDiff, NetworkFacts } from "../model/facts.js";
import { factsFromModel } from "./facts.js";
import { diffHostFiles, hostPath, unifiedDiff } from "./host-diff.js";
import { diffFacts } from "./model-diff.js";
import { diffObjects } from "./object-diff.js";
import type {
  BaseInfo,
  Change,
  Disruption,
  OtherFileChange,
  Plan,
  PlanNote,
  PlanSummary,
  TopologyChange,
} from "./types.js";
import { must } from "../util/must.js";

/** The side of the plan to compare with. */
export interface BaseSide {
  readonly info: BaseInfo;
  /** Its rendered tree (without the lock file, which is ignored). */
  readonly files: readonly RenderedFile[];
  readonly facts: NetworkFacts;
  readonly notes: readonly PlanNote[];
}

export interface CurrentSide {
  readonly model: Model;
  readonly files: readonly RenderedFile[];
  readonly diagnostics: readonly Diagnostic[];
}

export function note<C extends DiagnosticCode>(code: C, data: MessageData<C>): PlanNote {
  return { code, message: formatMessage(code, data) };
}

/** The plan; `rules` are the plan rules to run (the registry's by default; the rule tester gives one). */
export function makePlan(
  base: BaseSide,
  current: CurrentSide,
  rules: readonly PlanRule[] = planRules,
): Plan {
  const currentFacts = { ...factsFromModel(current.model, current.files), model: current.model };
  const groupOf = (node: string) =>
    currentFacts.nodes?.get(node)?.group ?? base.facts.nodes?.get(node)?.group;
  const diff = diffFacts(base.facts, currentFacts);
  // With nothing to compare with, nothing can break.
  const { findings, notes: ruleNotes } =
    base.facts.origin === "empty"
      ? { findings: [], notes: [] }
      : analyseDisruptions(base.facts, currentFacts, diff, rules);
  const { changes, addresses } = markChanges(
    diffTrees(base.files, current.files, groupOf),
    findings,
  );
  const acknowledged = applyAcknowledgements(
    findings.map((f, i): Omit<Disruption, "acknowledged"> => ({
      ...f.disruption,
      addresses: must(addresses[i], "a finding's addresses"),
    })),
    current.model.cluster.acknowledgements,
  );
  const disruptions: readonly Disruption[] = acknowledged.disruptions;
  const diagnostics = sortDiagnostics([...current.diagnostics, ...acknowledged.diagnostics]);

  const notes = [...base.notes];
  if (base.facts.origin === "manifests" && base.facts.missing.length) {
    notes.push(
      note("NC6005", {
        what: base.facts.missing.join("; "),
        consequence:
          "changes to them are not analysed for disruption (use --base GITREF for a full analysis)",
      }),
    );
  }
  notes.push(...ruleNotes);

  return {
    base: base.info,
    summary: summarize(changes, disruptions),
    changes,
    disruptions,
    topology: topologyChanges(diff),
    notes,
    diagnostics,
    complete: true,
    overlay: planOverlay(base.facts.origin, base.facts.model, current.model),
  };
}

/** A plan that could not be made (the repository does not compile): its diagnostics only. */
export function failedPlan(
  info: BaseInfo,
  notes: readonly PlanNote[],
  diagnostics: readonly Diagnostic[],
): Plan {
  return {
    base: info,
    summary: { add: 0, change: 0, destroy: 0, disruptive: 0, acknowledged: 0 },
    changes: [],
    disruptions: [],
    topology: [],
    notes,
    diagnostics: sortDiagnostics(diagnostics),
    complete: false,
  };
}

/** Every change between two rendered trees; the lock file is not a resource and is skipped. */
export function diffTrees(
  before: readonly RenderedFile[],
  after: readonly RenderedFile[],
  groupOf: (node: string) => string | undefined,
): Change[] {
  const objects = diffObjects(before, after);
  const hosts = diffHostFiles(before, after, groupOf);
  const isOther = (p: string) => p !== LOCK_FILE && !p.startsWith("manifests/") && !hostPath(p);
  const was = new Map(before.filter((f) => isOther(f.path)).map((f) => [f.path, f.content]));
  const now = new Map(after.filter((f) => isOther(f.path)).map((f) => [f.path, f.content]));
  const others: OtherFileChange[] = [];
  for (const path of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const b = was.get(path);
    const a = now.get(path);
    if (a === b) continue;
    const action = b === undefined ? "create" : a === undefined ? "delete" : "update";
    others.push({
      type: "file",
      address: path,
      action,
      count: 1,
      disruptive: false,
      reasons: [],
      path,
      diff: unifiedDiff({ before: b ?? "", after: a ?? "" }).text,
    });
  }
  return [...objects, ...hosts, ...others];
}

/**
 * The changes each finding is about (for each, the first of its targets that matches any
 * change): the changes rebuilt with `disruptive` and the reasons, and each finding's addresses.
 */
function markChanges(
  unmarked: readonly Change[],
  findings: readonly Finding[],
): { changes: readonly Change[]; addresses: readonly (readonly string[])[] } {
  const reasons = new Map<Change, string[]>();
  const addresses = findings.map(({ disruption, targets }) =>
    firstMatch(targets, unmarked).map((c) => {
      const reason = `${disruption.title}: ${disruption.breaks}`;
      const list = reasons.get(c);
      if (list) list.push(reason);
      else reasons.set(c, [reason]);
      return c.address;
    }),
  );
  const changes = unmarked.map((c): Change => {
    const why = reasons.get(c);
    return why ? { ...c, disruptive: true, reasons: why } : c;
  });
  return { changes, addresses };
}

function firstMatch(targets: readonly Target[], changes: readonly Change[]): Change[] {
  for (const t of targets) {
    let hit: Change[];
    if ("hostFilesOf" in t) {
      const nodes = new Set(t.hostFilesOf);
      hit = changes.filter(
        (c) =>
          c.type === "host-file" &&
          (t.action === undefined || c.action === t.action) &&
          c.nodes.some((n) => nodes.has(n)),
      );
    } else {
      hit = changes.filter(
        (c) =>
          c.type === "object" && c.kind === t.kind && (t.name === undefined || c.name === t.name),
      );
    }
    if (hit.length) return hit;
  }
  return [];
}

function summarize(changes: readonly Change[], disruptions: readonly Disruption[]): PlanSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const c of changes) {
    if (c.action === "create") add += c.count;
    else if (c.action === "update") change += c.count;
    else destroy += c.count;
  }
  // Disruptive changes are the disruptions (what the list shows and acknowledgements name), not
  // the objects they touch: one object may carry several, and one may touch no rendered file.
  const disruptive = disruptions.length;
  const acknowledged = disruptions.filter((d) => d.acknowledged).length;
  return { add, change, destroy, disruptive, acknowledged };
}

function topologyChanges(diff: ModelDiff): TopologyChange[] {
  return [
    ...diff.nodesAddedByGroup.map((g) => ({ what: "nodes-added" as const, ...g })),
    ...diff.nodesRemovedByGroup.map((g) => ({ what: "nodes-removed" as const, ...g })),
  ];
}
