/**
 * `plan --base GITREF` against a real git history: a temp repository whose netcompile
 * repository lives in a subfolder, with commits before it existed, when it was created, and
 * after. Also GitRepoReader itself: what it lists and reads, and that it never writes.
 */
import { mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GitError, GitRepoReader } from "../src/load/git-reader.js";
import { git } from "./plan-support.js";
import { cli, minimalRepo, parseJson, removeDir, testdir, type PlanJson } from "./support.js";

let top = "";
const net = () => join(top, "infra", "net");

function write(files: Readonly<Record<string, string>>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(net(), path, ".."), { recursive: true });
    writeFileSync(join(net(), path), content);
  }
}

beforeAll(() => {
  top = testdir({ "README.md": "an unrelated repository\n" });
  git(top, "init", "-q", "-b", "main");
  git(top, "add", "-A");
  git(top, "commit", "-q", "-m", "before netcompile");
  git(top, "tag", "empty");

  write(minimalRepo);
  // Rendered output committed beside the input: not read as input, and not prefetched.
  write({ "rendered/netcompile.lock.json": "{}\n", "rendered/manifests/x.yaml": "kind: X\n" });
  git(top, "add", "-A");
  git(top, "commit", "-q", "-m", "add the network repository");
  git(top, "tag", "created");

  write({
    "pools.yaml": minimalRepo["pools.yaml"]!.replace("ipipMode: CrossSubnet", "ipipMode: Always"),
  });
  git(top, "add", "-A");
  git(top, "commit", "-q", "-m", "ipip always");
  git(top, "tag", "always");

  // The working tree: VXLAN, not committed; the index holds the ipipMode: Always version.
  write({
    "pools.yaml": minimalRepo["pools.yaml"]!.replace("ipipMode: CrossSubnet", "vxlanMode: Always"),
  });
});
afterAll(() => removeDir(top));

const plan = (...args: string[]) =>
  cli(["plan", "--repo", "infra/net", "--format", "json", ...args], top);

describe("plan --base", () => {
  it("plans against a commit where the repository did not exist yet: everything is an add", async () => {
    const r = await plan("--base", "empty", "--detailed-exitcode");
    expect(r.code, r.stderr).toBe(2);
    const p = parseJson<PlanJson>(r.stdout);
    expect(p.base).toMatchObject({ kind: "git", ref: "empty", analysis: "none" });
    expect(p.notes).toEqual([
      {
        code: "NC6006",
        message:
          "empty has no netcompile.yaml in infra/net (the repository did not exist yet): everything is an add",
      },
    ]);
    expect(p.summary.change + p.summary.destroy + p.summary.disruptive).toBe(0);
    expect(p.summary.add).toBeGreaterThan(0);
    expect(p.changes.every((c: { action: string }) => c.action === "create")).toBe(true);
    expect(p.disruptions).toEqual([]);
  });

  it("plans against the commit that created it: one pool change, disruptive", async () => {
    const r = await plan("--base", "created");
    expect(r.code).toBe(1); // unacknowledged disruptive changes
    const p = parseJson<PlanJson>(r.stdout);
    expect(p.base.commit).toBe(git(top, "rev-parse", "created").trim());
    expect(p.disruptions.map((d: { change: object }) => d.change)).toContainEqual({
      resource: "IPPool/pool-1",
      field: "encapsulation",
      from: "IPIPCrossSubnet",
      to: "VXLAN",
    });
  });

  it("accepts any revision syntax (HEAD~1, a tag, a full commit id)", async () => {
    const byTag = parseJson<PlanJson>((await plan("--base", "always")).stdout);
    const byRel = parseJson<PlanJson>((await plan("--base", "HEAD")).stdout);
    const byId = parseJson<PlanJson>(
      (await plan("--base", git(top, "rev-parse", "always").trim())).stdout,
    );
    expect(byRel.disruptions).toEqual(byTag.disruptions);
    expect(byId.summary).toEqual(byTag.summary);
    expect(byTag.disruptions[0]!.change).toMatchObject({ from: "IPIP", to: "VXLAN" });
  });

  it("reads git objects only: the working tree, the index and HEAD are untouched", async () => {
    const index = join(top, ".git", "index");
    const before = {
      status: git(top, "status", "--porcelain"),
      head: git(top, "rev-parse", "HEAD"),
      index: readFileSync(index),
      mtime: statSync(index).mtimeMs,
      pools: readFileSync(join(net(), "pools.yaml"), "utf8"),
    };
    await plan("--base", "created");
    await plan("--base", "empty");
    // The index first: nothing may have rewritten it (the test's own git runs without optional locks).
    expect(readFileSync(index).equals(before.index)).toBe(true);
    expect(statSync(index).mtimeMs).toBe(before.mtime);
    expect(git(top, "status", "--porcelain")).toBe(before.status);
    expect(git(top, "rev-parse", "HEAD")).toBe(before.head);
    expect(readFileSync(join(net(), "pools.yaml"), "utf8")).toBe(before.pools);
  });

  it("exits 3 with NC6007 for an unknown revision, and outside a git repository", async () => {
    const r = await plan("--base", "no-such-branch");
    expect(r.code).toBe(3);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /NC6007: cannot read the base no-such-branch: unknown git revision "no-such-branch"/,
    );
    const outside = testdir(minimalRepo);
    try {
      const o = await cli(["plan", "--base", "HEAD"], outside);
      expect(o.code).toBe(3);
      expect(o.stderr).toMatch(/is not inside a git work tree/);
    } finally {
      removeDir(outside);
    }
  });

  it("refuses --base together with --against (usage, exit 3)", async () => {
    const r = await plan("--base", "HEAD", "--against", "x");
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot be used with option '--against/);
  });
});

