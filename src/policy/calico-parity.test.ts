/**
 * Calico parity: every case of fixtures/calico-parity/ippool-validator-cases.json (from Calico
 * v3.31.7's validator_test.go and ippool_e2e_test.go, each naming its source line) goes through
 * the real pipeline, and our verdict must equal Calico's. Three kinds of case:
 *
 *  - a create (the default): the pool is the only one of a minimal valid repository, and the
 *    verdict is "no unwaived error";
 *  - a create beside other pools (`existing`): those pools are in the repository too, as a
 *    GitOps repository holds every pool;
 *  - an update (`update`): the repository with the pool as `update.spec` is the plan's base, the
 *    case's spec the change, planned as `netcompile plan --base` plans it. Calico rejects the
 *    update: we must fail it with the codes named. Calico accepts it: we must not fail it — or
 *    gate it as disruptive, where the only errors are unacknowledged disruptions (NC6001), which
 *    an acknowledgement accepts.
 *
 * The comparison is `clientv3Valid`: the verdict of Calico's API server path (clientv3 with its
 * defaults filled in, then the validator), which is what `kubectl apply` of a projectcalico.org/v3
 * object and `calicoctl apply` do. `valid` (the raw validator without defaults) differs only for
 * three namespaceSelector cases, which the defaulted allowedUses [Workload, Tunnel] makes invalid
 * (see policies/docs/pool-allowed-uses.md).
 *
 * Each rejected case also names the codes that must reject it, so a case cannot pass for the
 * wrong reason. The repository around the pool is topology-neutral: one subnet per IP family,
 * dual-stack nodes (IPv4 and IPv6 pools find an address of their family), an underlay that
 * routes workload addresses, nodes outside every pool — topology rules add no errors.
 *
 * Not covered, because they depend on the cluster's IPAM state rather than on the objects:
 * ippool_e2e_test.go:1093 and :1117 (a new pool whose blockSize differs from blocks already
 * allocated in its range).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { Diagnostic } from "../diagnostics/types.js";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { modelBase } from "../plan/base.js";
import { makePlan } from "../plan/plan.js";

interface ParityCase {
  readonly id: string;
  readonly source: string;
  readonly spec: Record<string, unknown>;
  readonly metadata?: {
    readonly name?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  /** An annotation `key` whose value is "x" repeated this many times (too long to write out). */
  readonly annotationLength?: number;
  /** Pools that exist already (created before this one): they are in the repository too. */
  readonly existing?: readonly { readonly name: string; readonly spec: Record<string, unknown> }[];
  /** An update: the pool as it is before (`spec` is the pool after). */
  readonly update?: { readonly spec: Record<string, unknown> };
  readonly valid: boolean;
  readonly clientv3Valid: boolean;
  readonly reason: string;
}

const cases = JSON.parse(
  readFileSync(
    join(
      import.meta.dirname,
      "..",
      "..",
      "fixtures",
      "calico-parity",
      "ippool-validator-cases.json",
    ),
    "utf8",
  ),
) as ParityCase[];

/** Where netcompile deliberately differs from Calico, and why. Keep this list short. */
const EXCEPTIONS: Readonly<Record<string, { readonly ours: boolean; readonly why: string }>> = {};

