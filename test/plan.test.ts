/**
 * The plan's parts, each on small inputs written here: disruption analysis and
 * acknowledgements (two models compiled from inline repositories), object and host-file diffs
 * (rendered trees built in the test), the --against reconstruction, the formatters and the CLI.
 */
import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";
import { applyAcknowledgements } from "../src/plan/acknowledgements.js";
import { factsFromManifests, factsFromModel } from "../src/plan/facts.js";
import { esc, formatPlanMarkdown } from "../src/plan/format-markdown.js";
import { formatPlanText } from "../src/plan/format-text.js";
import { diffHostFiles } from "../src/plan/host-diff.js";
import { naturalCompare } from "../src/util/text.js";
import { diffValues } from "../src/plan/object-diff.js";
import { makePlan, type BaseSide } from "../src/plan/plan.js";
import { nodeListText } from "../src/plan/present.js";
import type { Plan } from "../src/plan/types.js";
import type { RenderedFile } from "../src/render/types.js";
import { planCommand } from "../src/cli/commands/plan.js";
import { cli, minimalRepo, parseJson, removeDir, testdir, type PlanJson } from "./support.js";

type Files = Readonly<Record<string, string>>;

const cluster = (spec = "") => `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: lab
spec:
  provider: bare-metal
${spec}`;
const topology = (extra = "", count = 5) => `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
      gateway: 10.0.1.1
    - name: rack-2
      cidr: 10.0.2.0/24
      gateway: 10.0.2.1
  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: node-2
      address: 10.0.2.10
      labels: {pool: b}
${extra}  nodeGroups:
    - namePrefix: worker-
      count: ${count}
      subnet: rack-1
      firstAddress: 10.0.1.100
`;
const pool = (name: string, spec: string) => `---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: ${name}
spec:
${spec
  .trim()
  .split("\n")
  .map((l) => `  ${l}`)
  .join("\n")}
`;
const repo = (over: Partial<Record<string, string>> = {}): Files => ({
  "netcompile.yaml": cluster(),
  "topology.yaml": topology(),
  "pools.yaml": pool("pool-1", "cidr: 192.168.0.0/16\nipipMode: CrossSubnet"),
  ...over,
});

function compiled(files: Files) {
  const result = compile(new MemoryRepoReader(files), { render: "all" });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors, JSON.stringify(errors, null, 1)).toEqual([]);
  return result;
}

function planOf(before: Files, after: Files): Plan {
  const b = compiled(before);
  const a = compiled(after);
  const base: BaseSide = {
    info: {
      kind: "git",
      ref: "main",
      commit: "0".repeat(40),
      description: "main",
      analysis: "model",
    },
    files: b.files!,
    facts: factsFromModel(b.model!),
    notes: [],
  };
  return makePlan(base, { model: a.model!, files: a.files!, diagnostics: a.diagnostics });
}

const keys = (p: Plan) =>
  p.disruptions.map(
    (d) => `${d.kind}: ${d.change.resource} ${d.change.field} ${d.change.from} -> ${d.change.to}`,
  );
const codes = (p: Plan) =>
  p.diagnostics
    .filter((d) => /^(NC6|pool-immutable-field)/.test(d.code))
    .map((d) => `${d.severity} ${d.code} ${d.file}:${d.line}`);

describe("disruption analysis", () => {
  it("nodes removed from a group are one change of its count; a listed node is one change each", () => {
    const listed = "    - name: node-3\n      address: 10.0.2.11\n";
    const p = planOf(
      repo({ "topology.yaml": topology(listed, 5) }),
      repo({ "topology.yaml": topology("", 3) }),
    );
    expect(keys(p)).toEqual([
      "node-removed: Node/node-3 state present -> absent",
      "node-removed: NodeGroup/worker- count 5 -> 3",
    ]);
    expect(p.disruptions[1]!.affected.nodeNames).toEqual(["worker-4", "worker-5"]);
    expect(p.disruptions[1]!.span).toMatchObject({ file: "topology.yaml", line: 21 });
    expect(p.topology).toEqual([
      { what: "nodes-removed", group: "", nodes: ["node-3"] },
      { what: "nodes-removed", group: "worker-", nodes: ["worker-4", "worker-5"] },
    ]);
    // Their host files are the destroyed changes the findings point at.
    const removedFiles = p.changes.filter((c) => c.action === "delete");
    expect(removedFiles.length).toBeGreaterThan(0);
    expect(removedFiles.every((c) => c.disruptive)).toBe(true);
  });

  it("finds nothing when nothing changes", () => {
    const p = planOf(repo(), repo());
    expect(p.changes).toEqual([]);
    expect(p.disruptions).toEqual([]);
    expect(p.summary).toEqual({ add: 0, change: 0, destroy: 0, disruptive: 0, acknowledged: 0 });
  });
});

