/**
 * Waivers: the annotation `netcompile.dev/waive` on a resource accepts findings of a rule on
 * that resource, with a reason. One waiver per line:
 *
 *   metadata:
 *     annotations:
 *       netcompile.dev/waive: |
 *         pool-overlaps-underlay: the lab reuses 10.0.0.0/8 on purpose (NET-142)
 *         aws-src-dst-check: the check is disabled by Terraform
 *
 * A waived finding keeps its severity, is marked `waived`, and never fails the gate. A
 * finding belongs to the resource whose YAML document holds its span: an IPPool, the Cluster,
 * or a Topology document (which covers its subnets, nodes and node groups). Calico's own
 * verdicts (RuleMeta.waivable false) cannot be waived: such a waiver is an error (NC3045).
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic, Span } from "../diagnostics/types.js";
import type { SourceRef } from "../load/source.js";
import type { Model, ObjectMeta, RuleSetting } from "../model/types.js";
import { didYouMean } from "../util/text.js";
import { poolResource } from "../model/resources.js";

export const WAIVE_ANNOTATION = "netcompile.dev/waive";

interface WaivableResource {
  readonly resource: string;
  readonly metadata: ObjectMeta;
  readonly source: SourceRef;
}

interface Waiver {
  readonly ruleId: string;
  readonly reason: string;
  /** The annotation's value (every waiver of a resource shares it). */
  readonly at: Span;
  readonly resource: string;
  /** The resource's whole document: findings inside it are the resource's. */
  readonly document: Span;
  used: boolean;
}

/** Every resource that can carry a waiver, with the document its findings fall in. */
function waivableResources(model: Model): WaivableResource[] {
  const { cluster, topology, pools } = model;
  const out: WaivableResource[] = [
    {
      resource: `Cluster/${cluster.metadata.name}`,
      metadata: cluster.metadata,
      source: cluster.source,
    },
  ];
  topology.sources.forEach((source, i) => {
    const metadata = topology.documentMetadata[i];
    if (!metadata) return;
    out.push({
      resource: metadata.name ? `Topology/${metadata.name}` : "Topology",
      metadata,
      source,
    });
  });
  for (const pool of pools) {
    out.push({ resource: poolResource(pool), metadata: pool.metadata, source: pool.source });
  }
  return out;
}

/** A rule that a waiver may name, with whether it runs in this command at all. */
export interface WaivableRule {
  readonly id: string;
  /**
   * True for a rule another command runs (plan rules run only in `netcompile plan`, live rules
   * in `netcompile verify`): its waivers are never "unused" here.
   */
  readonly elsewhere: boolean;
  /** False for Calico's own verdicts: a waiver of one is an error (NC3045) and waives nothing. */
  readonly waivable: boolean;
}

/**
 * Marks the findings that a waiver covers, and adds a diagnostic for every malformed waiver
 * and every waiver that matches nothing. Pipeline errors (NCnnnn) cannot be waived.
 */
export function applyWaivers(
  model: Model,
  findings: readonly Diagnostic[],
  rules: readonly WaivableRule[],
  options: { readonly reportMalformed?: boolean } = {},
): Diagnostic[] {
  const malformed: Diagnostic[] = [];
  const known = new Map(rules.map((r) => [r.id, r]));
  const waivers = parseWaivers(model, malformed).filter((w) => {
    if (known.get(w.ruleId)?.waivable !== false) return true;
    malformed.push(
      diagnostic(
        "NC3045",
        w.at,
        { rule: w.ruleId, resource: w.resource },
        { resource: w.resource },
      ),
    );
    return false;
  });
  // A second pass over the same repository (verify's live rules) has reported them already.
  const problems = options.reportMalformed === false ? [] : malformed;
  if (waivers.length === 0) return [...findings, ...problems];

  const byFileAndRule = new Map<string, Waiver[]>();
  for (const w of waivers) {
    const key = `${w.document.file}\0${w.ruleId}`;
    const list = byFileAndRule.get(key);
    if (list) list.push(w);
    else byFileAndRule.set(key, [w]);
  }

  const out = findings.map((d): Diagnostic => {
    const candidates = byFileAndRule.get(`${d.file}\0${d.code}`);
    const waiver = candidates?.find((w) => contains(w.document, d));
    if (!waiver) return d;
    waiver.used = true;
    return {
      ...d,
      waived: {
        reason: waiver.reason,
        file: waiver.at.file,
        line: waiver.at.line,
        column: waiver.at.column,
      },
    };
  });

  const settings: Readonly<Record<string, RuleSetting>> = model.cluster.rules;
  for (const w of waivers) {
    const rule = known.get(w.ruleId);
    // A rule that is off, or that another command runs, cannot be matched here: no reason to warn.
    if (w.used || (rule && (rule.elsewhere || settings[w.ruleId] === "off"))) continue;
    const hint = rule
      ? ""
      : `; no rule is called "${w.ruleId}"${didYouMean(
          w.ruleId,
          rules.map((r) => r.id),
        )}`;
    problems.push(
      diagnostic(
        "NC3005",
        w.at,
        { rule: w.ruleId, resource: w.resource, hint },
        { resource: w.resource },
      ),
    );
  }
  return [...out, ...problems];
}

const WAIVER_LINE = /^([^\s:]+)\s*:\s*(.*)$/;

function parseWaivers(model: Model, problems: Diagnostic[]): Waiver[] {
  const waivers: Waiver[] = [];
  for (const r of waivableResources(model)) {
    const value = r.metadata.annotations[WAIVE_ANNOTATION];
    if (value === undefined) continue;
    const at = r.source.at(["metadata", "annotations", WAIVE_ANNOTATION]);
    const lines = value
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "");
    if (lines.length === 0) problems.push(diagnostic("NC3026", at, {}, { resource: r.resource }));
    for (const line of lines) {
      const [, ruleId, reason] = WAIVER_LINE.exec(line) ?? [];
      const resource = { resource: r.resource };
      if (ruleId === undefined || reason === undefined) {
        problems.push(diagnostic("NC3004", at, { text: line }, resource));
        continue;
      }
      if (/^NC\d{4}$/.test(ruleId)) {
        problems.push(diagnostic("NC3027", at, { text: line, code: ruleId }, resource));
        continue;
      }
      if (reason === "") {
        problems.push(diagnostic("NC3028", at, { text: line, rule: ruleId }, resource));
        continue;
      }
      waivers.push({
        ruleId,
        reason,
        at,
        resource: r.resource,
        document: r.source.span,
        used: false,
      });
    }
  }
  return waivers;
}

/** True when the start of `inner` lies inside `outer`. */
function contains(outer: Span, inner: Span): boolean {
  if (inner.file !== outer.file) return false;
  const afterStart =
    inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const beforeEnd =
    inner.line < outer.endLine || (inner.line === outer.endLine && inner.column <= outer.endColumn);
  return afterStart && beforeEnd;
}
