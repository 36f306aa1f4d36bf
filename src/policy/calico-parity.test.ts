/**
 * Calico parity: every case of fixtures/calico-parity/ippool-validator-cases.json (59 from
 * Calico v3.31.7's validator_test.go, 10 from ippool_e2e_test.go, each naming its source
 * line) goes through the real pipeline — load, schema, resolve, rules — as the only pool of a
 * minimal valid repository, and our verdict (no unwaived error) must equal Calico's.
 *
 * The comparison is `clientv3Valid`: the verdict of Create through clientv3 with its
 * defaults filled in, which is what `kubectl apply` and `calicoctl apply` do and so what users
 * hit. `valid` (the raw validator without defaults) differs only for three namespaceSelector
 * cases, which the defaulted allowedUses [Workload, Tunnel] makes invalid (see
 * policies/docs/pool-allowed-uses.md).
 *
 * Each rejected case also names the codes that must reject it, so a case cannot pass for the
 * wrong reason. The repository around the pool is topology-neutral: one subnet per IP family,
 * dual-stack nodes (IPv4 and IPv6 pools find an address of their family), an underlay that
 * routes workload addresses, nodes outside every pool — topology rules add no errors.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";

interface ParityCase {
  readonly id: string;
  readonly source: string;
  readonly spec: Record<string, unknown>;
  readonly metadata?: { readonly name?: string };
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
const EXCEPTIONS: Readonly<Record<string, { readonly ours: boolean; readonly why: string }>> = {
  "legacy-nat-outgoing-false": {
    ours: false,
    why:
      "Calico accepts the legacy v1 field `nat-outgoing` when it is false (mustBeFalse) and ignores it. " +
      "netcompile's IPPool schema has no such field: written in a v3 repository it is a typo for " +
      'natOutgoing, and NC2001 says so ("did you mean natOutgoing"). Setting it true is refused by both.',
  },
};

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
  "legacy-ipip-set-rejected": ["NC2001"],
  "legacy-nat-outgoing-false": ["NC2001"],
  "legacy-nat-outgoing-true-rejected": ["NC2001"],
  "e2e-v6-host-bits-vxlan": ["pool-cidr-not-masked"],
  "e2e-v6-host-bits-ipip": ["pool-cidr-not-masked", "pool-ipip-ipv6"],
  "e2e-block-size-19": ["pool-block-size-range", "pool-smaller-than-block"],
  "e2e-block-size-33": ["pool-block-size-range"],
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

function verdict(c: ParityCase): { valid: boolean; codes: string[] } {
  const pool = stringify({
    apiVersion: "projectcalico.org/v3",
    kind: "IPPool",
    metadata: { name: c.metadata?.name ?? "parity-pool" },
    spec: c.spec,
  });
  const { diagnostics } = compile(new MemoryRepoReader({ ...REPO, "pool.yaml": pool }));
  const errors = diagnostics.filter((d) => d.severity === "error" && !d.waived);
  return { valid: errors.length === 0, codes: [...new Set(errors.map((d) => d.code))].sort() };
}

describe("Calico parity (IPPool validation, v3.31.7)", () => {
  it("covers at least 40 cases, each from a named upstream test line", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.source, c.id).toMatch(
        /^libcalico-go\/lib\/(validator\/v3\/validator_test|clientv3\/ippool_e2e_test)\.go:\d+$/,
      );
    }
  });

  it("names the rejecting codes for every rejected case, and only for those", () => {
    const rejected = cases
      .filter((c) => !(EXCEPTIONS[c.id]?.ours ?? c.clientv3Valid))
      .map((c) => c.id);
    expect(Object.keys(REJECTED_BY).sort()).toEqual(rejected.sort());
  });

  it.each(cases.map((c) => [c.id, c] as const))("%s", (_, c) => {
    const expected = EXCEPTIONS[c.id]?.ours ?? c.clientv3Valid;
    const ours = verdict(c);
    expect(ours.valid, `${c.source}: ${c.reason}`).toBe(expected);
    expect(ours.codes).toEqual([...(REJECTED_BY[c.id] ?? [])].sort());
  });

  it("agrees with Calico on every case but the documented exceptions", () => {
    const disagreements = cases
      .filter((c) => verdict(c).valid !== c.clientv3Valid)
      .map((c) => c.id);
    expect(disagreements).toEqual(Object.keys(EXCEPTIONS));
  });
});