describe("plan assembly", () => {
  const switched = () =>
    planOf(
      repo(),
      repo({ "pools.yaml": pool("pool-1", "cidr: 192.168.0.0/16\nipipMode: Always") }),
    );

  it("marks the changes a disruption is about, with its reasons, and gives it their addresses", () => {
    const p = switched();
    const marked = p.changes.filter((c) => c.disruptive);
    expect(marked.map((c) => c.address)).toEqual(["projectcalico.org/v3/IPPool/pool-1"]);
    expect(p.disruptions[0]!.addresses).toEqual(["projectcalico.org/v3/IPPool/pool-1"]);
    expect(marked[0]!.reasons).toEqual([`${p.disruptions[0]!.title}: ${p.disruptions[0]!.breaks}`]);
    expect(p.changes.filter((c) => !c.disruptive).every((c) => c.reasons.length === 0)).toBe(true);
  });

  it("builds its result: the plan's types are read-only, and acknowledging copies", () => {
    const p = switched();
    const change = p.changes[0]!;
    const disruption = p.disruptions[0]!;
    // @ts-expect-error a change's disruptive flag is decided by the plan, not set afterwards
    change.disruptive = false;
    // @ts-expect-error nor are its reasons
    change.reasons.push("x"); // eslint-disable-line @typescript-eslint/no-unsafe-call -- the type error expected above

    // @ts-expect-error nor a disruption's acknowledgement
    disruption.acknowledged = undefined;
    // @ts-expect-error nor the changes it is about
    disruption.addresses.push("x"); // eslint-disable-line @typescript-eslint/no-unsafe-call -- the type error expected above

    const frozen = Object.freeze(p.disruptions.map((d) => Object.freeze({ ...d })));
    const ack = applyAcknowledgements(frozen, [
      {
        resource: "IPPool/pool-1",
        field: "encapsulation",
        from: "IPIPCrossSubnet",
        to: "IPIP",
        reason: "window",
        source: compiled(repo()).model!.cluster.source,
      },
    ]);
    expect(ack.disruptions[0]!.acknowledged).toMatchObject({ reason: "window" });
    expect(frozen[0]!.acknowledged).toBeUndefined();
  });
});

