/**
 * Policy assertions a repository writes (issue 18, items 19 and 21): a JSON Schema must either
 * work as it reads or be refused — never pass silently (`required: [toString]`, `$async`) —
 * and must not cost more than a bounded amount whatever it says (a pattern that backtracks,
 * uniqueItems over a long list).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MemoryRepoReader } from "../../src/load/reader.js";
import { compile } from "../../src/pipeline.js";
import { cli, minimalRepo } from "../support.js";
import { repositories, runCli } from "./support.js";

/** The work an assertion does, counted (never timed): what the validators read, what RE2 ran. */
const work = vi.hoisted(() => ({ reads: 0, re2Patterns: [] as string[], re2Tests: 0 }));

vi.mock(import("ajv"), async (original) => {
  const ajv = await original();
  const proxies = new WeakMap<object, object>();
  /** The value, every property read below it counted (frozen fields are read through as is). */
  const counted = (value: unknown): unknown => {
    if (value === null || typeof value !== "object") return value;
    let proxy = proxies.get(value);
    if (!proxy) {
      proxy = new Proxy(value, {
        get(target, key, receiver) {
          work.reads++;
          const field = Reflect.get(target, key, receiver) as unknown;
          const own = Reflect.getOwnPropertyDescriptor(target, key);
          return own && !own.configurable && !own.writable ? field : counted(field);
        },
      });
      proxies.set(value, proxy);
    }
    return proxy;
  };
  /** Every validator an Ajv compiles reads its data through `counted`. */
  const Ajv = new Proxy(ajv.Ajv, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget) as InstanceType<typeof ajv.Ajv>;
      const compile = instance.compile.bind(instance);
      instance.compile = ((...params: Parameters<typeof compile>) =>
        new Proxy(compile(...params), {
          apply: (validate, self, [data, ...rest]: unknown[]) =>
            Reflect.apply(validate, self, [counted(data), ...rest]) as unknown,
        })) as typeof compile;
      return instance;
    },
  });
  return { ...ajv, Ajv };
});
vi.mock(import("re2js"), async (original) => {
  const re2js = await original();
  class CountingRE2JS extends re2js.RE2JS {
    static override compile(...args: Parameters<typeof re2js.RE2JS.compile>) {
      work.re2Patterns.push(args[0]);
      const compiled = re2js.RE2JS.compile(...args);
      const test = compiled.test.bind(compiled);
      compiled.test = (text: string) => {
        work.re2Tests++;
        return test(text);
      };
      return compiled;
    }
  }
  return { ...re2js, RE2JS: CountingRE2JS };
});
beforeEach(() => {
  work.reads = 0;
  work.re2Patterns = [];
  work.re2Tests = 0;
});

const repos = repositories();
afterEach(() => repos.cleanup());

interface JsonDiagnostic {
  code: string;
  severity: string;
  message: string;
  line: number;
}

const policy = (assert: string, kinds = "[IPPool]") => `apiVersion: netcompile.dev/v1alpha1
kind: Policy
metadata:
  name: org-rule
spec:
  message: the organisation's rule
  match:
    kinds: ${kinds}
  assert:
${assert
  .split("\n")
  .map((l) => `    ${l}`)
  .join("\n")}
`;

async function validate(files: Record<string, string>) {
  const dir = repos.make(files);
  const r = await cli(["validate", "--repo", dir, "--format", "json"], dir);
  expect(r.stderr).toBe("");
  const diagnostics = (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
  return { code: r.code, diagnostics };
}

describe("assertions that used to pass whatever the resource", () => {
  it.each(["toString", "constructor", "hasOwnProperty", "__proto__", "valueOf"])(
    "required: [%s] fails on a resource that has no such field (own fields only)",
    async (name) => {
      const { code, diagnostics } = await validate({
        "policy.yaml": policy(`required: [${JSON.stringify(name)}]`),
      });
      expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
        ["org-rule", `the organisation's rule (${name} is required)`],
      ]);
      expect(code).toBe(1);
    },
  );

  it("an $async schema is refused (NC3007): its answer would be a promise, always truthy", async () => {
    const { code, diagnostics } = await validate({
      "policy.yaml": policy("$async: true\nrequired: [nothere]"),
    });
    expect(diagnostics.map((d) => d.code)).toEqual(["NC3007"]);
    expect(diagnostics[0]!.message).toBe(
      'Policy "org-rule": spec.assert is not a usable JSON Schema: $async schemas are not supported: an assertion must answer at once',
    );
    expect(code).toBe(1);
  });
});

/**
 * The CLI in a child process; the deadline of minutes is a hang guard, not a speed bound (the
 * work is counted in "the work an assertion does" below; speed is `npm run bench`'s).
 */
