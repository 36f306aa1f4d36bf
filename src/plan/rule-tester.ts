/**
 * A strict tester for plan rules, after the model rule tester (src/policy/tester.ts). Each case
 * is two repositories, before and after (each: files laid over the tester's base repository),
 * compiled through the real pipeline (load, schema, resolve, rules, render) and planned by the
 * real plan with only the rule under test — as `netcompile plan --base` plans, or, when the
 * case gives `rendered`, as `--against` plans the before side's rendered tree. Tests assert
 * what the rule reports — message, title and steps ids, data, and where — and what the plan
 * makes of it: the change key, whether it can be acknowledged, the pools and nodes it hits,
 * and the changes it marks disruptive. Never the prose. The tester refuses sloppy tests:
 *  - two cases with the same name, or the same files;
 *  - an invalid case with no expected disruptions;
 *  - an expected disruption with an unknown message, title or steps id, or whose data does not
 *    fill exactly the placeholders of its message, title and steps;
 *  - a case whose after side does not compile without errors, or whose before side has other
 *    errors than the rule findings the case names (`baseErrors`);
 *  - a rule that reports data not filling exactly its texts' placeholders;
 *  - a message, title or steps id that no invalid case exercises.
 *
 * The test framework is passed in (`{ describe, it }` from vitest), so this module does not
 * depend on one.
 */
import { AssertionError } from "node:assert";
import { MemoryRepoReader } from "../load/reader.js";
import type { Model } from "../model/types.js";
import { compile, type CompileResult } from "../pipeline.js";
import type { PlanRule } from "../policy/plan-rule.js";
import { placeholders } from "../policy/rule.js";
import {
  BASE_REPO,
  checkRuleMeta,
  isNonEmptyList,
  poolYaml,
  type CaseFiles,
  type TestFramework,
} from "../policy/tester.js";
import type { RenderedFile } from "../render/types.js";
import { modelBase } from "./base.js";
import { factsFromManifests } from "./facts.js";
import { makePlan, type BaseSide } from "./plan.js";
import type { ChangeKey, Disruption, PlanNote } from "./types.js";
import { must } from "../util/must.js";

export interface ValidPlanCase {
  readonly name: string;
  /** The base: files laid over the tester's base repository (`null` removes one). */
  readonly before: CaseFiles;
  /** The repository: files laid over the tester's base repository. */
  readonly after: CaseFiles;
  /**
   * Plan against the before side's rendered tree (as `--against` does) instead of its model,
   * with these files laid over that tree (`{}` for the tree as built).
   */
  readonly rendered?: CaseFiles;
  /**
   * Rule ids of the errors the before side has: a base with rule findings only is still
   * planned (as `--base` plans it). Any other error on either side fails the case.
   */
  readonly baseErrors?: readonly string[];
  /** The notes the rule adds to the plan (none when omitted). */
  readonly notes?: readonly ExpectedNote[];
}

/** A note the rule adds to the plan: its id, the data that fills it, what it is about. */
export interface ExpectedNote {
  readonly noteId: string;
  /** Exactly the note's placeholders; omit only when it has none. */
  readonly data?: Readonly<Record<string, string | number>>;
  readonly resource: string;
}

export interface ExpectedDisruption {
  readonly messageId: string;
  readonly titleId: string;
  /** Omit when the rule reports no steps. */
  readonly stepsId?: string;
  /** Exactly the placeholders of the message, title and steps; omit only when they have none. */
  readonly data?: Readonly<Record<string, string | number>>;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** The change an acknowledgement must name. */
  readonly change: ChangeKey;
  readonly acknowledgeable: boolean;
  /** Pools and nodes it hits, by name (the nodes in natural order). */
  readonly pools: readonly string[];
  readonly nodes: readonly string[];
  /** The addresses of the plan's changes it marks disruptive. */
  readonly addresses: readonly string[];
  readonly related?: readonly {
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly message: string;
  }[];
}

export interface InvalidPlanCase extends ValidPlanCase {
  readonly disruptions: readonly ExpectedDisruption[];
}

export class PlanRuleTester {
  constructor(
    private readonly framework: TestFramework,
    private readonly base: Readonly<Record<string, string>> = BASE_REPO,
  ) {}

