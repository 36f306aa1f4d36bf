/**
 * A strict tester for live rules, after the model rule tester (src/policy/tester.ts). Each case
 * is a repository (files laid over the tester's base repository) compiled by the pipeline up to
 * the model, and a snapshot (files held in memory, read by the snapshot loader as
 * `netcompile verify` reads a folder), then run through the one rule under test. Tests assert
 * what the rule reports — message id, data, where in the repository, and every related
 * location in the snapshot — never the prose. The tester refuses sloppy tests:
 *  - two cases with the same name, or the same files;
 *  - an invalid case with no expected findings;
 *  - an expected finding with an unknown message id, or data that does not fill exactly the
 *    message's placeholders;
 *  - a case whose repository does not reach the policy stage, or whose snapshot has errors;
 *  - a rule that reports an unknown message id, data that does not fill its message, or no
 *    resource;
 *  - a message id that no invalid case exercises.
 */
import { AssertionError } from "node:assert";
import { hasErrors } from "../diagnostics/types.js";
import { loadSnapshotFrom } from "../live/load.js";
import { interpretSnapshot, type LiveSnapshot } from "../live/snapshot.js";
import { MemoryRepoReader } from "../load/reader.js";
import type { Model } from "../model/types.js";
import { collectLiveReports } from "./live-engine.js";
import type { LiveRule } from "./live-rule.js";
import type { Report } from "./rule.js";
import {
  BASE_REPO,
  checkCases,
  checkReport,
  checkRuleMeta,
  comparableExpected,
  compileCase,
  describeFindings,
  overlayFiles,
  sortFindings,
  toComparable,
  type CaseFiles,
  type ExpectedFinding,
  type ExpectedRelated,
  type TestFramework,
} from "./tester.js";

/** Where the tester's snapshot files are: messages name them `live/<path>`. */
export const LIVE_DIR = "live";

export interface ValidLiveCase {
  readonly name: string;
  /** Files laid over the base repository (`null` removes one). */
  readonly files?: CaseFiles;
  /** The snapshot's files, relative to the snapshot folder (laid over the base snapshot). */
  readonly live: CaseFiles;
}

export interface ExpectedLiveFinding extends ExpectedFinding {
  /** Every related location, in order (none when omitted). */
  readonly related?: readonly ExpectedRelated[];
}

export interface InvalidLiveCase extends ValidLiveCase {
  readonly errors: readonly ExpectedLiveFinding[];
}

export class LiveRuleTester {
  constructor(
    private readonly framework: TestFramework,
    private readonly baseLive: Readonly<Record<string, string>> = BASE_LIVE,
    private readonly base: Readonly<Record<string, string>> = BASE_REPO,
  ) {}

  run(
    rule: LiveRule,
    cases: {
      readonly valid: readonly ValidLiveCase[];
      readonly invalid: readonly InvalidLiveCase[];
    },
  ): void {
    checkRuleMeta(rule);
    if (rule.meta.scope !== "live") throw new Error(`rule ${rule.id} is not a live rule`);
    checkCases(rule, cases.valid, cases.invalid, (c) => [c.files ?? {}, c.live]);
    describeFindings(this.framework, rule, cases, {
      actual: (c) => this.reportsFor(rule, c).map((r) => toComparable(r, true)),
      expected: (c, actual) => c.errors.map((e) => comparableExpected(e, actual, true)),
      sort: sortFindings,
    });
  }

  private reportsFor(rule: LiveRule, c: ValidLiveCase): Report[] {
    const model = this.modelFor(c);
    const live = this.snapshotFor(c);
    const reports = collectLiveReports(rule, model, live);
    for (const report of reports) checkReport(rule, report);
    return reports;
  }

  private modelFor(c: ValidLiveCase): Model {
    return compileCase(overlayFiles(this.base, c.files ?? {}), c.name);
  }

  private snapshotFor(c: ValidLiveCase): LiveSnapshot {
    return testSnapshot(overlayFiles(this.baseLive, c.live), c.name);
  }
}

