/**
 * A strict rule tester, after eslint's RuleTester. Each case is a small repository (files
 * laid over a minimal valid one), compiled by the pipeline up to the model (load, schema,
 * resolve: src/pipeline.ts, as every command does), then run through the one rule under test. Tests assert what a rule reports — message id, data, and where — never
 * its prose. The tester refuses sloppy tests:
 *  - two cases with the same name, or the same files;
 *  - an invalid case with no expected findings;
 *  - an expected finding with an unknown message id, or whose data does not fill exactly
 *    the message's placeholders;
 *  - a case that does not reach the policy stage (load, schema or resolve errors);
 *  - a rule that reports an unknown message id, data that does not fill its message, or no
 *    resource;
 *  - a message id that no invalid case exercises.
 *
 * The test framework is passed in (`{ describe, it }` from vitest), so this module does not
 * depend on one.
 */
import { AssertionError } from "node:assert";
import { hasErrors } from "../diagnostics/types.js";
import { MemoryRepoReader } from "../load/reader.js";
import type { Model } from "../model/types.js";
import { compile } from "../pipeline.js";
import { collectReports } from "./engine.js";
import { placeholders, type Report, type Rule, type RuleMeta } from "./rule.js";
import { must } from "../util/must.js";

/** Files of a case, laid over the base repository; `null` removes a base file. */
export type CaseFiles = Readonly<Record<string, string | null>>;

export interface ValidCase {
  readonly name: string;
  readonly files: CaseFiles;
}

export interface ExpectedFinding {
  readonly messageId: string;
  /** Exactly the message's placeholders; omit only when it has none. */
  readonly data?: Readonly<Record<string, string | number>>;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
}

export interface InvalidCase extends ValidCase {
  readonly errors: readonly ExpectedFinding[];
}

/** Plain functions (vitest's describe and it): the tester calls them without `this`. */
export interface TestFramework {
  readonly describe: (name: string, body: () => void) => void;
  readonly it: (name: string, body: () => void) => void;
}