  run(
    rule: PlanRule,
    cases: {
      readonly valid: readonly ValidPlanCase[];
      readonly invalid: readonly InvalidPlanCase[];
    },
  ): void {
    checkPlanMeta(rule);
    checkRuleMeta(
      rule.meta.notesOnly
        ? { id: rule.id, meta: { ...rule.meta, messages: rule.meta.notes ?? {} } }
        : rule,
    );
    checkCases(rule, cases.valid, cases.invalid);
    const { describe, it } = this.framework;
    describe(rule.id, () => {
      describe("valid", () => {
        for (const c of cases.valid) {
          it(c.name, () => {
            const { found, notes } = this.planFor(rule, c);
            if (found.length > 0) {
              throw new AssertionError({
                message: `expected no disruptions, got:\n${found.map((f) => JSON.stringify(f)).join("\n")}`,
                actual: found,
                expected: [],
              });
            }
            assertNotes(notes, c.notes ?? []);
          });
        }
      });
      // A rule that only notes has no invalid cases: no empty suite.
      if (cases.invalid.length > 0) {
        describe("invalid", () => {
          for (const c of cases.invalid) {
            it(c.name, () => {
              const { found, notes } = this.planFor(rule, c);
              assertNotes(notes, c.notes ?? []);
              const actual = sortFound(found);
              const expected = sortFound(c.disruptions.map((e) => comparableExpected(e, actual)));
              if (JSON.stringify(actual) !== JSON.stringify(expected)) {
                throw new AssertionError({
                  message: `disruptions differ from the expected ones; the plan has:\n${actual
                    .map((a) => JSON.stringify(a))
                    .join("\n")}`,
                  actual,
                  expected,
                });
              }
            });
          }
        });
      }
      it("exercises every message, title and steps id in an invalid case, and every note id", () => {
        const used = (pick: (e: ExpectedDisruption) => string | undefined) =>
          new Set(cases.invalid.flatMap((c) => c.disruptions.map(pick)));
        const notesUsed = new Set(
          [...cases.valid, ...cases.invalid].flatMap((c) => (c.notes ?? []).map((n) => n.noteId)),
        );
        const unused = [
          ...unusedIds(
            "message",
            rule.meta.messages,
            used((e) => e.messageId),
          ),
          ...unusedIds(
            "title",
            rule.meta.titles,
            used((e) => e.titleId),
          ),
          ...unusedIds(
            "steps",
            rule.meta.steps ?? {},
            used((e) => e.stepsId),
          ),
          ...unusedIds("note", rule.meta.notes ?? {}, notesUsed),
        ];
        if (unused.length > 0) {
          throw new AssertionError({ message: `no invalid case expects ${unused.join(", ")}` });
        }
      });
    });
  }

  /** Plans the case with the rule alone and returns its disruptions and notes, checking each report. */
  private planFor(rule: PlanRule, c: ValidPlanCase): { found: Found[]; notes: FoundNote[] } {
    const before = this.compiled(c, "before", c.baseErrors ?? []);
    const after = this.compiled(c, "after", []);
    const base = modelBase(
      { kind: "git", ref: "base", commit: undefined, description: "base" },
      before,
    );
    const plan = makePlan(
      c.rendered === undefined ? base : renderedBase(laid(base.files, c.rendered), after.model),
      {
        model: after.model,
        files: must(after.files, "the after side's rendered files"),
        diagnostics: after.diagnostics,
      },
      [rule],
    );
    for (const d of plan.disruptions) checkReported(rule, d);
    const notes = plan.notes.filter((n) => n.code === rule.id);
    for (const n of notes) checkNote(rule, n);
    return { found: plan.disruptions.map(found), notes: notes.map(foundNote) };
  }

  /** One side compiled through the real pipeline, with exactly the errors the case allows. */
  private compiled(
    c: ValidPlanCase,
    side: "before" | "after",
    allowed: readonly string[],
  ): CompileResult & { readonly model: Model } {
    const files: Record<string, string> = { ...this.base };
    for (const [path, content] of Object.entries(c[side])) {
      if (content === null) delete files[path];
      else files[path] = content;
    }
    const result = compile(new MemoryRepoReader(files), { render: "all" });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    const codes = [...new Set(errors.map((d) => d.code))].sort();
    const { model } = result;
    if (!model || codes.join() !== [...allowed].sort().join()) {
      const shown = errors.map((d) => `  ${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`);
      const expected = allowed.length ? ` (the case expects errors ${allowed.join(", ")})` : "";
      throw new AssertionError({
        message: `case "${c.name}": the ${side} side does not compile${expected}:\n${shown.join("\n")}`,
      });
    }
    return { ...result, model };
  }
}

