/** Waivers and rule settings, through the real pipeline (load -> schema -> resolve -> policy). */
import { describe, expect, it } from "vitest";
import { summarize, hasErrors, type Diagnostic } from "../diagnostics/types.js";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { runRules } from "./engine.js";
import { rules } from "./rules/index.js";
import type { PlanRule } from "./plan-rule.js";
import { BASE_REPO, poolYaml } from "./tester.js";

function validate(files: Record<string, string | null>): readonly Diagnostic[] {
  const all: Record<string, string> = { ...BASE_REPO };
  for (const [path, text] of Object.entries(files)) {
    if (text === null) delete all[path];
    else all[path] = text;
  }
  return compile(new MemoryRepoReader(all)).diagnostics;
}

const brief = (d: Diagnostic) =>
  `${d.file}:${d.line}:${d.column} ${d.severity}${d.waived ? " (waived)" : ""} ${d.code}`;

/** A pool at 10.0.0.0/16, over both subnets of the base topology, with annotations. */
function overlapping(annotation: string): string {
  return `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: p
  annotations:
    netcompile.dev/waive: ${annotation}
spec:
  cidr: 10.0.0.0/16
  ipipMode: CrossSubnet
`;
}

describe("waivers", () => {
  it("waive a finding on the resource: severity kept, marked, counted, and not failing", () => {
    const d = validate({
      "pools.yaml": overlapping('"pool-overlaps-underlay: lab reuses the range (NET-1)"'),
    });
    expect(d.map(brief)).toEqual([
      "pools.yaml:8:9 error (waived) pool-overlaps-underlay",
      "pools.yaml:8:9 error (waived) pool-overlaps-underlay",
    ]);
    expect(d[0]!.waived).toEqual({
      reason: "lab reuses the range (NET-1)",
      file: "pools.yaml",
      line: 6,
      column: 27,
    });
    expect(hasErrors(d)).toBe(false);
    expect(summarize(d)).toEqual({ errors: 0, warnings: 0, infos: 0, waived: 2 });
  });

  it("take one waiver per line of the annotation", () => {
    const value = `|\n      pool-overlaps-underlay: lab reuses the range\n      pool-selects-no-nodes: nodes come later\n`;
    const pool = overlapping(value).replace(
      "  ipipMode: CrossSubnet\n",
      '  ipipMode: CrossSubnet\n  nodeSelector: role == "x"\n',
    );
    const d = validate({ "pools.yaml": pool });
    // The nodes the pool does not select are the Topology's findings, and are not waived.
    expect(d.map(brief)).toEqual([
      "pools.yaml:11:9 error (waived) pool-overlaps-underlay",
      "pools.yaml:11:9 error (waived) pool-overlaps-underlay",
      "pools.yaml:13:17 warning (waived) pool-selects-no-nodes",
      "topology.yaml:12:13 warning node-without-pool",
      "topology.yaml:14:13 warning node-without-pool",
    ]);
    expect(d.map((x) => x.waived?.reason)).toEqual([
      "lab reuses the range",
      "lab reuses the range",
      "nodes come later",
      undefined,
      undefined,
    ]);
  });

  it("refuse a waiver without a reason, or that is not '<rule-id>: <reason>'", () => {
    for (const [value, code, data] of [
      [
        '"pool-overlaps-underlay:"',
        "NC3028",
        { text: "pool-overlaps-underlay:", rule: "pool-overlaps-underlay" },
      ],
      ['"pool-overlaps-underlay"', "NC3004", { text: "pool-overlaps-underlay" }],
      ['"NC2001: legacy field"', "NC3027", { text: "NC2001: legacy field", code: "NC2001" }],
      ['""', "NC3026", {}],
    ] as const) {
      const d = validate({ "pools.yaml": overlapping(value) });
      const problem = d.find((x) => x.code === code);
      expect(problem, value).toBeDefined();
      expect(problem!.data).toEqual(data);
      expect([problem!.line, problem!.column, problem!.severity]).toEqual([6, 27, "error"]);
      // The finding it meant to waive still fails the gate.
      expect(
        d.filter((x) => x.code === "pool-overlaps-underlay" && !x.waived).length,
      ).toBeGreaterThan(0);
    }
  });

  it("warn about a waiver that matches nothing, with a suggestion for a misspelled rule", () => {
    const d = validate({
      "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet").replace(
        "  name: p\n",
        "  name: p\n  annotations:\n    netcompile.dev/waive: |\n      pool-selects-no-nodes: nodes come later\n      pool-overlap-underlay: typo\n",
      ),
    });
    expect(d.map((x) => `${brief(x)} ${x.message}`)).toEqual([
      'pools.yaml:6:27 warning NC3005 waiver for "pool-overlap-underlay" matches no finding on IPPool/p; no rule is called "pool-overlap-underlay"; did you mean "pool-overlaps-underlay"?; remove it',
      'pools.yaml:6:27 warning NC3005 waiver for "pool-selects-no-nodes" matches no finding on IPPool/p; remove it',
    ]);
  });

  it("do not warn about a waiver for a rule that is off", () => {
    const cluster = `${BASE_REPO["netcompile.yaml"]}  rules:\n    pool-selects-no-nodes: "off"\n`;
    const pool = poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet").replace(
      "  name: p\n",
      '  name: p\n  annotations:\n    netcompile.dev/waive: "pool-selects-no-nodes: migrating"\n',
    );
    expect(validate({ "netcompile.yaml": cluster, "pools.yaml": pool })).toEqual([]);
  });

  it("refuse a waiver of Calico's own verdict: an error at the waiver, and the finding stays", () => {
    const pool = poolYaml("p", "cidr: 10.244.0.5/16", "ipipMode: CrossSubnet").replace(
      "  name: p\n",
      '  name: p\n  annotations:\n    netcompile.dev/waive: "pool-cidr-not-masked: we mean the /16"\n',
    );
    const d = validate({ "pools.yaml": pool });
    expect(d.map(brief)).toEqual([
      "pools.yaml:6:27 error NC3045",
      "pools.yaml:8:9 error pool-cidr-not-masked",
    ]);
    expect(d[0]!.message).toBe(
      "waiver of pool-cidr-not-masked on IPPool/p refused: the finding is Calico's own verdict (Calico or its operator rejects the object, or the manifest could not carry it), so no reason makes it valid; fix the resource",
    );
    expect(hasErrors(d)).toBe(true);
  });

  it("refuse a waiver of what the operator drops or refuses, and keep it an error whatever spec.rules says", () => {
    const operator = (rules = "") => `${BASE_REPO["netcompile.yaml"]}  install: operator\n${rules}`;
    const pool = poolYaml(
      "p",
      "cidr: 10.244.0.0/28",
      "ipipMode: CrossSubnet",
      "disabled: true",
    ).replace(
      "  name: p\n",
      '  name: p\n  annotations:\n    netcompile.dev/waive: "operator-pool-unsupported: disabled anyway"\n',
    );
    const waived = validate({ "netcompile.yaml": operator(), "pools.yaml": pool });
    expect(waived.map(brief)).toEqual([
      "pools.yaml:6:27 error NC3045",
      "pools.yaml:8:9 error operator-pool-unsupported",
    ]);
    const off = validate({
      "netcompile.yaml": operator('  rules:\n    operator-pool-unsupported: "off"\n'),
      "pools.yaml": pool,
    });
    expect(off.map(brief)).toEqual([
      "netcompile.yaml:9:32 error NC3046",
      "pools.yaml:6:27 error NC3045",
      "pools.yaml:8:9 error operator-pool-unsupported",
    ]);
  });

  it("keep Calico's own verdicts errors whatever spec.rules says", () => {
    const overlap = poolYaml("q", "cidr: 192.168.128.0/17", "ipipMode: CrossSubnet");
    for (const setting of ['"off"', "warning", "info"]) {
      const d = validate({
        "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]}  rules:\n    pool-overlap: ${setting}\n`,
        "more.yaml": overlap,
      });
      // pool-overlap reports the later of the two pools (pools.yaml is read after more.yaml).
      expect(d.map(brief), setting).toEqual([
        "netcompile.yaml:8:19 error NC3046",
        "pools.yaml:6:9 error pool-overlap",
      ]);
    }
  });

  it("cover only the resource that carries them: a Topology covers its nodes, not the pools", () => {
    const topology = BASE_REPO["topology.yaml"]!.replace(
      "  name: lab\n",
      '  name: lab\n  annotations:\n    netcompile.dev/waive: "node-without-pool: node-2 runs no pods (OPS-9)"\n',
    );
    // Unencapsulated: node-2 needs no tunnel address to reach p's workloads (pool-tunnel-address).
    const pool = poolYaml(
      "p",
      "cidr: 10.244.0.0/16",
      "natOutgoing: true",
      'nodeSelector: kubernetes.io/hostname == "node-1"',
    );
    const other = poolYaml("q", "cidr: 10.0.1.0/24", "ipipMode: CrossSubnet", "disabled: true");
    const d = validate({ "topology.yaml": topology, "pools.yaml": pool, "q.yaml": other });
    expect(d.map(brief)).toEqual([
      "q.yaml:6:9 error pool-overlaps-underlay",
      "topology.yaml:16:13 warning (waived) node-without-pool",
    ]);
  });

  it("cover only the document that carries them, also beside another in the same file", () => {
    const waived = overlapping('"pool-overlaps-underlay: lab reuses the range (NET-1)"');
    const other = poolYaml("q", "cidr: 10.0.1.0/24", "ipipMode: CrossSubnet", "disabled: true");
    const d = validate({ "pools.yaml": `${waived}---\n${other}` });
    expect(d.map(brief)).toEqual([
      "pools.yaml:8:9 error (waived) pool-overlaps-underlay",
      "pools.yaml:8:9 error (waived) pool-overlaps-underlay",
      "pools.yaml:16:9 error pool-overlap",
      "pools.yaml:16:9 error pool-overlaps-underlay",
    ]);
  });

  it("cover a finding on the Cluster", () => {
    const cluster = `${BASE_REPO["netcompile.yaml"]!.replace(
      "  name: test\n",
      '  name: test\n  annotations:\n    netcompile.dev/waive: "vxlan-only-bgp-unneeded: we peer with the ToR"\n',
    )}  networking:\n    backend: bird\n`;
    const d = validate({
      "netcompile.yaml": cluster,
      "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "vxlanMode: Always"),
    });
    expect(d.map(brief)).toEqual(["netcompile.yaml:10:14 info (waived) vxlan-only-bgp-unneeded"]);
  });

  it("leave waivers for plan-only rules alone in validate", () => {
    const planRule: PlanRule = {
      id: "plan-only-rule",
      meta: {
        description: "Plan only.",
        defaultSeverity: "error",
        messages: { x: "x" },
        titles: { x: "x" },
        scope: "plan",
        acknowledgeable: false,
      },
      check() {},
    };
    const pool = poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet").replace(
      "  name: p\n",
      '  name: p\n  annotations:\n    netcompile.dev/waive: "plan-only-rule: moving the pool"\n',
    );
    const result = compile(new MemoryRepoReader({ ...BASE_REPO, "pools.yaml": pool }));
    expect(runRules(result.model!, [...rules, planRule])).toEqual([]);
    expect(runRules(result.model!, [...rules, disruptionRule])).toMatchObject([{ code: "NC3005" }]);
  });
});

