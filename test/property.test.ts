/**
 * Property tests (fast-check): random mutations of a valid repository — dropped, retyped,
 * duplicated and swapped fields, random strings in names, labels and CIDRs, random bytes in
 * the YAML text — never crash the compiler. compile() returns diagnostics (never NC9001, every
 * one with a real position); when it renders, every file parses and passes its checks; a
 * build never writes outside its output directory.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { safeJoin } from "../src/emit/emit.js";
import { MemoryRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";
import { labelValueProblem, qualifiedNameProblem } from "../src/policy/calico-limits.js";
import { checkRenderedFiles, iniProblem, parseRenderedYaml } from "../src/render/check.js";
import { cli, readTree, testdir } from "./support.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A valid repository as data: every document of every file. */
const BASE: Record<string, Json[]> = {
  "netcompile.yaml": [
    {
      apiVersion: "netcompile.dev/v1alpha1",
      kind: "Cluster",
      metadata: { name: "test" },
      spec: {
        provider: "aws",
        networking: { underlayMTU: 9001, serviceCIDRs: ["10.96.0.0/12"] },
        hostNetwork: { mode: "static", formats: ["netplan", "networkd"] },
      },
    },
  ],
  "topology.yaml": [
    {
      apiVersion: "netcompile.dev/v1alpha1",
      kind: "Topology",
      metadata: { name: "lab", labels: { team: "net" } },
      spec: {
        subnets: [
          { name: "rack-1", cidr: "10.0.1.0/24", zone: "a", gateway: "10.0.1.1" },
          { name: "rack-2", cidr: "10.0.2.0/24", mtu: 1500, gateway: "10.0.2.1" },
          { name: "rack-1-v6", cidr: "fd00:1::/64", gateway: "fd00:1::1" },
        ],
        nodes: [
          {
            name: "node-1",
            address: "10.0.1.10",
            addressV6: "fd00:1::10",
            interface: "ens5",
            labels: { zone: "a" },
          },
          { name: "node-2", address: "10.0.2.10", podCIDR: "192.168.7.0/26" },
        ],
        nodeGroups: [
          {
            namePrefix: "worker-",
            count: 3,
            subnet: "rack-1",
            firstAddress: "10.0.1.100",
            subnetV6: "rack-1-v6",
            firstAddressV6: "fd00:1::100",
            labels: { role: "worker" },
          },
        ],
      },
    },
  ],
  "pools.yaml": [
    {
      apiVersion: "projectcalico.org/v3",
      kind: "IPPool",
      metadata: { name: "pool-1", labels: { tier: "a" }, annotations: { note: "x" } },
      spec: {
        cidr: "192.168.0.0/16",
        vxlanMode: "CrossSubnet",
        natOutgoing: true,
        blockSize: 26,
        nodeSelector: "all()",
      },
    },
    {
      apiVersion: "projectcalico.org/v3",
      kind: "IPPool",
      metadata: { name: "pool-v6" },
      spec: { cidr: "fd00:10::/48", vxlanMode: "Always", nodeSelector: "zone == 'a'" },
    },
  ],
};

const MemoryReader = MemoryRepoReader;

const hostile = fc.constantFrom(
  "",
  " ",
  "a\nb: c",
  "---",
  "x: y",
  "#",
  "{{x}}",
  "\\",
  "'\"",
  "__proto__",
  "constructor",
  "../x",
  "/abs",
  ".",
  "..",
  "ü☃\u2028",
  "10.0.1.0/24",
  "300.1.1.1/33",
  "::/0",
  "0.0.0.0/0",
  "fd00::/129",
  "10.0.1.5/24",
  "all()",
  "has(",
  "!",
);
const randomString = fc.oneof(
  hostile,
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
);
const scalar: fc.Arbitrary<Json> = fc.oneof(
  randomString,
  fc.integer({ min: -5, max: 70_000 }),
  fc.constantFrom(0, 1, 1e21, -1, 2 ** 31, 0.5),
  fc.boolean(),
  fc.constant(null),
);
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  scalar,
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.array(scalar, { maxLength: 3 }),
  fc.dictionary(fc.oneof(randomString, hostile), scalar, { maxKeys: 3 }),
);