/** The before side's rendered tree as `--against` reads a folder: facts from its manifests. */
function renderedBase(files: readonly RenderedFile[], current: Model): BaseSide {
  return {
    info: {
      kind: "dir",
      ref: "rendered",
      commit: undefined,
      description: "rendered",
      analysis: "manifests",
    },
    files,
    facts: factsFromManifests(files, current),
    notes: [],
  };
}

function laid(files: readonly RenderedFile[], over: CaseFiles): RenderedFile[] {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  for (const [path, content] of Object.entries(over)) {
    if (content === null) byPath.delete(path);
    else byPath.set(path, content);
  }
  return [...byPath.entries()]
    .map(([path, content]) => ({ path, content }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A disruption as the tester compares it (the same keys, in the same order, on both sides). */
interface Found {
  messageId: string;
  titleId: string;
  stepsId: string | null;
  data: Record<string, string | number>;
  file: string;
  line: number;
  column: number;
  endLine: number | undefined;
  endColumn: number | undefined;
  change: ChangeKey;
  acknowledgeable: boolean;
  pools: readonly string[];
  nodes: readonly string[];
  addresses: readonly string[];
  related: readonly { file: string; line: number; column: number; message: string }[];
}

function found(d: Disruption): Found {
  return {
    messageId: d.reported.messageId,
    titleId: d.reported.titleId,
    stepsId: d.reported.stepsId ?? null,
    data: { ...d.reported.data },
    file: d.span.file,
    line: d.span.line,
    column: d.span.column,
    endLine: d.span.endLine,
    endColumn: d.span.endColumn,
    change: changeKey(d.change),
    acknowledgeable: d.acknowledgeable,
    pools: [...d.affected.pools],
    nodes: [...d.affected.nodeNames],
    addresses: [...d.addresses],
    related: d.related.map(relatedKey),
  };
}

/** The expected disruption, with the end position taken from the matching actual when not given. */
function comparableExpected(e: ExpectedDisruption, actual: readonly Found[]): Found {
  const same = actual.find(
    (a) =>
      a.messageId === e.messageId &&
      a.file === e.file &&
      a.line === e.line &&
      a.column === e.column,
  );
  return {
    messageId: e.messageId,
    titleId: e.titleId,
    stepsId: e.stepsId ?? null,
    data: { ...(e.data ?? {}) },
    file: e.file,
    line: e.line,
    column: e.column,
    endLine: e.endLine ?? same?.endLine,
    endColumn: e.endColumn ?? same?.endColumn,
    change: changeKey(e.change),
    acknowledgeable: e.acknowledgeable,
    pools: [...e.pools],
    nodes: [...e.nodes],
    addresses: [...e.addresses],
    related: (e.related ?? []).map(relatedKey),
  };
}

/** A note as the tester compares it. */
interface FoundNote {
  noteId: string;
  data: Record<string, string | number>;
  resource: string;
}

function foundNote(n: PlanNote): FoundNote {
  return {
    noteId: n.reported?.noteId ?? "",
    data: { ...(n.reported?.data ?? {}) },
    resource: n.resource ?? "",
  };
}

/** The rule's notes must be exactly the expected ones, in the order the rule adds them. */
function assertNotes(actual: readonly FoundNote[], expected: readonly ExpectedNote[]): void {
  const wanted = expected.map((e) => ({
    noteId: e.noteId,
    data: { ...(e.data ?? {}) },
    resource: e.resource,
  }));
  if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
    throw new AssertionError({
      message: `notes differ from the expected ones; the plan has:\n${actual
        .map((a) => JSON.stringify(a))
        .join("\n")}`,
      actual,
      expected: wanted,
    });
  }
}

/** A note fills exactly its template's placeholders. */
function checkNote(rule: PlanRule, n: PlanNote): void {
  const id = n.reported?.noteId ?? "";
  const wanted = placeholders(rule.meta.notes?.[id] ?? "").sort();
  const given = Object.keys(n.reported?.data ?? {}).sort();
  if (wanted.join() !== given.join()) {
    throw new AssertionError({
      message:
        `rule ${rule.id} noted "${id}" with data {${given.join(", ")}}, ` +
        `but the note has placeholders {${wanted.join(", ")}}`,
    });
  }
}

function changeKey(k: ChangeKey): ChangeKey {
  return { resource: k.resource, field: k.field, from: k.from, to: k.to };
}

function relatedKey(r: { file: string; line: number; column: number; message: string }) {
  return { file: r.file, line: r.line, column: r.column, message: r.message };
}

function sortFound(list: Found[]): Found[] {
  const key = (f: Found) =>
    JSON.stringify([f.file, f.line, f.column, f.messageId, f.change, f.data]);
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

function unusedIds(what: string, table: object, used: ReadonlySet<string | undefined>): string[] {
  return Object.keys(table)
    .filter((id) => !used.has(id))
    .map((id) => `${what} id "${id}"`);
}

/** The placeholders a disruption's texts need: its message's, title's and steps'. */
function wantedData(
  rule: PlanRule,
  ids: { messageId: string; titleId: string; stepsId?: string | undefined },
): string[] {
  const templates = [
    rule.meta.messages[ids.messageId] ?? "",
    rule.meta.titles[ids.titleId] ?? "",
    ...(ids.stepsId === undefined ? [] : (rule.meta.steps?.[ids.stepsId] ?? [])),
  ];
  return [...new Set(templates.flatMap(placeholders))].sort();
}

function checkPlanMeta(rule: PlanRule): void {
  const problems: string[] = [];
  if (rule.meta.scope !== "plan") problems.push('its scope is not "plan"');
  if (rule.meta.notesOnly) {
    if (Object.keys(rule.meta.notes ?? {}).length === 0)
      problems.push("it only notes but declares no notes");
    if (rule.meta.acknowledgeable)
      problems.push("a rule that only notes reports nothing to acknowledge");
  } else if (Object.keys(rule.meta.titles).length === 0) problems.push("it declares no titles");
  if (rule.meta.acknowledgeable && rule.meta.defaultSeverity !== "error") {
    problems.push(
      "an acknowledgeable rule's findings are NC6001 errors: defaultSeverity must be error",
    );
  }
  for (const [id, steps] of Object.entries(rule.meta.steps ?? {})) {
    if (steps.length === 0) problems.push(`steps "${id}" is empty`);
  }
  if (problems.length) throw new Error(`plan rule ${rule.id}: ${problems.join("; ")}`);
}

function checkCases(
  rule: PlanRule,
  valid: readonly ValidPlanCase[],
  invalid: readonly InvalidPlanCase[],
): void {
  const names = new Set<string>();
  const contents = new Map<string, string>();
  const sorted = (files: CaseFiles | undefined) =>
    files === undefined ? null : Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1));
  for (const c of [...valid, ...invalid]) {
    if (!c.name.trim()) throw new Error(`${rule.id}: a case has no name`);
    if (names.has(c.name)) throw new Error(`${rule.id}: duplicate case name "${c.name}"`);
    names.add(c.name);
    const key = JSON.stringify([sorted(c.before), sorted(c.after), sorted(c.rendered)]);
    const other = contents.get(key);
    if (other !== undefined) {
      throw new Error(`${rule.id}: cases "${other}" and "${c.name}" have the same files`);
    }
    contents.set(key, c.name);
  }
  for (const c of [...valid, ...invalid]) {
    for (const n of c.notes ?? []) {
      const template = rule.meta.notes?.[n.noteId];
      if (template === undefined) {
        throw new Error(
          `${rule.id}: case "${c.name}" expects unknown note id "${n.noteId}" (the rule has: ${Object.keys(rule.meta.notes ?? {}).join(", ") || "none"})`,
        );
      }
      const wanted = placeholders(template).sort();
      const given = Object.keys(n.data ?? {}).sort();
      if (wanted.join() !== given.join()) {
        throw new Error(
          `${rule.id}: case "${c.name}": data for note "${n.noteId}" must give exactly {${wanted.join(", ")}}, not {${given.join(", ")}}`,
        );
      }
    }
  }
  for (const c of invalid) {
    if (!isNonEmptyList(c.disruptions)) {
      throw new Error(`${rule.id}: invalid case "${c.name}" expects no disruptions; list them`);
    }
    for (const e of c.disruptions) {
      const where = `${rule.id}: invalid case "${c.name}"`;
      const known = (what: string, table: object | undefined, id: string | undefined) => {
        if (id === undefined || (table !== undefined && Object.hasOwn(table, id))) return;
        throw new Error(
          `${where} expects unknown ${what} id "${id}" (the rule has: ${Object.keys(table ?? {}).join(", ") || "none"})`,
        );
      };
      known("message", rule.meta.messages, e.messageId);
      known("title", rule.meta.titles, e.titleId);
      known("steps", rule.meta.steps, e.stepsId);
      const wanted = wantedData(rule, e);
      const given = Object.keys(e.data ?? {}).sort();
      if (wanted.join() !== given.join()) {
        throw new Error(
          `${where}: data for "${e.messageId}" must give exactly {${wanted.join(", ")}}, not {${given.join(", ")}}`,
        );
      }
      if (!Number.isInteger(e.line) || !Number.isInteger(e.column) || !e.file) {
        throw new Error(`${where}: each disruption needs file, line and column`);
      }
      if (!e.change || !Array.isArray(e.pools) || !Array.isArray(e.nodes)) {
        throw new Error(`${where}: each disruption needs its change, pools and nodes`);
      }
      if (!Array.isArray(e.addresses)) {
        throw new Error(`${where}: each disruption needs the addresses of the changes it marks`);
      }
    }
  }
}

/** What the rule reported fills exactly its texts' placeholders, with finite numbers. */
function checkReported(rule: PlanRule, d: Disruption): void {
  const wanted = wantedData(rule, d.reported);
  const given = Object.keys(d.reported.data).sort();
  if (wanted.join() !== given.join()) {
    throw new AssertionError({
      message:
        `rule ${rule.id} reported "${d.reported.messageId}" with data {${given.join(", ")}}, ` +
        `but its texts have placeholders {${wanted.join(", ")}}`,
    });
  }
  for (const [key, value] of Object.entries(d.reported.data)) {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new AssertionError({
        message: `rule ${rule.id} reported "${d.reported.messageId}" with a number "${key}" that is not finite`,
      });
    }
  }
}

