/**
 * git runs only on the repository the user meant, configured by nothing in its content
 * (issue 18, item 2), and reads no blob past the size limit nor fails on a missing one (items
 * 9 and 10). The attack: a bare repository committed inside the netcompile folder (HEAD,
 * objects/, refs/, a config with core.worktree, a partial-clone promisor remote over ssh and
 * core.sshCommand/core.fsmonitor that touch a marker). git run in that folder would discover
 * it before the real .git above, and fetch a missing object through the attacker's command.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { GitRepoReader } from "../../src/load/git-reader.js";
import { LIMITS } from "../../src/load/limits.js";
import { run } from "../../src/action/main.js";
import { fakeCore, runnerEnv } from "../action-support.js";
import { git } from "../plan-support.js";
import { minimalRepo, removeDir, testdir } from "../support.js";
import { runCli } from "./support.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** Every git command GitRepoReader runs, with what it wrote to git's stdin. */
const gitCalls = vi.hoisted(() => [] as { args: readonly string[]; input: string }[]);
vi.mock("node:child_process", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:child_process")>();
  return {
    ...real,
    spawnSync: ((command: string, args: readonly string[], options?: { input?: string }) => {
      if (command === "git") gitCalls.push({ args, input: String(options?.input ?? "") });
      return real.spawnSync(command, args, options as never);
    }) as typeof real.spawnSync,
  };
});

/** A git checkout of `files` with one commit; its commit id. */
function committed(files: Record<string, string>): { dir: string; base: string } {
  const dir = testdir(files);
  dirs.push(dir);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  return { dir, base: git(dir, "rev-parse", "HEAD").trim() };
}

/** An outer checkout with clusters/prod; the embedded bare repository is added after `base`. */
function checkoutWithEmbeddedRepo(marker: string): { dir: string; base: string } {
  const files: Record<string, string> = {};
  for (const [name, text] of Object.entries(minimalRepo)) files[`clusters/prod/${name}`] = text;
  const { dir, base } = committed(files);
  const prod = join(dir, "clusters", "prod");
  writeFileSync(join(prod, "HEAD"), "ref: refs/heads/main\n");
  mkdirSync(join(prod, "objects", "info"), { recursive: true });
  writeFileSync(join(prod, "objects", "info", "keep"), "");
  mkdirSync(join(prod, "refs", "heads"), { recursive: true });
  writeFileSync(join(prod, "refs", "heads", "keep"), "");
  const touch = `touch ${marker}; false`;
  writeFileSync(
    join(prod, "config"),
    [
      "[core]",
      "\trepositoryformatversion = 1",
      "\tbare = false",
      "\tworktree = .",
      `\tsshCommand = ${touch}`,
      `\tfsmonitor = ${touch}`,
      `\thooksPath = ${prod}`,
      "[extensions]",
      "\tpartialClone = origin",
      '[remote "origin"]',
      "\turl = ssh://attacker.invalid/x",
      "\tpromisor = true",
      "\tpartialclonefilter = blob:none",
      "",
    ].join("\n"),
  );
  // The pool changes too, so a plan has something to read from both sides.
  writeFileSync(
    join(prod, "pools.yaml"),
    minimalRepo["pools.yaml"]!.replace("natOutgoing: true", "natOutgoing: false"),
  );
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "a pull request with an embedded repository");
  return { dir, base };
}

describe("a bare repository committed inside the netcompile folder", () => {
  it("plan --repo clusters/prod --base SHA: the marker is never created, the plan is of the outer repository", async () => {
    const marker = join(testdir({}), "PWNED");
    dirs.push(join(marker, ".."));
    const { dir, base } = checkoutWithEmbeddedRepo(marker);
    const r = await runCli(["plan", "--repo", "clusters/prod", "--base", base], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(existsSync(marker), "the repository's config ran a command").toBe(false);
    expect(r.stderr).not.toContain("NC6007");
    expect(r.stdout).toContain("natOutgoing");
    expect(r.code).toBe(0);
  });

  it("the Action with repository: clusters/prod: the marker is never created", async () => {
    const marker = join(testdir({}), "PWNED");
    dirs.push(join(marker, ".."));
    const { dir, base } = checkoutWithEmbeddedRepo(marker);
    const core = fakeCore({ repository: "clusters/prod", base });
    const proc = runnerEnv(dir);
    dirs.push(proc.env.RUNNER_TEMP);
    gitCalls.length = 0;
    await run(core, proc);
    // Every git command names the outer repository's .git and turns off what runs commands.
    expect(gitCalls.length).toBeGreaterThan(0);
    for (const call of gitCalls) {
      expect(call.args).toContain(`--git-dir=${join(dir, ".git")}`);
      expect(call.args).toContain("safe.bareRepository=explicit");
      expect(call.args).toContain("protocol.allow=never");
    }
    expect(existsSync(marker), "the repository's config ran a command").toBe(false);
    expect(core.failed).toEqual([]);
    expect(core.outputs.base).toBe(base);
  });
});

describe("git objects", () => {
  it("a blob over the size limit in the base is refused from its size, never read (NC1014)", async () => {
    const dir = testdir(minimalRepo);
    dirs.push(dir);
    git(dir, "init", "-q", "-b", "main");
    const big = join(dir, "big.yaml");
    writeFileSync(big, "");
    truncateSync(big, 20 * 1024 * 1024); // zeros: git stores them compressed
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "a large file");
    rmSync(big);
    const oid = git(dir, "rev-parse", "HEAD:big.yaml").trim();

    gitCalls.length = 0;
    const reader = new GitRepoReader(dir, "HEAD");
    expect(reader.readFile("pools.yaml", LIMITS.maxFileBytes).ok).toBe(true);
    expect(reader.readFile("big.yaml", LIMITS.maxFileBytes)).toMatchObject({
      ok: false,
      problem: "too-large",
      size: 20_971_520,
    });
    const asked = gitCalls.filter((c) => c.args.includes("cat-file")).map((c) => c.input);
    expect(asked.join("")).not.toContain(oid);

    const r = await runCli(["plan", "--repo", dir, "--base", "HEAD"], {
      cwd: dir,
      timeoutMs: 60_000,
    });
    expect(r.stderr).toMatch(/big\.yaml:1:1: error NC1014: big\.yaml is 20971520 bytes/);
    expect(r.stderr).not.toContain("NC9001");
  });

  it("a blob missing from the repository (a partial clone) is a diagnostic naming it, not an internal error", async () => {
    const { dir } = committed(minimalRepo);
    const oid = git(dir, "rev-parse", "HEAD:pools.yaml").trim();
    rmSync(join(dir, ".git", "objects", oid.slice(0, 2), oid.slice(2)));
    const r = await runCli(["plan", "--repo", dir, "--base", "HEAD"], { cwd: dir });
    expect(r.stderr).toContain("NC6007");
    expect(r.stderr).toContain(`git object ${oid} is missing`);
    expect(r.stderr).not.toMatch(/NC9001|maxBuffer|NaN/);
  });
});