/** The codes that reject each case Calico rejects (schema codes where the schema decides). */
const REJECTED_BY: Readonly<Record<string, readonly string[]>> = {
  "name-254-chars-rejected": ["NC2005"],
  "node-selector-syntax-invalid": ["pool-selector-invalid"],
  "enabled-v4-27-too-small": ["pool-smaller-than-block"],
  "enabled-v6-128-too-small": ["pool-smaller-than-block"],
  "v4-prefix-33-unparseable": ["pool-cidr-invalid"],
  "v6-prefix-129-unparseable": ["pool-cidr-invalid"],
  "v6-ipip-always-rejected": ["pool-ipip-ipv6", "pool-smaller-than-block"],
  "v6-vxlan-always-128-rejected": ["pool-smaller-than-block"],
  "v4-link-local-overlap": ["pool-cidr-link-local"],
  "v6-link-local-overlap": ["pool-cidr-link-local"],
  "allowed-uses-loadbalancer-with-tunnel": ["pool-allowed-uses"],
  "allowed-uses-unknown-value": ["NC2004"],
  "assignment-mode-empty-string": ["NC2004"],
  "loadbalancer-with-disable-bgp-export": ["pool-allowed-uses"],
  "loadbalancer-with-vxlan": ["pool-allowed-uses"],
  "loadbalancer-with-ipip": ["pool-allowed-uses"],
  "loadbalancer-node-selector-not-all": ["pool-allowed-uses"],
  "tunnel-with-namespace-selector": ["pool-allowed-uses"],
  "workload-tunnel-with-namespace-selector": ["pool-allowed-uses"],
  "node-selector-global-rejected": ["pool-selector-invalid"],
  "namespace-selector-global-rejected": ["pool-allowed-uses", "pool-selector-invalid"],
  "namespace-selector-simple": ["pool-allowed-uses"],
  "namespace-selector-or": ["pool-allowed-uses"],
  "namespace-selector-contains": ["pool-allowed-uses"],
  "ipip-mode-bad-value": ["NC2004"],
  "ipip-mode-lowercase-never": ["NC2004"],
  "ipip-and-vxlan-both-always": ["pool-encapsulation-exclusive"],
  "vxlan-mode-lowercase-never": ["NC2004"],
  "vxlan-mode-bad-value": ["NC2004"],
  "legacy-ipip-set-rejected": ["pool-legacy-field-rejected"],
  "legacy-nat-outgoing-true-rejected": ["pool-legacy-field-rejected"],
  "e2e-v6-host-bits-vxlan": ["pool-cidr-not-masked"],
  "e2e-v6-host-bits-ipip": ["pool-cidr-not-masked", "pool-ipip-ipv6"],
  "e2e-block-size-19": ["pool-block-size-range", "pool-smaller-than-block"],
  "e2e-block-size-33": ["pool-block-size-range"],
  "labels-value-64-rejected": ["pool-metadata-invalid"],
  "labels-uppercase-domain-rejected": ["pool-metadata-invalid"],
  "annotations-invalid-key-rejected": ["pool-metadata-invalid"],
  "annotations-invalid-key-rejected-again": ["pool-metadata-invalid"],
  "annotations-over-256k-rejected": ["pool-metadata-invalid"],
  "e2e-no-name-rejected": ["NC2003"],
  "e2e-create-same-cidr-rejected": ["pool-overlap"],
  "e2e-create-larger-overlap-rejected": ["pool-overlap"],
  "e2e-create-smaller-overlap-rejected": ["pool-overlap"],
  "e2e-create-same-cidr-block-size-rejected": ["pool-overlap"],
  "e2e-create-half-overlap-rejected": ["pool-overlap", "pool-smaller-than-block"],
  "e2e-update-cidr-rejected": ["pool-immutable-field"],
  "e2e-update-block-size-rejected": ["pool-immutable-field"],
};

/** Updates Calico accepts that netcompile gates as disruptive (only NC6001), and why. */
const GATED: Readonly<Record<string, string>> = {
  "e2e-update-ipip-to-vxlan-accepted":
    "an encapsulation switch, the derived backend and MTU follow: each needs its acknowledgement",
  "e2e-update-enable-vxlan-accepted":
    "an encapsulation switch (None -> VXLAN), the derived backend and MTU follow",
  "e2e-update-enable-ipip-accepted": "an encapsulation switch (None -> IPIP), the MTU follows",
};

const REPO = {
  "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: parity
spec:
  provider: bare-metal
`,
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  underlay:
    routesWorkloadIPs: true
  subnets:
    - name: rack
      cidr: 10.0.1.0/24
    - name: rack-v6
      cidr: fd00:10::/64
  nodes:
    - name: node-1
      address: 10.0.1.10
      addressV6: fd00:10::10
    - name: node-2
      address: 10.0.1.11
      addressV6: fd00:10::11
`,
};

function poolDoc(metadata: Record<string, unknown>, spec: Record<string, unknown>): string {
  return stringify({ apiVersion: "projectcalico.org/v3", kind: "IPPool", metadata, spec });
}