describe("acknowledgements", () => {
  const switched = (acks = "") =>
    repo({
      "netcompile.yaml": cluster(
        `  networking:\n    podMTU: 1400\n${acks ? `  acknowledgements:\n${acks}` : ""}`,
      ),
      "pools.yaml": pool("pool-1", "cidr: 192.168.0.0/16\nipipMode: Always"),
    });
  const before = repo({ "netcompile.yaml": cluster("  networking:\n    podMTU: 1400\n") });
  const ack = (from: string, to: string, reason = "window CHG-1") =>
    `    - resource: IPPool/pool-1\n      field: encapsulation\n      from: ${from}\n      to: ${to}\n      reason: ${reason}\n`;

  it("the exact change, with a reason, passes the gate", () => {
    const p = planOf(before, switched(ack("IPIPCrossSubnet", "IPIP")));
    expect(p.disruptions[0]!.acknowledged).toEqual({
      reason: "window CHG-1",
      file: "netcompile.yaml",
      line: 10,
      column: 7,
    });
    expect(codes(p)).toEqual([]);
    expect(p.summary.acknowledged).toBe(1);
  });

  it("cannot approve a different change: an error for the change, a warning for the entry", () => {
    const p = planOf(before, switched(ack("IPIPCrossSubnet", "VXLAN")));
    expect(p.disruptions[0]!.acknowledged).toBeUndefined();
    expect(codes(p)).toEqual(["warning NC6002 netcompile.yaml:10", "error NC6001 pools.yaml:8"]);
    expect(p.diagnostics.find((d) => d.code === "NC6002")!.message).toBe(
      "acknowledgement of IPPool/pool-1 encapsulation IPIPCrossSubnet -> VXLAN matches no change in this plan " +
        "(the plan has IPPool/pool-1 encapsulation IPIPCrossSubnet -> IPIP); remove it",
    );
  });

  it("one left over after the merge (nothing changes) is a warning, so it gets removed", () => {
    const p = planOf(
      switched(ack("IPIPCrossSubnet", "IPIP")),
      switched(ack("IPIPCrossSubnet", "IPIP")),
    );
    expect(codes(p)).toEqual(["warning NC6002 netcompile.yaml:10"]);
  });

  it("two entries for one change: the second is unused", () => {
    const p = planOf(
      before,
      switched(ack("IPIPCrossSubnet", "IPIP") + ack("IPIPCrossSubnet", "IPIP", "again")),
    );
    expect(codes(p)).toEqual(["warning NC6002 netcompile.yaml:15"]);
  });

  it('numbers and strings compare as text (from: 1480 matches "1480")', () => {
    const mtu = (n: number, acks = "") =>
      repo({ "netcompile.yaml": cluster(`  networking:\n    podMTU: ${n}\n${acks}`) });
    const entry =
      '  acknowledgements:\n    - {resource: Cluster/lab, field: networking.podMTU, from: "1450", to: 1400, reason: roll pods}\n';
    expect(codes(planOf(mtu(1450), mtu(1400, entry)))).toEqual([]);
  });

  it("cannot approve an immutable-field change (Calico rejects it): the rule error stays, the entry warns", () => {
    const cidr = (c: string, acks = "") =>
      repo({
        "netcompile.yaml": cluster(acks),
        "pools.yaml": pool("pool-1", `cidr: ${c}\nipipMode: CrossSubnet`),
      });
    const entry =
      "  acknowledgements:\n    - {resource: IPPool/pool-1, field: spec.cidr, from: 192.168.0.0/16, to: 10.244.0.0/16, reason: please}\n";
    const p = planOf(cidr("192.168.0.0/16"), cidr("10.244.0.0/16", entry));
    expect(codes(p)).toEqual([
      "warning NC6003 netcompile.yaml:8",
      "error pool-immutable-field pools.yaml:7",
    ]);
  });

  it("an entry needs a reason (schema)", () => {
    const result = compile(
      new MemoryRepoReader(
        repo({
          "netcompile.yaml": cluster(
            "  acknowledgements:\n    - {resource: IPPool/p, field: encapsulation, from: IPIP, to: VXLAN}\n",
          ),
        }),
      ),
    );
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toContainEqual(
      expect.stringMatching(/^NC2003 missing required field "reason"/),
    );
  });
});

describe("object diff", () => {
  it("compares lists of named items by name, and lists of scalars whole", () => {
    const before = {
      spec: {
        containers: [
          {
            name: "a",
            env: [
              { name: "X", value: "1" },
              { name: "Y", value: "2" },
            ],
          },
        ],
        args: ["-a"],
      },
    };
    const after = {
      spec: {
        containers: [
          {
            name: "a",
            env: [
              { name: "Y", value: "2" },
              { name: "X", value: "3" },
            ],
          },
        ],
        args: ["-a", "-b"],
      },
    };
    expect(diffValues(before, after)).toEqual([
      { path: "spec.args", before: ["-a"], after: ["-a", "-b"] },
      { path: "spec.containers[name=a].env[name=X].value", before: "1", after: "3" },
    ]);
  });

  it("quotes keys that are not plain words, and reports absent fields as undefined", () => {
    expect(
      diffValues(
        { metadata: { labels: { "app.kubernetes.io/name": "x" } } },
        { metadata: { labels: {} } },
      ),
    ).toEqual([
      { path: 'metadata.labels["app.kubernetes.io/name"]', before: "x", after: undefined },
    ]);
    expect(diffValues({ spec: {} }, { spec: { disabled: true } })).toEqual([
      { path: "spec.disabled", before: undefined, after: true },
    ]);
  });
});