/** Every path to a value inside the repository: [file, doc index, ...keys]. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

type Mutation =
  | { op: "drop" | "duplicate"; at: number }
  | { op: "set"; at: number; value: Json }
  | { op: "swap"; at: number; other: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom("drop" as const, "duplicate" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: anyValue }),
  fc.record({ op: fc.constant("swap" as const), at: fc.nat(), other: fc.nat() }),
);

function mutate(
  repo: Record<string, Json[]>,
  mutations: readonly Mutation[],
): Record<string, Json[]> {
  const copy = structuredClone(repo);
  for (const m of mutations) {
    const all = Object.entries(copy).flatMap(([file, docs]) =>
      paths(docs as Json)
        .filter((p) => p.length > 0)
        .map((p) => [file, ...p] as (string | number)[]),
    );
    if (all.length === 0) return copy;
    const target = all[m.at % all.length]!;
    const get = (p: (string | number)[]) =>
      p.slice(1).reduce<Json>((v, k) => (v as Record<string, Json>)[k]!, copy[p[0]!]! as Json);
    const parent = get(target.slice(0, -1)) as Record<string | number, Json>;
    const key = target.at(-1)!;
    if (m.op === "drop") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.op === "duplicate") {
      if (Array.isArray(parent))
        parent.splice(key as number, 0, structuredClone(parent[key as number]));
      else parent[`${key}`] = structuredClone(parent[key]!);
    } else if (m.op === "set") {
      parent[key] = m.value;
    } else if (m.op === "swap") {
      const other = all[m.other % all.length]!;
      if (
        other.join("\0").startsWith(target.join("\0")) ||
        target.join("\0").startsWith(other.join("\0"))
      )
        continue;
      const otherParent = get(other.slice(0, -1)) as Record<string | number, Json>;
      const a = parent[key]!;
      parent[key] = otherParent[other.at(-1)!]!;
      otherParent[other.at(-1)!] = a;
    }
  }
  return copy;
}

/** The mapping at `path` in a repository's documents; a test that walks off them fails. */
function objectAt(root: Json | Record<string, Json[]>, ...path: (string | number)[]) {
  let at: unknown = root;
  for (const step of path) {
    at = Array.isArray(at) ? at[Number(step)] : (at as Record<string, unknown> | null)?.[step];
  }
  if (typeof at !== "object" || at === null || Array.isArray(at))
    throw new Error(`no mapping at ${path.join(".")}`);
  return at as { [key: string]: Json };
}

function toFiles(repo: Record<string, Json[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(repo).map(([file, docs]) => [
      file,
      docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join("---\n"),
    ]),
  );
}

/** The invariants every compile must keep, whatever the input. */
const rendered = { runs: 0, rendered: 0 };

function checkCompile(files: Record<string, string>): void {
  const result = compile(new MemoryReader(files), { render: "all" });
  rendered.runs++;
  if (result.files) rendered.rendered++;
  for (const d of result.diagnostics) {
    expect(d.code).not.toBe("NC9001");
    expect(d.code).not.toBe("NC5001");
    expect(d.file).not.toBe("");
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
  }
  if (!result.files) return;
  expect(checkRenderedFiles(result.files)).toEqual([]);
  for (const f of result.files) {
    expect(() => safeJoin("/out", f.path)).not.toThrow();
    if (/\.ya?ml$/.test(f.path)) expect(parseRenderedYaml(f.content).error).toBeUndefined();
    else expect(iniProblem(f.content)).toBeUndefined();
  }
}

const PARAMS = { seed: Number(process.env.FC_SEED ?? 20261126), endOnFailure: true };