/** A minimal valid repository that no built-in rule reports anything on. */
export const BASE_REPO: Readonly<Record<string, string>> = {
  "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: test
spec:
  provider: bare-metal
`,
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: node-2
      address: 10.0.2.10
`,
  "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
  natOutgoing: true
`,
};

export class RuleTester {
  constructor(
    private readonly framework: TestFramework,
    private readonly base: Readonly<Record<string, string>> = BASE_REPO,
  ) {}

  run(
    rule: Rule,
    cases: { readonly valid: readonly ValidCase[]; readonly invalid: readonly InvalidCase[] },
  ): void {
    checkRuleMeta(rule);
    checkCases(rule, cases.valid, cases.invalid, (c) => [c.files]);
    describeFindings(this.framework, rule, cases, {
      actual: (c) => this.reportsFor(rule, c).map((r) => toComparable(r)),
      expected: (c, actual) => c.errors.map((e) => comparableExpected(e, actual)),
      sort: sortFindings,
    });
  }

  /** Builds the case's model and returns what the rule reports, checking each report. */
  private reportsFor(rule: Rule, c: ValidCase): Report[] {
    const model = this.modelFor(c);
    const reports = collectReports(rule, model);
    for (const report of reports) checkReport(rule, report);
    return reports;
  }

  private modelFor(c: ValidCase): Model {
    return compileCase(overlayFiles(this.base, c.files), c.name);
  }
}

/** The base files with a case's laid over them (`null` removes one). */
export function overlayFiles(
  base: Readonly<Record<string, string>>,
  files: CaseFiles,
): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const [path, content] of Object.entries(files)) {
    if (content === null) delete out[path];
    else out[path] = content;
  }
  return out;
}

/** A case's repository compiled up to the model (no rules); a case that does not get there throws. */
export function compileCase(files: Readonly<Record<string, string>>, name: string): Model {
  const { model, diagnostics } = compile(new MemoryRepoReader(files), { rules: false });
  if (!model || hasErrors(diagnostics)) {
    const shown = diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => `  ${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`);
    throw new AssertionError({
      message: `case "${name}" does not reach the policy stage:\n${shown.join("\n")}`,
    });
  }
  return model;
}

/** What a rule's messages are, whatever its scope (model or live). */
interface RuleWithMessages {
  readonly id: string;
  readonly meta: { readonly messages: Readonly<Record<string, string>> };
}

/** A finding as the testers compare it: where, which message, which data. */
interface FindingPlace {
  readonly messageId: string;
  readonly data: Readonly<Record<string, string | number>>;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The tests every finding-reporting tester declares: valid cases report nothing, invalid cases
 * exactly their findings (compared after `sort`), and every message id is exercised.
 */
export function describeFindings<
  V extends { readonly name: string },
  I extends V & { readonly errors: readonly { readonly messageId: string }[] },
  F extends FindingPlace,
>(
  framework: TestFramework,
  rule: RuleWithMessages,
  cases: { readonly valid: readonly V[]; readonly invalid: readonly I[] },
  compare: {
    readonly actual: (c: V) => F[];
    readonly expected: (c: I, actual: readonly F[]) => F[];
    readonly sort: (list: F[]) => F[];
  },
): void {
  const { describe, it } = framework;
  describe(rule.id, () => {
    describe("valid", () => {
      for (const c of cases.valid) {
        it(c.name, () => {
          const found = compare.actual(c);
          if (found.length > 0) {
            throw new AssertionError({
              message: `expected no findings, got:\n${found.map(describeFinding).join("\n")}`,
              actual: found,
              expected: [],
            });
          }
        });
      }
    });
    describe("invalid", () => {
      for (const c of cases.invalid) {
        it(c.name, () => {
          const actual = compare.sort(compare.actual(c));
          const expected = compare.sort(compare.expected(c, actual));
          if (JSON.stringify(actual) !== JSON.stringify(expected)) {
            throw new AssertionError({
              message: `findings differ from the expected ones; the rule reported:\n${actual
                .map((a) => JSON.stringify(a))
                .join("\n")}`,
              actual,
              expected,
            });
          }
        });
      }
    });
    it("exercises every message id in an invalid case", () => {
      const used = new Set(cases.invalid.flatMap((c) => c.errors.map((e) => e.messageId)));
      const unused = Object.keys(rule.meta.messages).filter((id) => !used.has(id));
      if (unused.length > 0) {
        throw new AssertionError({
          message: `no invalid case expects message id(s): ${unused.join(", ")}`,
        });
      }
    });
  });
}

/** Where else a finding points (a snapshot object, the other side of a pair), as a test writes it. */
export interface ExpectedRelated {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A finding as a tester compares it; `related` only where the tester compares related places. */
export interface Comparable {
  messageId: string;
  data: Record<string, string | number>;
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  related?: ExpectedRelated[];
}

/** Data with its keys in order, so that two findings compare whatever order they were written in. */
function orderedData(
  data: Readonly<Record<string, string | number>> = {},
): Record<string, string | number> {
  return Object.fromEntries(Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A report as a tester compares it; with `withRelated`, its related places in order too. */
export function toComparable(r: Report, withRelated = false): Comparable {
  const found: Comparable = {
    messageId: r.messageId,
    data: orderedData(r.data),
    file: r.span.file,
    line: r.span.line,
    column: r.span.column,
    endLine: r.span.endLine,
    endColumn: r.span.endColumn,
  };
  if (withRelated)
    found.related = (r.related ?? []).map((x) => ({
      file: x.file,
      line: x.line,
      column: x.column,
      message: x.message,
    }));
  return found;
}

/**
 * The expected finding, with the end position taken from the matching actual when not given;
 * with `withRelated`, its related places (none when the test gives none).
 */
export function comparableExpected(
  e: ExpectedFinding & { readonly related?: readonly ExpectedRelated[] },
  actual: readonly Comparable[],
  withRelated = false,
): Comparable {
  const same = actual.find(
    (a) =>
      a.messageId === e.messageId &&
      a.file === e.file &&
      a.line === e.line &&
      a.column === e.column,
  );
  const expected: Comparable = {
    messageId: e.messageId,
    data: orderedData(e.data),
    file: e.file,
    line: e.line,
    column: e.column,
    endLine: e.endLine ?? same?.endLine,
    endColumn: e.endColumn ?? same?.endColumn,
  };
  if (withRelated) expected.related = (e.related ?? []).map((x) => ({ ...x }));
  return expected;
}

/** Findings in place order, then by message and data: the order a test's list is compared in. */
export function sortFindings(list: Comparable[]): Comparable[] {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...list].sort(
    (a, b) =>
      text(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      text(a.messageId, b.messageId) ||
      text(JSON.stringify(a.data), JSON.stringify(b.data)),
  );
}

function describeFinding(f: FindingPlace): string {
  return `  ${f.file}:${f.line}:${f.column} ${f.messageId} ${JSON.stringify(f.data)}`;
}

const RULE_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SEVERITIES = ["error", "warning", "info"];

/** A rule's id, severity, description and messages are sound (model and plan testers). */
export function checkRuleMeta(rule: {
  readonly id: string;
  readonly meta: Pick<RuleMeta, "description" | "defaultSeverity" | "messages">;
}): void {
  const problems: string[] = [];
  if (!RULE_ID.test(rule.id)) problems.push(`id "${rule.id}" is not kebab-case`);
  if (!SEVERITIES.includes(rule.meta.defaultSeverity)) {
    problems.push(`defaultSeverity "${rule.meta.defaultSeverity}" is not error, warning or info`);
  }
  if (!/^[A-Z].*\.$/.test(rule.meta.description)) {
    problems.push("description must be a sentence (a capital letter first, a full stop last)");
  }
  if (Object.keys(rule.meta.messages).length === 0) problems.push("it declares no messages");
  if (problems.length) throw new Error(`rule ${rule.id}: ${problems.join("; ")}`);
}

/**
 * Refuses sloppy cases: no name, a name or files used twice (`filesOf` gives what makes a case's
 * input), an invalid case with no findings, an unknown message id, data that does not fill
 * exactly the message, a finding without its place.
 */
export function checkCases<V extends { readonly name: string }>(
  rule: RuleWithMessages,
  valid: readonly V[],
  invalid: readonly (V & { readonly errors: readonly ExpectedFinding[] })[],
  filesOf: (c: V) => readonly CaseFiles[],
): void {
  const names = new Set<string>();
  const contents = new Map<string, string>();
  for (const c of [...valid, ...invalid]) {
    if (!c.name.trim()) throw new Error(`${rule.id}: a case has no name`);
    if (names.has(c.name)) throw new Error(`${rule.id}: duplicate case name "${c.name}"`);
    names.add(c.name);
    const key = JSON.stringify(
      filesOf(c).map((f) => Object.entries(f).sort(([a], [b]) => (a < b ? -1 : 1))),
    );
    const other = contents.get(key);
    if (other !== undefined) {
      throw new Error(`${rule.id}: cases "${other}" and "${c.name}" have the same files`);
    }
    contents.set(key, c.name);
  }
  for (const c of invalid) {
    if (!isNonEmptyList(c.errors)) {
      throw new Error(`${rule.id}: invalid case "${c.name}" expects no findings; list them`);
    }
    for (const e of c.errors) {
      const template = rule.meta.messages[e.messageId];
      if (template === undefined) {
        throw new Error(
          `${rule.id}: invalid case "${c.name}" expects unknown message id "${e.messageId}" ` +
            `(the rule has: ${Object.keys(rule.meta.messages).join(", ")})`,
        );
      }
      const wanted = placeholders(template).sort();
      const given = Object.keys(e.data ?? {}).sort();
      if (wanted.join() !== given.join()) {
        throw new Error(
          `${rule.id}: invalid case "${c.name}": data for "${e.messageId}" must give exactly ` +
            `{${wanted.join(", ")}}, not {${given.join(", ")}}`,
        );
      }
      if (!Number.isInteger(e.line) || !Number.isInteger(e.column) || !e.file) {
        throw new Error(
          `${rule.id}: invalid case "${c.name}": each finding needs file, line and column`,
        );
      }
    }
  }
}

/**
 * A list with something in it (cases may come from untyped code). Not a type guard: narrowing
 * with Array.isArray would turn the cases' typed lists into any[].
 */
export function isNonEmptyList(value: readonly unknown[] | undefined): boolean {
  return Array.isArray(value) && value.length > 0;
}

/** A report must use a declared message, fill exactly its placeholders, and name a resource. */
export function checkReport(rule: RuleWithMessages, report: Report): void {
  // collectReports has refused a report whose message the rule does not declare.
  const template = must(rule.meta.messages[report.messageId], `message "${report.messageId}"`);
  const wanted = placeholders(template).sort();
  const given = Object.keys(report.data ?? {}).sort();
  if (wanted.join() !== given.join()) {
    throw new AssertionError({
      message:
        `rule ${rule.id} reported "${report.messageId}" with data {${given.join(", ")}}, ` +
        `but its message has placeholders {${wanted.join(", ")}}`,
    });
  }
  for (const [key, value] of Object.entries(report.data ?? {})) {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new AssertionError({
        message: `rule ${rule.id} reported "${report.messageId}" with a number "${key}" that is not finite`,
      });
    }
  }
  if (!report.resource) {
    throw new AssertionError({ message: `rule ${rule.id} reported a finding with no resource` });
  }
}

/**
 * BASE_REPO's Cluster on another provider (line 6 is `provider:`), with `networking` lines
 * below it when given, as a file map to spread into a case's files.
 */
export function clusterOn(provider: string, networking = ""): Record<string, string> {
  const cluster = (BASE_REPO["netcompile.yaml"] ?? "").replace(
    "provider: bare-metal",
    `provider: ${provider}`,
  );
  return { "netcompile.yaml": networking ? `${cluster}  networking:\n${networking}` : cluster };
}

/**
 * An IPPool document with `spec` lines as written ("key: value"). Line numbers are fixed:
 * metadata.name is line 4 (value at column 9), spec line k (0-based) is line 6 + k, column 3.
 */
export function poolYaml(name: string, ...spec: string[]): string {
  return [
    "apiVersion: projectcalico.org/v3",
    "kind: IPPool",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    ...spec.map((line) => `  ${line}`),
    "",
  ].join("\n");
}

/** poolYaml as a crd.projectcalico.org/v1 object (Calico's CRD, applied directly): same lines. */
export function v1PoolYaml(name: string, ...spec: string[]): string {
  return poolYaml(name, ...spec).replace("projectcalico.org/v3", "crd.projectcalico.org/v1");
}

/** A Topology document holding one subnet, rack-1 (10.0.1.0/24), and `body` below `spec`. */
export function oneSubnetTopology(body: string): Record<string, string> {
  return {
    "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
${body}`,
  };
}

/** One entry of `spec.nodes`. */
export function nodeYaml(name: string, address: string): string {
  return `    - name: ${name}\n      address: ${address}\n`;
}

/** One entry of `spec.nodeGroups`, in rack-1. */
export function groupYaml(prefix: string, count: number, first: string): string {
  return `    - namePrefix: ${prefix}\n      count: ${count}\n      subnet: rack-1\n      firstAddress: ${first}\n`;
}