/** The repository holding the case's pool (as `spec`, or as `before.spec` for the base). */
function repoFor(c: ParityCase, spec: Record<string, unknown>): MemoryRepoReader {
  const metadata: Record<string, unknown> = { ...(c.metadata ?? { name: "parity-pool" }) };
  if (c.annotationLength !== undefined)
    metadata.annotations = { key: "x".repeat(c.annotationLength) };
  const files: Record<string, string> = { ...REPO, "pool.yaml": poolDoc(metadata, spec) };
  (c.existing ?? []).forEach((p, i) => {
    files[`existing-${i}.yaml`] = poolDoc({ name: p.name }, p.spec);
  });
  return new MemoryRepoReader(files);
}

interface Verdict {
  /** No error: Calico accepts it, and so do we. */
  readonly valid: boolean;
  /** Only unacknowledged disruptions (NC6001) fail it: accepted once acknowledged. */
  readonly gated: boolean;
  /** The codes of the errors. */
  readonly codes: string[];
}

const errorsOf = (diagnostics: readonly Diagnostic[]) =>
  diagnostics.filter((d) => d.severity === "error" && !d.waived);
const codesOf = (errors: readonly Diagnostic[]) => [...new Set(errors.map((d) => d.code))].sort();

function verdict(c: ParityCase): Verdict {
  if (!c.update) {
    const errors = errorsOf(compile(repoFor(c, c.spec)).diagnostics);
    return { valid: errors.length === 0, gated: false, codes: codesOf(errors) };
  }
  const before = compile(repoFor(c, c.update.spec), { render: "all" });
  expect(errorsOf(before.diagnostics), `${c.id}: the pool before the update`).toEqual([]);
  const after = compile(repoFor(c, c.spec), { render: "all" });
  if (!after.model || !after.files) {
    const errors = errorsOf(after.diagnostics);
    return { valid: false, gated: false, codes: codesOf(errors) };
  }
  const plan = makePlan(
    modelBase({ kind: "git", ref: "base", commit: undefined, description: "base" }, before),
    { model: after.model, files: after.files, diagnostics: after.diagnostics },
  );
  const errors = errorsOf(plan.diagnostics);
  const codes = codesOf(errors);
  return {
    valid: errors.length === 0,
    gated: errors.length > 0 && codes.every((code) => code === "NC6001"),
    codes,
  };
}

describe("Calico parity (IPPool validation, v3.31.7)", () => {
  it("covers at least 90 cases, each from a named upstream test line", () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.source, c.id).toMatch(
        /^libcalico-go\/lib\/(validator\/v3\/validator_test|clientv3\/ippool_e2e_test)\.go:\d+$/,
      );
    }
    expect(cases.filter((c) => c.update).length).toBeGreaterThanOrEqual(7);
  });

  it("names the rejecting codes for every rejected case, and only for those", () => {
    const rejected = cases
      .filter((c) => !(EXCEPTIONS[c.id]?.ours ?? c.clientv3Valid))
      .map((c) => c.id);
    expect(Object.keys(REJECTED_BY).sort()).toEqual(rejected.sort());
    for (const id of Object.keys(GATED)) {
      expect(cases.find((c) => c.id === id)?.clientv3Valid, id).toBe(true);
    }
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_, c) => {
    const expected = EXCEPTIONS[c.id]?.ours ?? c.clientv3Valid;
    const ours = verdict(c);
    if (expected && GATED[c.id]) {
      // Calico accepts it; netcompile asks for acknowledgements and for nothing else.
      expect(ours.gated, `${c.source}: ${c.reason} (${ours.codes.join(", ")})`).toBe(true);
      return;
    }
    expect(ours.valid, `${c.source}: ${c.reason} (${ours.codes.join(", ")})`).toBe(expected);
    expect(ours.codes).toEqual([...(REJECTED_BY[c.id] ?? [])].sort());
  });

  it("agrees with Calico on every case, updates included", () => {
    const disagreements = cases
      .filter((c) => {
        const ours = verdict(c);
        return c.clientv3Valid ? !(ours.valid || ours.gated) : ours.valid || ours.gated;
      })
      .map((c) => c.id);
    expect(disagreements).toEqual(Object.keys(EXCEPTIONS));
  });
});