/** A Cluster named `lab` on bare metal, with `specLines` ("key: value", indented below `spec:`). */
export function clusterYaml(...specLines: string[]): string {
  return [
    "apiVersion: netcompile.dev/v1alpha1",
    "kind: Cluster",
    "metadata:",
    "  name: lab",
    "spec:",
    "  provider: bare-metal",
    ...specLines.map((l) => `  ${l}`),
    "",
  ].join("\n");
}

export interface TopologyOptions {
  /** Lines below `spec:` before the subnets (e.g. an underlay block), indented by two. */
  readonly head?: readonly string[];
  /** Extra lines of each subnet entry, by subnet (e.g. `mtu: 9000`). */
  readonly subnet?: {
    readonly "rack-1"?: string | readonly string[];
    readonly "rack-2"?: string | readonly string[];
  };
  /** More entries of `spec.nodes` (nodeYaml). */
  readonly nodes?: string;
  /** The size of node group worker- (in rack-1, from 10.0.1.100); 3 by default. */
  readonly workers?: number;
}

/**
 * The topology plan rule cases use: subnets rack-1 (10.0.1.0/24) and rack-2 (10.0.2.0/24),
 * listed nodes node-1 (rack-1) and node-2 (rack-2, label pool=b), and node group worker-.
 * Line numbers without options: rack-1's cidr 8, rack-2's 10, `nodes:` 11, worker-'s count 19;
 * each head, subnet or extra node line moves the lines below it down by one.
 */