/** A snapshot held in memory, read as a folder named `live`; a snapshot with errors throws. */
export function testSnapshot(
  files: Readonly<Record<string, string>>,
  name = "snapshot",
): LiveSnapshot {
  const snapshot = interpretSnapshot(
    loadSnapshotFrom(
      new MemoryRepoReader(files, LIVE_DIR),
      (rel) => `${LIVE_DIR}/${rel}`,
      LIVE_DIR,
    ),
  );
  if (hasErrors(snapshot.diagnostics)) {
    const shown = snapshot.diagnostics
      .filter((d) => d.severity === "error")
      .map((d) => `  ${d.file}:${d.line}:${d.column}: ${d.code}: ${d.message}`);
    throw new AssertionError({
      message: `case "${name}": the snapshot has errors:\n${shown.join("\n")}`,
    });
  }
  return snapshot;
}

// ---------------------------------------------------------------------------------------------
// Snapshot files for cases, as `kubectl get node NAME -o yaml` prints them (trimmed to what
// netcompile reads). Line numbers are fixed: in a file written by `kubeNode`,
//   line 5  projectcalico.org/IPv4Address (value at column 36), when given;
//   the other annotations follow in the order of `NodeOptions`, then `labels:`, then `name:`.

export interface NodeOptions {
  /** projectcalico.org/IPv4Address, e.g. "10.0.1.10/24". */
  readonly ipv4?: string;
  readonly ipip?: string;
  readonly vxlan?: string;
  readonly ipv6?: string;
  readonly vxlanV6?: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** status.addresses InternalIP. */
  readonly internalIP?: string;
}

/** A v1 Node, as kubectl prints it (fields netcompile does not read left out). */
export function kubeNode(name: string, options: NodeOptions): string {
  const annotations: [string, string | undefined][] = [
    ["projectcalico.org/IPv4Address", options.ipv4],
    ["projectcalico.org/IPv4IPIPTunnelAddr", options.ipip],
    ["projectcalico.org/IPv4VXLANTunnelAddr", options.vxlan],
    ["projectcalico.org/IPv6Address", options.ipv6],
    ["projectcalico.org/IPv6VXLANTunnelAddr", options.vxlanV6],
  ];
  const present = annotations.filter((a): a is [string, string] => a[1] !== undefined);
  const labels = { "kubernetes.io/hostname": name, ...options.labels };
  const internal = options.internalIP ?? options.ipv4?.split("/")[0];
  return [
    "apiVersion: v1",
    "kind: Node",
    "metadata:",
    "  annotations:",
    ...(present.length
      ? present.map(([k, v]) => `    ${k}: ${v}`)
      : ['    node.alpha.kubernetes.io/ttl: "0"']),
    "  labels:",
    ...Object.entries(labels).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`),
    `  name: ${name}`,
    "status:",
    "  addresses:",
    ...(internal ? [`  - address: ${internal}`, "    type: InternalIP"] : []),
    `  - address: ${name}`,
    "    type: Hostname",
    "",
  ].join("\n");
}

/** An IPPool as `calicoctl get ippool NAME -o yaml` prints it; spec lines start at line 6. */
export function livePool(name: string, ...spec: string[]): string {
  return [
    "apiVersion: projectcalico.org/v3",
    "kind: IPPool",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    ...spec.map((l) => `  ${l}`),
    "",
  ].join("\n");
}

/** The snapshot of the tester's base repository: two nodes and pool-1 as the cluster runs them. */
export const BASE_LIVE: Readonly<Record<string, string>> = {
  "node-1.yaml": kubeNode("node-1", { ipv4: "10.0.1.10/24", ipip: "192.168.10.1" }),
  "node-2.yaml": kubeNode("node-2", { ipv4: "10.0.2.10/24", ipip: "192.168.20.1" }),
  "ippools.yaml": livePool(
    "pool-1",
    "allowedUses: [Workload, Tunnel]",
    "blockSize: 26",
    "cidr: 192.168.0.0/16",
    "ipipMode: CrossSubnet",
    "natOutgoing: true",
    "nodeSelector: all()",
    "vxlanMode: Never",
  ),
};

/** The calico-config ConfigMap; data.veth_mtu's value is on line 8, column 14. */
export function calicoConfig(vethMTU: string, backend = "bird"): string {
  return [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: calico-config",
    "  namespace: kube-system",
    "data:",
    `  calico_backend: ${backend}`,
    `  veth_mtu: "${vethMTU}"`,
    "",
  ].join("\n");
}

/**
 * Where the model tester's clusterOn puts its `provider:` value `name`: a finding at the
 * provider's default MTU.
 */
export function providerAt(name: string) {
  return { file: "netcompile.yaml", line: 6, column: 13, endLine: 6, endColumn: 13 + name.length };
}