describe("plan --base with a base that does not validate", () => {
  let repo = "";
  beforeAll(() => {
    repo = testdir(minimalRepo);
    git(repo, "init", "-q", "-b", "main");
    // A rule error in the base (a node outside every subnet): the model is sound, plan from it.
    writeFileSync(
      join(repo, "topology.yaml"),
      minimalRepo["topology.yaml"]!.replace("address: 10.0.2.10", "address: 10.9.9.9"),
    );
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "rule error");
    git(repo, "tag", "rule-error");
    writeFileSync(join(repo, "pools.yaml"), "kind: [broken\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "broken yaml");
    git(repo, "tag", "broken");
    writeFileSync(join(repo, "topology.yaml"), minimalRepo["topology.yaml"]!);
    writeFileSync(join(repo, "pools.yaml"), minimalRepo["pools.yaml"]!);
  });
  afterAll(() => removeDir(repo));

  it("plans from a base with rule errors, and says so (NC6004)", async () => {
    const r = await cli(["plan", "--base", "rule-error", "--format", "json"], repo);
    expect(r.code, r.stderr).toBe(0);
    const p = parseJson<PlanJson>(r.stdout);
    expect(p.base.analysis).toBe("model");
    expect(p.notes.map((n: { code: string }) => n.code)).toEqual(["NC6004"]);
  });

  it("cannot plan from a base that does not load: exit 1 with the base's diagnostics", async () => {
    const r = await cli(["plan", "--base", "broken"], repo);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/NC6007: cannot read the base broken: it does not validate/);
    expect(r.stderr).toMatch(/pools\.yaml:\d+:\d+: error NC1001/);
  });
});

describe("GitRepoReader", () => {
  let repo = "";
  beforeAll(() => {
    repo = testdir({
      "sub dir/netcompile.yaml": "a: 1\n",
      "sub dir/ünï cödé.yaml": "b: 2\n",
      "sub dir/.hidden/x.yaml": "c: 3\n",
      "sub dir/node_modules/y.yaml": "d: 4\n",
      "sub dir/big.bin": "x".repeat(100_000),
      "other/z.yaml": "e: 5\n",
    });
    symlinkSync("netcompile.yaml", join(repo, "sub dir", "link.yaml"));
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "files");
    rmSync(join(repo, "sub dir"), { recursive: true }); // the working tree no longer has them
  });
  afterAll(() => removeDir(repo));

  it("lists the commit's regular files below the folder, like the working-tree reader", () => {
    mkdirSync(join(repo, "sub dir"));
    const reader = new GitRepoReader(join(repo, "sub dir"), "main");
    expect(reader.prefix).toBe("sub dir/");
    expect(reader.description).toBe("main:sub dir");
    expect(reader.listFiles()).toEqual(["big.bin", "netcompile.yaml", "ünï cödé.yaml"]);
    expect(reader.sizeOf("big.bin")).toBe(100_000);
    expect(reader.sizeOf("missing")).toBeUndefined();
    const read = (path: string, max = 1_000_000) => {
      const r = reader.readFile(path, max);
      return r.ok ? r.bytes.toString() : r.problem;
    };
    expect(read("ünï cödé.yaml")).toBe("b: 2\n");
    expect(read("netcompile.yaml")).toBe("a: 1\n");
    expect(read("big.bin")).toHaveLength(100_000);
    expect(read("big.bin", 99_999)).toBe("too-large");
    expect(read("link.yaml")).toBe("absent");
    expect(reader.listProblems()).toEqual([
      { path: "link.yaml", folder: false, problem: "symlink", detail: "a symbolic link" },
    ]);
    expect(read("../other/z.yaml")).toBe("absent");
  });

  it("throws GitError for an unknown revision", () => {
    expect(() => new GitRepoReader(repo, "nope")).toThrow(GitError);
  });
});

describe("plan --base of a static host networking repository", () => {
  let repo = "";
  beforeAll(() => {
    const input = join("fixtures", "cases", "static-vxlan-always", "input");
    repo = testdir(
      Object.fromEntries(
        ["ippool.yaml", "netcompile.yaml", "topology.yaml"].map((f) => [
          f,
          readFileSync(join(input, f), "utf8"),
        ]),
      ),
    );
    git(repo, "init", "-q", "-b", "main");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "static");
  });
  afterAll(() => removeDir(repo));

  // The base renders its manifests first and its host files after (plan/base.ts): static mode's
  // refusal to render manifests alone (NC5037, for `render`) must not make the base unreadable.
  it("reads the base: the same commit plans no change", async () => {
    const r = await cli(["plan", "--repo", repo, "--base", "HEAD", "--format", "json"], repo);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const p = parseJson<PlanJson>(r.stdout);
    expect(p.base).toMatchObject({ kind: "git", analysis: "model" });
    expect(p.summary).toMatchObject({ add: 0, change: 0, destroy: 0, disruptive: 0 });
  });
});