describe("host file diff (rendered trees built here)", () => {
  const tree = (
    nodes: readonly string[],
    file: (node: string) => string,
    path = "netplan/60-netcompile.yaml",
  ): RenderedFile[] => nodes.map((n) => ({ path: `hosts/${n}/${path}`, content: file(n) }));
  const names = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
  const mtuFile = (mtu: number) => (node: string) => `# ${node}\naddress: 10.0.0.1\nmtu: ${mtu}\n`;

  it("collapses the same change on 240 nodes into one entry that keeps every node", () => {
    const nodes = names("n", 240);
    const [entry, ...rest] = diffHostFiles(
      tree(nodes, mtuFile(1500)),
      tree(nodes, mtuFile(9000)),
      () => undefined,
    );
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      address: "hosts/*/netplan/60-netcompile.yaml",
      action: "update",
      count: 240,
      identical: true,
      variants: 1,
      shownFor: "n1",
      linesAdded: 1,
      linesRemoved: 1,
    });
    expect(entry!.nodes).toEqual(nodes);
    expect(entry!.diff).toBe(
      "@@ -1,3 +1,3 @@\n # n1\n address: 10.0.0.1\n-mtu: 1500\n+mtu: 9000\n",
    );
  });

  it("splits by node group; a few different diffs are listed, many collapse into one entry", () => {
    const workers = names("worker-", 10);
    const edges = names("edge-", 2);
    const group = (n: string) => n.replace(/\d+$/, "");
    const perNode = (v: string) => (n: string) => `# ${n}\nlocal ${n} ${v}\n`;
    const out = diffHostFiles(
      [...tree(workers, perNode("ipip")), ...tree(edges, perNode("ipip"))],
      [...tree(workers, perNode("vxlan")), ...tree(edges, perNode("vxlan"))],
      group,
    );
    expect(out.map((e) => [e.address, e.count, e.identical, e.variants])).toEqual([
      ["hosts/edge-1/netplan/60-netcompile.yaml#1", 1, true, 1],
      ["hosts/edge-2/netplan/60-netcompile.yaml#2", 1, true, 1],
      ["hosts/worker-*/netplan/60-netcompile.yaml", 10, false, 10],
    ]);
  });

  it("keeps a change shared by many nodes apart from the odd ones", () => {
    const nodes = names("w", 12);
    const after = tree(nodes, (n) =>
      ["w3", "w7", "w9", "w11"].includes(n) ? `# ${n}\nx ${n}\n` : "# same\nx 2\n",
    );
    const out = diffHostFiles(
      tree(nodes, () => "# same\nx 1\n"),
      after,
      () => "w",
    );
    expect(out.map((e) => [e.count, e.identical])).toEqual([
      [8, true],
      [4, false],
    ]);
  });

  it("stays collapsed when many small groups of nodes share a diff (pairs of nodes)", () => {
    const nodes = names("w", 1000);
    const pair = (n: string) => Math.floor(Number(n.slice(1)) / 2);
    const out = diffHostFiles(
      tree(nodes, () => "x 1\n"),
      tree(nodes, (n) => `y ${pair(n)}\n`),
      () => "w",
    );
    expect(out.length).toBeLessThanOrEqual(4);
    expect(out.reduce((sum, e) => sum + e.count, 0)).toBe(1000);
  });

  it("adds and deletes whole files, and ignores everything outside hosts/", () => {
    const out = diffHostFiles(
      [
        { path: "hosts/a/x.conf", content: "old\n" },
        { path: "manifests/m.yaml", content: "a" },
      ],
      [{ path: "hosts/b/x.conf", content: "new\n" }],
      () => undefined,
    );
    expect(out.map((e) => `${e.action} ${e.address} ${e.diff}`)).toEqual([
      "create hosts/b/x.conf @@ -1,0 +1,1 @@\n+new\n",
      "delete hosts/a/x.conf @@ -1,1 +1,0 @@\n-old\n",
    ]);
  });
});