/** A disruption kind: acknowledged by the change, never turned off or waived. */
const disruptionRule: PlanRule = {
  id: "plan-only-rule",
  meta: {
    description: "A disruption.",
    defaultSeverity: "error",
    messages: { x: "x" },
    titles: { x: "x" },
    scope: "plan",
    acknowledgeable: true,
  },
  check() {
    throw new Error("validate must not run plan rules");
  },
};

describe("rule settings (Cluster spec.rules)", () => {
  const unencapsulatedOnAws = {
    "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet"),
  };
  const withRules = (...lines: string[]) => ({
    ...unencapsulatedOnAws,
    "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]!.replace("bare-metal", "aws")}  rules:\n${[...lines, 'firewall-requirements: "off"'].map((l) => `    ${l}\n`).join("")}`,
  });

  it("use the rule's default severity", () => {
    const d = validate({ ...withRules("pool-overlap: error") });
    expect(d.map(brief)).toEqual(["pools.yaml:7:13 warning aws-src-dst-check"]);
  });

  it("raise or lower a severity, or turn a rule off", () => {
    expect(validate(withRules("aws-src-dst-check: error")).map(brief)).toEqual([
      "pools.yaml:7:13 error aws-src-dst-check",
    ]);
    expect(validate(withRules("aws-src-dst-check: info")).map(brief)).toEqual([
      "pools.yaml:7:13 info aws-src-dst-check",
    ]);
    expect(validate(withRules('aws-src-dst-check: "off"'))).toEqual([]);
  });

  it("never run a plan rule, and do not name a disruption (an acknowledgement accepts it)", () => {
    const model = compile(
      new MemoryRepoReader({
        ...BASE_REPO,
        "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]}  rules:\n    plan-only-rule: "off"\n`,
      }),
    ).model!;
    expect(
      runRules(model, [...rules, disruptionRule]).map((d) => `${d.code} ${d.message}`),
    ).toEqual(['NC3003 unknown rule "plan-only-rule"']);
  });

  it("refuse an unknown rule id, with a suggestion", () => {
    const d = validate(withRules("aws-src-dest-check: error"));
    expect(d.map((x) => `${brief(x)} ${x.message}`)).toContainEqual(
      'netcompile.yaml:8:5 error NC3003 unknown rule "aws-src-dest-check"; did you mean "aws-src-dst-check"?',
    );
  });
});