async function validateWithin(dir: string, minutes: number) {
  const r = await runCli(["validate", "--repo", dir, "--format", "json"], {
    cwd: dir,
    timeoutMs: minutes * 60_000,
    maxOldSpaceMb: 2048,
  });
  expect(r.timedOut, "killed at the deadline: the run did not end").toBe(false);
  return {
    code: r.code,
    diagnostics: (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics,
  };
}

/** A Topology of `count` nodes written out in one subnet. */
function nodesTopology(count: number): string {
  const nodes = Array.from(
    { length: count },
    // From 10.1.0.0: 10.0.0.0 is the subnet's network address (node-address-reserved).
    (_, i) => `    - {name: n-${i}, address: 10.1.${(i >> 8) & 255}.${i & 255}}`,
  );
  return `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: r
      cidr: 10.0.0.0/8
  nodes:
${nodes.join("\n")}
`;
}

const uniq = policy(
  "properties:\n  spec:\n    properties:\n      nodes: {uniqueItems: true}\n      subnets:\n        items: {type: object}\n      nodeGroups:\n        uniqueItems: true",
  "[Topology]",
);

describe("the work an assertion does, counted", () => {
  it("uniqueItems over the nodes: 10x the nodes, about 10x the reads (pairwise is 100x)", () => {
    const reads = (count: number) => {
      work.reads = 0;
      const files = { ...minimalRepo, "topology.yaml": nodesTopology(count), "policy.yaml": uniq };
      const { diagnostics } = compile(new MemoryRepoReader(files));
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      return work.reads;
    };
    const small = reads(200);
    expect(small).toBeGreaterThan(200);
    expect(reads(2_000)).toBeLessThan(15 * small);
  });

  it("a pattern runs on RE2, never on JavaScript's backtracking engine", () => {
    const files = {
      ...minimalRepo,
      "pools.yaml": (minimalRepo["pools.yaml"] as string).replace(
        "  name: pool-1\n",
        "  name: pool-1\n  annotations:\n    team: aaaa!\n",
      ),
      "policy.yaml": policy(
        "properties:\n  metadata:\n    properties:\n      annotations:\n        properties:\n          team: {pattern: '^(a+)+$'}",
      ),
    };
    const { diagnostics } = compile(new MemoryRepoReader(files));
    expect(diagnostics.map((d) => d.code)).toEqual(["org-rule"]);
    expect(work.re2Patterns.some((p) => p.includes("(a+)+"))).toBe(true);
    expect(work.re2Tests).toBe(1);
  });
});

describe("assertions whose cost the author chooses", () => {
  it("a pattern that backtracks catastrophically in JavaScript runs on RE2 and finds the mismatch", async () => {
    // An annotation: Calico takes any value there (a label value that long is pool-metadata-invalid).
    const dir = repos.make({
      "pools.yaml": (minimalRepo["pools.yaml"] as string).replace(
        "  name: pool-1\n",
        `  name: pool-1\n  annotations:\n    team: ${"a".repeat(5_000)}!\n`,
      ),
      "policy.yaml": policy(
        "properties:\n  metadata:\n    properties:\n      annotations:\n        properties:\n          team: {pattern: '^(a+)+$'}",
      ),
    });
    const { code, diagnostics } = await validateWithin(dir, 2);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "org-rule",
        `the organisation's rule (metadata.annotations.team must match pattern "^(a+)+$")`,
      ],
    ]);
    expect(code).toBe(1);
  });

  it("a pattern RE2 cannot run in linear time (a backreference, a lookahead) is refused (NC3007)", async () => {
    for (const pattern of ["^(a)\\\\1$", "^(?=a)a$"]) {
      const { diagnostics } = await validate({
        "policy.yaml": policy(`properties:\n  kind: {pattern: "${pattern}"}`),
      });
      expect(diagnostics.map((d) => d.code)).toEqual(["NC3007"]);
      expect(diagnostics[0]!.message).toContain("linear-time");
    }
  });

  it("patterns read as JSON Schema's (ECMA-262) do for what RE2 shares: classes, anchors, Unicode", async () => {
    const { diagnostics } = await validate({
      "policy.yaml": policy(
        "properties:\n  kind: {pattern: '^IP\\w+$'}\n  apiVersion: {pattern: '^[a-z.]+/v\\d$'}\n  metadata:\n    properties:\n      name: {pattern: '^\\p{Ll}+-\\d$'}",
      ),
    });
    expect(diagnostics).toEqual([]);
  });

  it("uniqueItems over 10,000 nodes finds no duplicate among distinct nodes, and finds a duplicate", async () => {
    const topology = nodesTopology(10_000);
    const once = repos.make({ "topology.yaml": topology, "policy.yaml": uniq });
    expect((await validateWithin(once, 3)).diagnostics).toEqual([]);
    // The same subnet twice (a duplicate item): found, wherever it is.
    const twice = repos.make({
      "topology.yaml": topology
        .replace("  nodes:\n", "  nodes:\n")
        .replace(
          "      cidr: 10.0.0.0/8\n",
          "      cidr: 10.0.0.0/8\n    - name: r\n      cidr: 10.0.0.0/8\n",
        ),
      "policy.yaml": policy(
        "properties:\n  spec:\n    properties:\n      subnets: {uniqueItems: true}",
        "[Topology]",
      ),
    });
    const found = (await validateWithin(twice, 3)).diagnostics.filter((d) => d.code === "org-rule");
    expect(found.map((d) => d.message)).toEqual([
      "the organisation's rule (spec.subnets must NOT have duplicate items (items ## 1 and 0 are identical))",
    ]);
  });

  it("a Policy whose schema size times the resources it may match passes the work limit is NC3025", async () => {
    const big = `anyOf:\n${Array.from({ length: 3000 }, (_, i) => `  - {properties: {name: {const: "n-${i}"}}}`).join("\n")}`;
    const { code, diagnostics } = await validate({
      "topology.yaml": (minimalRepo["topology.yaml"] as string).replace(
        "  nodes:\n",
        "    - {name: big, cidr: 10.1.0.0/16}\n  nodeGroups:\n    - {namePrefix: w-, count: 5000, subnet: big, firstAddress: 10.1.0.11}\n  nodes:\n",
      ),
      "policy.yaml": policy(big, "[Node]"),
    });
    expect(diagnostics.map((d) => d.code)).toEqual(["NC3025"]);
    expect(diagnostics[0]!.message).toMatch(
      /^Policy "org-rule": an assertion of [\d,]+ schema values over up to 5,002 resources is [\d,]+ checks, past the limit of [\d,]+ for all Policies together \(maxPolicyWork, see SECURITY\.md\)$/,
    );
    expect(code).toBe(1);
  });
});