describe("--against: facts reconstructed from a rendered tree", () => {
  it("reads pools, backend, MTU, VXLAN settings and the Calico version from the manifests", () => {
    const { files, model } = compiled(
      repo({
        "netcompile.yaml": cluster("  networking:\n    vxlanVNI: 77\n"),
        "pools.yaml": pool("pool-1", "cidr: 192.168.0.0/16\nvxlanMode: CrossSubnet"),
      }),
    );
    const facts = factsFromManifests(files!, model);
    const fromModel = factsFromModel(model!);
    expect(facts).toMatchObject({
      origin: "manifests",
      backend: fromModel.backend,
      podMTU: fromModel.podMTU,
      vxlanPort: 4789,
      vxlanVNI: 77,
      calicoVersion: fromModel.calicoVersion,
    });
    const { source: _s, file: _f, ...poolFacts } = facts.pools.get("pool-1")!;
    const { source: _s2, file: _f2, ...expected } = fromModel.pools.get("pool-1")!;
    expect(poolFacts).toEqual(expected);
    expect(facts.missing).toContain("subnet MTUs");
  });

  it("reads the operator's Installation pools", () => {
    const { files } = compiled(
      repo({
        "netcompile.yaml": cluster("  install: operator\n"),
        "pools.yaml": pool("pool-1", "cidr: 192.168.0.0/16\nipipMode: CrossSubnet"),
      }),
    );
    const facts = factsFromManifests(files!, undefined);
    expect(facts.install).toBe("operator");
    expect(facts.pools.get("pool-1")).toMatchObject({
      ipipMode: "CrossSubnet",
      vxlanMode: "Never",
      cidr: "192.168.0.0/16",
    });
    expect(facts.pools.get("pool-1")!.nodes).toBeUndefined(); // no topology to evaluate the selector
  });

  it("derives the operator's backend as the model does: a disabled VXLAN pool still needs no BGP", () => {
    const { files, model } = compiled(
      repo({
        "netcompile.yaml": cluster("  install: operator\n"),
        "pools.yaml": pool("old", "cidr: 192.168.0.0/16\nvxlanMode: Always\ndisabled: true"),
      }),
    );
    expect(factsFromManifests(files!, model).backend).toBe(factsFromModel(model!).backend);
    expect(factsFromModel(model!).backend).toBe("vxlan");
  });
});

describe("formatters", () => {
  it("markdown escapes every string from the repository", () => {
    expect(esc("<img src=x onerror=alert(1)> *b* `c` [l](u) a|b")).toBe(
      "&#60;img src=x onerror=alert(1)&#62; &#42;b&#42; &#96;c&#96; &#91;l&#93;(u) a&#124;b",
    );
    expect(esc("a\r# heading\n@user https://x")).toBe(
      "a<br>&#35; heading<br>&#64;user https&#58;//x",
    );
    // An annotation value: Calico takes any string there (not in a label, pool-metadata-invalid).
    const labelled = (v: string) =>
      repo({
        "pools.yaml": pool("pool-1", "cidr: 192.168.0.0/16\nipipMode: CrossSubnet").replace(
          "  name: pool-1\n",
          `  name: pool-1\n  annotations: {team: "${v}"}\n`,
        ),
      });
    const md = formatPlanMarkdown(planOf(labelled("a"), labelled("<script>x</script>")));
    expect(md).toContain("&#60;script&#62;x&#60;/script&#62;");
    expect(md).not.toContain("<script>");
  });

  it("markdown always fits its limit, even when only the head can stay", () => {
    const p = planOf(
      repo(),
      repo({ "pools.yaml": pool("pool-1", "cidr: 192.168.0.0/16\nipipMode: Always") }),
    );
    const many: Plan = { ...p, disruptions: Array.from({ length: 400 }, () => p.disruptions[0]!) };
    for (const limit of [1024, 4096, 65_536]) {
      expect(Buffer.byteLength(formatPlanMarkdown(many, { limit }))).toBeLessThanOrEqual(limit);
    }
    expect(formatPlanMarkdown(many, { limit: 4096 })).toMatch(/cut at 4,096 bytes/);
    expect(formatPlanMarkdown(many, { limit: 65_536 })).toMatch(/disruptions after the first 50/);
  });

  it("text has colour only when asked for (TTY without NO_COLOR)", async () => {
    const p = planOf(
      repo(),
      repo({ "pools.yaml": pool("pool-1", "cidr: 192.168.0.0/16\nipipMode: Always") }),
    );
    const pc = (await import("picocolors")).default;
    const colours = formatPlanText(p, {
      colors: pc.createColors(true),
      sources: { line: () => undefined },
    });
    const plain = formatPlanText(p, {
      colors: pc.createColors(false),
      sources: { line: () => undefined },
    });
    expect(colours).toContain("\u001b[");
    expect(plain).not.toContain("\u001b[");

    const dir = testdir(minimalRepo);
    try {
      const run = (env: Record<string, string | undefined>) => {
        let out = "";
        const stream = { write: (s: string) => (out += s), isTTY: true };
        planCommand(
          { repo: ".", format: "text", detailedExitcode: false, markdownLimit: "comment" },
          { stdout: stream, stderr: stream, cwd: dir, env },
        );
        return out;
      };
      expect(run({})).toContain("\u001b[");
      expect(run({ NO_COLOR: "1" })).not.toContain("\u001b[");
    } finally {
      removeDir(dir);
    }
  });

  it("node lists collapse runs and say how many more", () => {
    expect(nodeListText(["w-1", "w-2", "w-3", "w-5", "x"])).toBe("w-1…w-3, w-5, x");
    expect(nodeListText(["a", "b", "c", "d"], 2)).toBe("a, b and 2 more nodes");
    expect(["w-10", "w-9", "w-1"].sort(naturalCompare)).toEqual(["w-1", "w-9", "w-10"]);
  });
});

