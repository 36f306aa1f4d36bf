import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { minimalRepo } from "../../test/support.js";
import { loadRepository } from "./load.js";
import { FsRepoReader, MemoryRepoReader } from "./reader.js";

const load = (files: Record<string, string>) => loadRepository(new MemoryRepoReader(files));
const at = (d: { code: string; file: string; line: number; column: number }) =>
  `${d.code} ${d.file}:${d.line}:${d.column}`;

const POOLS = minimalRepo["pools.yaml"]!;

/** The minimal repository with its pools moved into pools/, which output.dir names. */
function poolsAsOutputDir(files: Record<string, string>): Record<string, string> {
  const { ["pools.yaml"]: _, ...rest } = minimalRepo;
  return {
    ...rest,
    "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  output:\n    dir: pools\n`,
    ...files,
  };
}

describe("loadRepository", () => {
  it("reads every YAML document of a valid repository with its kind and name", () => {
    const result = load(minimalRepo);
    expect(result.diagnostics).toEqual([]);
    expect(result.documents.map((d) => `${d.file} ${d.kind}/${d.name}`)).toEqual([
      "netcompile.yaml Cluster/test",
      "pools.yaml IPPool/pool-1",
      "topology.yaml Topology/lab",
    ]);
  });

  it("reports a missing netcompile.yaml and reads nothing else", () => {
    const { ["netcompile.yaml"]: _, ...rest } = minimalRepo;
    const result = load(rest);
    expect(result.diagnostics.map(at)).toEqual(["NC1007 netcompile.yaml:1:1"]);
    expect(result.documents).toEqual([]);
  });

  it("reports YAML syntax errors at their line and keeps reading other files", () => {
    const result = load({ ...minimalRepo, "bad.yaml": "a: 1\nb: [1, 2\nc: 3\n" });
    expect(result.diagnostics.map((d) => d.code)).toContain("NC1001");
    expect(result.diagnostics.every((d) => d.file === "bad.yaml" && d.line > 1)).toBe(true);
    expect(result.documents).toHaveLength(3);
  });

  it("reports a duplicate key at the second occurrence", () => {
    const result = load({
      ...minimalRepo,
      "pools.yaml":
        "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: a\nspec:\n  cidr: 10.1.0.0/16\n  cidr: 10.2.0.0/16\n",
    });
    expect(result.diagnostics.map(at)).toEqual(["NC1002 pools.yaml:7:3"]);
    expect(result.diagnostics[0]!.message).toBe('duplicate key "cidr" in a mapping');
  });

  it("reports documents without apiVersion or kind", () => {
    const result = load({
      ...minimalRepo,
      "x.yaml": "kind: IPPool\nmetadata: {name: a}\n---\napiVersion: v1\n",
    });
    expect(result.diagnostics.map((d) => `${at(d)} ${d.message.split(";")[0]}`)).toEqual([
      "NC1003 x.yaml:1:1 document has no apiVersion",
      "NC1003 x.yaml:4:1 document has no kind",
    ]);
  });

  it("reports unknown kinds with a hint", () => {
    const result = load({
      ...minimalRepo,
      "x.yaml": [
        "apiVersion: projectcalico.org/v3\nkind: IPPol\nmetadata: {name: a}\n",
        "apiVersion: netcompile.dev/v1alpha1\nkind: IPPool\nmetadata: {name: b}\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: c}\n",
      ].join("---\n"),
    });
    expect(
      result.diagnostics.map(
        (d) => `${at(d)} ${d.message.replace(/.*expected one of: [^;(]*/, "")}`,
      ),
    ).toEqual([
      "NC1004 x.yaml:2:7 (did you mean IPPool?)",
      "NC1004 x.yaml:6:7 (IPPool is projectcalico.org/v3 or crd.projectcalico.org/v1, not netcompile.dev/v1alpha1)",
      "NC1004 x.yaml:10:7 ; to keep other YAML in the repository, list it in the Cluster's spec.ignore",
    ]);
  });

  it("reports a repository without a Cluster, with two, and one outside netcompile.yaml", () => {
    const cluster = "apiVersion: netcompile.dev/v1alpha1\nkind: Cluster\nmetadata: {name: x}\n";
    expect(load({ ...minimalRepo, "netcompile.yaml": "# nothing\n" }).diagnostics.map(at)).toEqual([
      "NC1005 netcompile.yaml:1:1",
    ]);
    expect(
      load({ ...minimalRepo, "netcompile.yaml": `${cluster}---\n${cluster}` }).diagnostics.map(at),
    ).toEqual(["NC1006 netcompile.yaml:6:7"]);
    expect(load({ ...minimalRepo, "more/cluster.yaml": cluster }).diagnostics.map(at)).toEqual([
      "NC1011 more/cluster.yaml:2:7",
    ]);
  });

  it("reports duplicate Topology names with the first as related", () => {
    const result = load({ ...minimalRepo, "more.yaml": minimalRepo["topology.yaml"]! });
    expect(result.diagnostics.map(at)).toEqual(["NC1008 topology.yaml:4:9"]);
    expect(result.diagnostics[0]!.related.map((r) => `${r.file}:${r.line}`)).toEqual([
      "more.yaml:4",
    ]);
  });

  it("caps YAML aliases (no alias bombs)", () => {
    const bomb = [
      "apiVersion: netcompile.dev/v1alpha1",
      "kind: Topology",
      "metadata: {name: bomb}",
      "x:",
      "  a: &a [x, x, x, x, x, x, x, x, x, x]",
      "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
    ].join("\n");
    const result = load({ ...minimalRepo, "bomb.yaml": bomb });
    // The expansion is handed to no later stage: only the minimal repository's documents load.
    expect(result.documents.map((d) => d.file)).not.toContain("bomb.yaml");
    expect(result.diagnostics.map(at)).toEqual(["NC1009 bomb.yaml:1:1"]);
  });

  it("reports a document that is not a mapping, and skips empty documents", () => {
    const result = load({ ...minimalRepo, "x.yaml": "---\n# only a comment\n---\n- a\n- b\n" });
    expect(result.diagnostics.map((d) => `${at(d)} ${d.message.split(";")[0]}`)).toEqual([
      "NC1012 x.yaml:4:1 document is a list",
    ]);
  });

  it("skips a built output directory, dot-folders, node_modules and the Cluster's ignore globs", () => {
    const junk = "this: [is not, netcompile\n";
    const result = load({
      ...minimalRepo,
      "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  output:\n    dir: out\n  ignore:\n    - "apps/**"\n    - other.yml\n`,
      "out/netcompile.lock.json": "{}",
      "out/manifests/x.yaml": junk,
      ".github/workflows/ci.yaml": junk,
      "node_modules/x/y.yaml": junk,
      "apps/deep/app.yaml": junk,
      "other.yml": junk,
      "notes.txt": junk,
    });
    // What spec.ignore leaves out is said once, at spec.ignore (NC1046); the rest is quiet.
    expect(result.diagnostics.map((d) => `${at(d)} ${d.message}`)).toEqual([
      "NC1046 netcompile.yaml:10:5 spec.ignore leaves YAML out of the input, unread and unchecked (2: apps/deep/app.yaml, other.yml)",
    ]);
  });

  it("reads no YAML in an output folder no build wrote, and says so at output.dir (NC1045)", () => {
    const result = load(
      poolsAsOutputDir({ "pools/a.yaml": POOLS, "pools/notes.txt": "not YAML, not input" }),
    );
    expect(result.documents.map((d) => d.file)).not.toContain("pools/a.yaml");
    expect(result.diagnostics.map((d) => `${at(d)} ${d.data?.["files"]}`)).toEqual([
      "NC1045 netcompile.yaml:8:10 pools/a.yaml",
    ]);
    // The default output folder, never named: the first file is where it is said.
    const unnamed = load({ ...minimalRepo, "rendered/x.yaml": POOLS });
    expect(unnamed.diagnostics.map(at)).toEqual(["NC1045 rendered/x.yaml:1:1"]);
  });

  it("takes an output folder for a build's only when its lock file is a regular file (NC1047)", () => {
    const result = load(
      poolsAsOutputDir({
        "pools/netcompile.lock.json/keep": "a folder by the lock's name",
        "pools/a.yaml": POOLS,
      }),
    );
    expect(result.diagnostics.map(at)).toEqual([
      "NC1047 pools/netcompile.lock.json:1:1",
      "NC1045 netcompile.yaml:8:10",
    ]);
  });

  it.each(["out/.", "././out", "./out//", "out/sub/.."])(
    "output.dir %s is the folder out: its build is left out, not read",
    (dir) => {
      const result = load({
        ...minimalRepo,
        "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  output:\n    dir: "${dir}"\n`,
        "out/netcompile.lock.json": "{}",
        "out/hosts/n1/netplan/60-netcompile.yaml": "network: {version: 2}\n",
      });
      expect(result.diagnostics).toEqual([]);
    },
  );

  it("names five left-out files and counts the rest", () => {
    const vendored = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`vendor/${i}.yaml`, "a: 1\n"]),
    );
    const result = load({
      ...minimalRepo,
      "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  ignore: [vendor/**]\n`,
      ...vendored,
    });
    expect(result.diagnostics.map((d) => d.data?.["files"])).toEqual([
      "vendor/0.yaml, vendor/1.yaml, vendor/2.yaml, vendor/3.yaml, vendor/4.yaml and 2 more",
    ]);
  });

  it("does not even list the output tree or an --out folder on disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "nc-load-"));
    try {
      const files: Record<string, string> = {
        ...minimalRepo,
        "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  output:\n    dir: out\n`,
        "out/netcompile.lock.json": "{}",
        "out/hosts/n1/x.yaml": "junk: [\n",
        "extra/out/y.yaml": "junk: [\n",
        "outer/z.txt": "listed: a sibling whose name starts with the output folder's",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const listed: string[] = [];
      const reader = new FsRepoReader(dir);
      const listFiles = reader.listFiles.bind(reader);
      reader.listFiles = (leaveOut) => {
        listed.push(...listFiles(leaveOut));
        return listed;
      };
      const result = loadRepository(reader, { excludeDirs: ["extra/out"] });
      expect(result.diagnostics).toEqual([]);
      expect(listed).toEqual(["netcompile.yaml", "outer/z.txt", "pools.yaml", "topology.yaml"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a repository without any Topology", () => {
    const { ["topology.yaml"]: _, ...rest } = minimalRepo;
    expect(load(rest).diagnostics.map(at)).toEqual(["NC1013 netcompile.yaml:1:1"]);
  });

  it("refuses files over the size limit without reading them", () => {
    const result = load({ ...minimalRepo, "huge.yaml": "#".repeat(9 * 1024 * 1024) });
    expect(result.diagnostics.map(at)).toEqual(["NC1014 huge.yaml:1:1"]);
  });

  it("digests every file read, and only those", () => {
    const a = load(minimalRepo).inputDigest;
    expect(load(minimalRepo).inputDigest).toBe(a);
    expect(load({ ...minimalRepo, ".hidden/x.yaml": "x" }).inputDigest).toBe(a);
    expect(
      load({ ...minimalRepo, "pools.yaml": `${minimalRepo["pools.yaml"]}# changed\n` }).inputDigest,
    ).not.toBe(a);
  });
});

describe("limits", () => {
  const at2 = (d: { code: string; file: string; line: number }) => `${d.code} ${d.file}:${d.line}`;

  it("reports flow nesting too deep for the parser as NC1015, not a crash", () => {
    const result = load({
      ...minimalRepo,
      "deep.yaml": `a: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`,
    });
    expect(result.diagnostics.map(at2)).toEqual(["NC1015 deep.yaml:1"]);
  });

  it("reports nesting beyond the limit at the first node too deep", () => {
    const lines = Array.from({ length: 70 }, (_, i) => `${"  ".repeat(i)}k${i}:`);
    const result = load({ ...minimalRepo, "deep.yaml": `${lines.join("\n")} 1\n` });
    expect(result.diagnostics.map(at2)).toEqual(["NC1015 deep.yaml:65"]);
  });
});