export function topologyYaml(options: TopologyOptions = {}): string {
  const subnetLine = (name: "rack-1" | "rack-2") =>
    [options.subnet?.[name] ?? []].flat().map((line) => `      ${line}`);
  return [
    "apiVersion: netcompile.dev/v1alpha1",
    "kind: Topology",
    "metadata:",
    "  name: lab",
    "spec:",
    ...(options.head ?? []).map((l) => `  ${l}`),
    "  subnets:",
    "    - name: rack-1",
    "      cidr: 10.0.1.0/24",
    ...subnetLine("rack-1"),
    "    - name: rack-2",
    "      cidr: 10.0.2.0/24",
    ...subnetLine("rack-2"),
    "  nodes:",
    "    - name: node-1",
    "      address: 10.0.1.10",
    "    - name: node-2",
    "      address: 10.0.2.10",
    "      labels: {pool: b}",
    ...(options.nodes ? [options.nodes.replace(/\n$/, "")] : []),
    "  nodeGroups:",
    "    - namePrefix: worker-",
    `      count: ${options.workers ?? 3}`,
    "      subnet: rack-1",
    "      firstAddress: 10.0.1.100",
    "",
  ].join("\n");
}

/** The repository plan rule cases are laid over: clusterYaml(), topologyYaml(), one pool. */
export const PLAN_BASE_REPO: Readonly<Record<string, string>> = {
  "netcompile.yaml": clusterYaml(),
  "topology.yaml": topologyYaml(),
  "pools.yaml": poolYaml("pool-1", "cidr: 192.168.0.0/16", "ipipMode: CrossSubnet"),
};