describe("plan CLI", () => {
  it("without --base or --against: compares with the output folder when it exists, else with nothing", async () => {
    const dir = testdir(minimalRepo);
    try {
      const none = await cli(["plan", "--format", "json", "--detailed-exitcode"], dir);
      expect(none.code).toBe(2);
      expect(parseJson<PlanJson>(none.stdout).notes).toEqual([
        {
          code: "NC6006",
          message: "no --base or --against, and rendered does not exist: everything is an add",
        },
      ]);
      expect((await cli(["build"], dir)).code).toBe(0);
      const same = await cli(["plan", "--detailed-exitcode"], dir);
      expect(same.code).toBe(0);
      expect(same.stdout).toMatch(
        /^Plan: 0 to add, 0 to change, 0 to destroy \(0 disruptive\)\.\nBase: the rendered tree in rendered\/; disruption analysis on the base's rendered manifests \(partial\)\.\n/,
      );
    } finally {
      removeDir(dir);
    }
  });

  it("--against a rendered tree says what it could not analyse", async () => {
    const dir = testdir({ ...minimalRepo, "deployed/manifests/ippools.yaml": "# nothing yet\n" });
    try {
      const r = await cli(["plan", "--against", "deployed", "--format", "json"], dir);
      const p = parseJson<PlanJson>(r.stdout);
      expect(p.base).toMatchObject({ kind: "dir", analysis: "manifests" });
      expect(p.notes.map((n: { code: string }) => n.code)).toEqual(["NC6005", "NC6005"]);
      expect(p.notes[1]!.message).toMatch(
        /the networking backend; the workload MTU; the VXLAN port and VNI/,
      );
    } finally {
      removeDir(dir);
    }
  });

  it("usage errors exit 3: a missing --against folder, a bad --markdown-limit", async () => {
    const dir = testdir(minimalRepo);
    try {
      expect((await cli(["plan", "--against", "nope"], dir)).code).toBe(3);
      const bad = await cli(["plan", "--format", "markdown", "--markdown-limit", "huge"], dir);
      expect(bad.code).toBe(3);
      expect(bad.stderr).toMatch(/--markdown-limit must be/);
    } finally {
      removeDir(dir);
    }
  });

  it("a repository that does not validate: no plan, exit 1, the diagnostics in every format", async () => {
    const dir = testdir({ ...minimalRepo, "pools.yaml": "kind: [\n" });
    try {
      const json = await cli(["plan", "--format", "json"], dir);
      expect(json.code).toBe(1);
      const p = parseJson<PlanJson>(json.stdout);
      expect(p.complete).toBe(false);
      expect(p.notes.map((n: { code: string }) => n.code)).toEqual(["NC6006", "NC6008"]);
      expect(p.diagnostics[0]!.code).toBe("NC1001");
      const text = await cli(["plan"], dir);
      expect(text.stdout).toMatch(/^No plan: the repository does not validate\./);
      expect(text.stdout).toMatch(/pools\.yaml:\d+:\d+: error NC1001/);
    } finally {
      removeDir(dir);
    }
  });
});