describe("random repositories never crash", () => {
  it("the base repository builds", () => {
    const result = compile(new MemoryReader(toFiles(BASE)), { render: "all" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.files?.length).toBeGreaterThan(10);
  });

  it("structural mutations: drop, retype, duplicate, swap, random strings", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        checkCompile(toFiles(mutate(BASE, mutations)));
      }),
      { ...PARAMS, numRuns: 120 },
    );
  });

  it("random strings in names, labels and CIDRs", () => {
    const fields = fc.record({
      node: randomString,
      label: randomString,
      labelKey: randomString,
      cidr: randomString,
      subnetCidr: randomString,
      address: randomString,
      prefix: randomString,
      selector: randomString,
      iface: randomString,
    });
    fc.assert(
      fc.property(fields, (v) => {
        const repo = structuredClone(BASE);
        const topo = objectAt(repo, "topology.yaml", 0, "spec");
        const node1 = objectAt(topo, "nodes", 0);
        node1.name = v.node;
        node1.labels = { [v.labelKey]: v.label };
        node1.interface = v.iface;
        objectAt(topo, "nodes", 1).address = v.address;
        objectAt(topo, "subnets", 1).cidr = v.subnetCidr;
        objectAt(topo, "nodeGroups", 0).namePrefix = v.prefix;
        const pool = objectAt(repo, "pools.yaml", 0);
        objectAt(pool, "spec").cidr = v.cidr;
        objectAt(pool, "spec").nodeSelector = v.selector;
        objectAt(pool, "metadata").labels = { [v.labelKey]: v.label };
        checkCompile(toFiles(repo));
      }),
      { ...PARAMS, numRuns: 60 },
    );
  });

  it("label and annotation keys and values render and come back equal, or are refused exactly where Calico refuses them", () => {
    // Half plain words (what Calico takes), half anything.
    const word = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?$/);
    const key = fc.oneof(word, fc.string({ maxLength: 12 }));
    const value = fc.oneof(word, fc.string({ maxLength: 24 }));
    const labelsOf = fc.dictionary(key, value, { maxKeys: 4 });
    const annotationsOf = fc.dictionary(key, fc.string({ maxLength: 24 }), { maxKeys: 4 });
    let rendered = 0;
    fc.assert(
      fc.property(labelsOf, annotationsOf, (labels, annotations) => {
        const repo = structuredClone(BASE);
        objectAt(repo, "pools.yaml", 0, "metadata").labels = labels;
        objectAt(repo, "pools.yaml", 0, "metadata").annotations = annotations;
        // Static host networking ships no manifests: render the pools as calico mode does.
        objectAt(repo, "netcompile.yaml", 0, "spec", "hostNetwork").mode = "calico";
        // In calico mode every node pool-v6's VXLAN reaches needs a tunnel address from it, and
        // calico-node detects IPv6 on every node: node-2 gets an IPv6 address too.
        objectAt(repo, "pools.yaml", 1, "spec").nodeSelector = "all()";
        const topology = objectAt(repo, "topology.yaml", 0, "spec");
        topology.subnets = [
          ...(topology.subnets as Json[]),
          { name: "rack-2-v6", cidr: "fd00:2::/64", gateway: "fd00:2::1", mtu: 1500 },
        ];
        objectAt(repo, "topology.yaml", 0, "spec", "nodes", 1).addressV6 = "fd00:2::10";
        const result = compile(new MemoryReader(toFiles(repo)), { render: "manifests" });
        const refuses =
          Object.entries(labels).some(
            ([k, v]) =>
              k !== "app.kubernetes.io/managed-by" &&
              (qualifiedNameProblem(k) !== undefined || labelValueProblem(v) !== undefined),
          ) ||
          Object.keys(annotations).some(
            (k) => !k.startsWith("netcompile.dev/") && qualifiedNameProblem(k.toLowerCase()),
          );
        if (refuses) {
          const codes = new Set(
            result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code),
          );
          expect([...codes]).toEqual(["pool-metadata-invalid"]);
          expect(result.files).toBeUndefined();
          return;
        }
        rendered++;
        expect(result.files, JSON.stringify(result.diagnostics)).toBeDefined();
        const file = result.files!.find((f) => f.path === "manifests/ippools.yaml")!;
        const pool = parseRenderedYaml(file.content).docs[0] as {
          metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
        };
        for (const [k, v] of Object.entries(labels))
          expect(Object.getOwnPropertyDescriptor(pool.metadata.labels, k)?.value).toBe(v);
        for (const [k, v] of Object.entries(annotations))
          expect(Object.getOwnPropertyDescriptor(pool.metadata.annotations, k)?.value).toBe(v);
      }),
      { ...PARAMS, numRuns: 60 },
    );
    expect(rendered).toBeGreaterThan(3);
  });

  it("random edits to the YAML text", () => {
    const base = toFiles(BASE);
    const names = Object.keys(base);
    const edit = fc.record({
      file: fc.nat(),
      at: fc.nat(),
      cut: fc.nat({ max: 12 }),
      insert: fc.oneof(
        fc.string({ maxLength: 10 }),
        fc.constantFrom(
          "&a [*a, *a]",
          "*x",
          "<<: *a",
          "\t",
          ": ",
          "- ",
          "---\n",
          "'",
          '"',
          "{",
          "[",
          "!!str",
          "%TAG",
        ),
      ),
    });
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        const files = { ...base };
        for (const e of edits) {
          const name = names[e.file % names.length]!;
          const text = files[name]!;
          const at = e.at % (text.length + 1);
          files[name] = text.slice(0, at) + e.insert + text.slice(at + e.cut);
        }
        checkCompile(files);
      }),
      { ...PARAMS, numRuns: 60 },
    );
  });
});

it("a fair share of the mutated repositories still renders (so rendering is exercised)", () => {
  expect(rendered.runs).toBeGreaterThanOrEqual(240);
  expect(rendered.rendered / rendered.runs).toBeGreaterThan(0.05);
});

describe("a build writes only inside its output directory", () => {
  it("for random repositories built by the CLI", async () => {
    const sandbox = mkdtempSync(join(tmpdir(), "netcompile-prop-"));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
          const repoFiles = toFiles(mutate(BASE, mutations));
          const dir = testdir(repoFiles);
          try {
            const before = readdirSync(sandbox).sort();
            const r = await cli(["build", "--repo", dir, "--out", join(sandbox, "out")], dir);
            expect(r.stderr).not.toContain("NC9001");
            expect([0, 1]).toContain(r.code);
            // The repository is untouched; beside the output only the output itself.
            expect(readTree(dir)).toEqual(repoFiles);
            const after = readdirSync(sandbox).sort();
            expect(after.filter((e) => !before.includes(e) && e !== "out")).toEqual([]);
            if (r.code === 0)
              expect(readTree(join(sandbox, "out"))["netcompile.lock.json"]).toBeDefined();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        }),
        { ...PARAMS, numRuns: 20 },
      );
    } finally {
      rmSync(sandbox, { recursive: true, force: true });
    }
  });
});
