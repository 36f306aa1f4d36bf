/**
 * The output path (issue 18, items 3, 4, 5, 6, 11, 18 and two of 21): nothing a repository
 * commits makes netcompile write or read outside it through a link, replace its input or its
 * .git, trust a committed build mutex or leftover, or fail with an internal error where a
 * path cannot be written.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/action/main.js";
import { fakeCore, runnerEnv } from "../action-support.js";
import { git } from "../plan-support.js";
import { cli, hostRepo, minimalRepo, readTree, removeDir, testdir } from "../support.js";
import { fakeSecret, mkfifo, runCli } from "./support.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

// With gateways: a build then renders host files and has nothing to say (NC5035).
function repo(files: Record<string, string> = {}): string {
  const dir = testdir({ ...hostRepo, ...files });
  dirs.push(dir);
  return dir;
}
function outside(files: Record<string, string> = {}): string {
  const dir = testdir(files);
  dirs.push(dir);
  return dir;
}
const withOutputDir = (dir: string, ignore?: string) => ({
  "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  output:\n    dir: ${dir}\n${ignore ? `  ignore: [${ignore}]\n` : ""}`,
});

describe("output.dir through a symbolic link (item 3)", () => {
  it("escape -> /outside, output.dir: escape/rendered: NC5005, nothing written outside", async () => {
    const away = outside();
    // Ignored, so the loader does not stop at the link (NC1018) and the output side is tested.
    const dir = repo(withOutputDir("escape/rendered", "escape"));
    symlinkSync(away, join(dir, "escape"));
    const r = await cli(["build", "--repo", dir], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("NC5005");
    expect(r.stderr).toContain("escape is a symbolic link");
    expect(readdirSync(away)).toEqual([]); // no tree, staging folder or build mutex
    const check = await cli(["build", "--repo", dir, "--check"], dir);
    expect(check.stderr).toContain("NC5005");
    expect(check.code).toBe(1);
  });
});

describe("plan reads its own output folder only through real folders (item 4)", () => {
  it("escape3 -> a folder with a secret, output.dir: escape3/: the secret is never printed", async () => {
    const secret = fakeSecret();
    dirs.push(secret.dir);
    const dir = repo(withOutputDir("escape3/", "escape3"));
    symlinkSync(secret.dir, join(dir, "escape3"));
    const r = await cli(["plan", "--repo", dir], dir);
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret.content);
    expect(r.stderr).toContain("escape3 is a symbolic link");
    expect(r.code).not.toBe(0);
  });

  it("a link inside the rendered tree is an error naming it, not followed", async () => {
    const secret = fakeSecret();
    dirs.push(secret.dir);
    const dir = repo();
    expect((await cli(["build", "--repo", dir], dir)).code).toBe(0);
    symlinkSync(secret.path, join(dir, "rendered", "manifests", "stolen.yaml"));
    const r = await cli(["plan", "--repo", dir], dir);
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret.content);
    expect(r.stderr).toContain("rendered/manifests/stolen.yaml is a symbolic link");
  });

  it("--against a tree holding a FIFO and a link to a secret (read beside the compile): the first named, nothing hangs, the secret never printed", async () => {
    const secret = fakeSecret();
    dirs.push(secret.dir);
    const dir = repo();
    const against = outside();
    expect((await cli(["build", "--repo", dir, "--out", against], dir)).code).toBe(0);
    symlinkSync(secret.path, join(against, "manifests", "stolen.yaml"));
    mkfifo(join(against, "manifests", "pipe.yaml"));
    const r = await runCli(["plan", "--repo", dir, "--against", against], {
      cwd: dir,
      timeoutMs: 30_000,
    });
    expect(r.timedOut, "plan hung on the FIFO").toBe(false);
    expect(`${r.stdout}${r.stderr}`).not.toContain(secret.content);
    expect(r.stderr).toContain("manifests/pipe.yaml is a FIFO (named pipe)");
    expect(r.stderr).not.toContain("NC9001");
    expect(r.code).not.toBe(0);
  });

  it("a rendered file over maxOutputFileBytes (sparse 700 MB) is an error naming it, not an internal error", async () => {
    const dir = repo();
    expect((await cli(["build", "--repo", dir], dir)).code).toBe(0);
    const big = join(dir, "rendered", "manifests", "big.yaml");
    writeFileSync(big, "");
    (await import("node:fs")).truncateSync(big, 700 * 1024 * 1024);
    const r = await runCli(["plan", "--repo", dir], { cwd: dir, maxOldSpaceMb: 256 });
    expect(r.stderr).toContain("rendered/manifests/big.yaml is 734003200 bytes");
    expect(r.stderr).not.toContain("NC9001");
  });
});

describe("build --check and check-output never follow links in the output tree (item 5)", () => {
  it("a link to a folder and a link to /dev/zero: each named (NC1047 and NC1018; NC5003 in check-output), nothing read", async () => {
    const dir = repo();
    expect((await cli(["build", "--repo", dir], dir)).code).toBe(0);
    symlinkSync("/etc", join(dir, "rendered", "manifests", "etc"));
    const lock = join(dir, "rendered", "netcompile.lock.json");
    const lockText = readFileSync(lock, "utf8");
    removeDir(lock);
    symlinkSync("/dev/zero", lock);
    const r = await runCli(["build", "--repo", dir, "--check"], {
      cwd: dir,
      timeoutMs: 30_000,
      maxOldSpaceMb: 256,
    });
    expect(r.timedOut, "build --check hung or streamed").toBe(false);
    // A lock file that is a link is not a build's: the folder is read as input, the link named.
    expect(r.stderr).toMatch(
      /rendered\/netcompile\.lock\.json:1:1: error NC1047: .* is not a regular file/,
    );
    expect(r.stderr).toMatch(/rendered\/manifests\/etc:1:1: error NC1018: .* is a symbolic link/);
    expect(r.stderr).not.toContain("NC9001");
    expect(r.code).toBe(1);

    // The Action's check-output reads the same way.
    removeDir(lock);
    writeFileSync(lock, lockText);
    const core = fakeCore({ "check-output": "true" });
    const proc = runnerEnv(dir);
    dirs.push(proc.env.RUNNER_TEMP);
    await run(core, proc);
    expect(core.annotations.map((a) => a.message).join("\n")).toMatch(
      /rendered\/manifests\/etc is a symbolic link/,
    );
    expect(core.failed.length).toBe(1);
    expect(core.failed[0]).not.toContain("internal error");
  });
});

describe("a committed build mutex is not trusted (item 6)", () => {
  it.each([
    ["a link to /dev/zero", (p: string) => symlinkSync("/dev/zero", p)],
    ["a file holding 1 (pid 1 is always alive)", (p: string) => writeFileSync(p, "1\n")],
    [
      "a file in the mutex's own format for pid 1",
      (p: string) =>
        writeFileSync(p, "netcompile-build-mutex/1 pid=1 start=1 token=0123456789abcdef\n"),
    ],
  ])("%s: the build neither reads it whole nor waits for it", async (_, make) => {
    const dir = repo();
    make(join(dir, ".rendered.lock"));
    const r = await runCli(["build", "--repo", dir], {
      cwd: dir,
      timeoutMs: 30_000,
      maxOldSpaceMb: 256,
    });
    expect(r.timedOut, "build waited for or read the committed mutex").toBe(false);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "rendered", "netcompile.lock.json"))).toBe(true);
    expect(existsSync(join(dir, ".rendered.lock"))).toBe(false);
  });

  it("a folder named like the mutex is an error naming it (NC5002), not a hang", async () => {
    const dir = repo();
    mkdirSync(join(dir, ".rendered.lock", "x"), { recursive: true });
    const r = await runCli(["build", "--repo", dir], { cwd: dir, timeoutMs: 30_000 });
    expect(r.timedOut).toBe(false);
    expect(r.stderr).toMatch(/NC5002: .*\.rendered\.lock: it is a folder/);
    expect(r.code).toBe(1);
  });
});

describe("committed leftovers of a killed build are not touched (item 21)", () => {
  it(".rendered.old-N is never renamed into place, .rendered.tmp-N never deleted", async () => {
    const dir = repo();
    mkdirSync(join(dir, ".rendered.old-999999"));
    writeFileSync(join(dir, ".rendered.old-999999", "evil.yaml"), "kind: Evil\n");
    mkdirSync(join(dir, ".rendered.tmp-999999"));
    writeFileSync(join(dir, ".rendered.tmp-999999", "keep.txt"), "mine\n");
    const r = await cli(["build", "--repo", dir], dir);
    expect(r.code).toBe(0);
    expect(readTree(join(dir, ".rendered.old-999999"))).toEqual({ "evil.yaml": "kind: Evil\n" });
    expect(readTree(join(dir, ".rendered.tmp-999999"))).toEqual({ "keep.txt": "mine\n" });
    expect(Object.keys(readTree(join(dir, "rendered")))).not.toContain("evil.yaml");
  });
});

describe("an output that cannot be made is a diagnostic (item 11)", () => {
  it("--out below a file (as /etc/passwd/x): NC5002 naming it, not an internal error", async () => {
    const dir = repo();
    const file = join(outside({ passwd: "root:x:0:0\n" }), "passwd");
    const r = await cli(["build", "--repo", dir, "--out", join(file, "x")], dir);
    expect(r.stderr).toContain("NC5002");
    expect(r.stderr).toContain("passwd");
    expect(r.stderr).not.toContain("NC9001");
    expect(r.code).toBe(1);
    expect(readFileSync(file, "utf8")).toBe("root:x:0:0\n");
  });

  it("the Action's sarif input below a file, or at a committed link: the step fails naming the input", async () => {
    const dir = repo();
    writeFileSync(join(dir, "passwd"), "root:x:0:0\n");
    const below = fakeCore({ sarif: "passwd/x" });
    const proc = runnerEnv(dir);
    dirs.push(proc.env.RUNNER_TEMP);
    await run(below, proc);
    expect(below.failed).toEqual([
      expect.stringMatching(/cannot write .*passwd\/x \(input "sarif"\)/),
    ]);
    expect(below.failed[0]).not.toContain("internal error");

    const target = join(outside({ bashrc: "mine\n" }), "bashrc");
    symlinkSync(target, join(dir, "results.sarif"));
    const linked = fakeCore({ sarif: "results.sarif" });
    await run(linked, proc);
    expect(linked.failed).toEqual([expect.stringMatching(/input "sarif".*symbolic link/)]);
    expect(readFileSync(target, "utf8")).toBe("mine\n");
  });
});

describe("an output that holds input or version-control data is refused, even with --force (item 18)", () => {
  it("output.dir: .git with --force: NC5006, .git intact", async () => {
    const dir = repo(withOutputDir(".git"));
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "x");
    const head = git(dir, "rev-parse", "HEAD");
    const r = await cli(["build", "--repo", dir, "--force"], dir);
    expect(r.stderr).toContain("NC5006");
    expect(r.code).toBe(1);
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
  });

  it("--out inside .git, or at a checkout holding .git: NC5006", async () => {
    const dir = repo();
    mkdirSync(join(dir, ".git", "hooks"), { recursive: true });
    const inside = await cli(
      ["build", "--repo", dir, "--out", join(dir, ".git", "hooks"), "--force"],
      dir,
    );
    expect(inside.stderr).toContain("NC5006");
    const other = outside({ ".git/HEAD": "ref: refs/heads/main\n", README: "x\n" });
    const holding = await cli(["build", "--repo", dir, "--out", other, "--force"], dir);
    expect(holding.stderr).toContain("NC5006");
    expect(readTree(other)).toEqual({ ".git/HEAD": "ref: refs/heads/main\n", README: "x\n" });
  });

  it("--out at an input folder with --force: NC5006, the inputs intact", async () => {
    const dir = testdir({
      "netcompile.yaml": minimalRepo["netcompile.yaml"]!,
      "topology.yaml": minimalRepo["topology.yaml"]!,
      "pools/pools.yaml": minimalRepo["pools.yaml"]!,
    });
    dirs.push(dir);
    const r = await cli(["build", "--repo", dir, "--out", join(dir, "pools"), "--force"], dir);
    expect(r.stderr).toContain("NC5006");
    expect(r.stderr).toContain("pools.yaml");
    expect(r.code).toBe(1);
    expect(readTree(join(dir, "pools"))).toEqual({ "pools.yaml": minimalRepo["pools.yaml"] });
  });
});

describe("a node name is a folder name (item 17)", () => {
  it("a node name longer than a file name (130 × é = 260 bytes): NC5007 from validate, never ENAMETOOLONG", async () => {
    const dir = repo({
      "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  rules:\n    node-name-invalid: "off"\n`,
      "topology.yaml": minimalRepo["topology.yaml"]!.replace(
        "name: node-1",
        `name: "${"é".repeat(130)}"`,
      ),
    });
    const validate = await cli(["validate", "--repo", dir], dir);
    expect(validate.stdout).toMatch(/topology\.yaml:12:13: error NC5007: .* is 260 bytes in UTF-8/);
    expect(validate.code).toBe(1);
    const build = await cli(["build", "--repo", dir], dir);
    expect(build.stderr).toContain("NC5007");
    expect(build.stderr).not.toContain("ENAMETOOLONG");
    expect(existsSync(join(dir, "rendered"))).toBe(false);
  });
});

describe("what the loader takes for a build's output folder (never a place to hide input)", () => {
  const poolsInOutput = (): string => {
    const dir = repo({ ...withOutputDir("pools"), "pools.yaml": "" });
    removeDir(join(dir, "pools.yaml"));
    mkdirSync(join(dir, "pools"));
    writeFileSync(join(dir, "pools", "pools.yaml"), hostRepo["pools.yaml"]!);
    return dir;
  };

  it("pools in output.dir without a lock file: NC1045 from validate and the Action, nothing hidden", async () => {
    const dir = poolsInOutput();
    const r = await cli(["validate", "--repo", dir], dir);
    expect(`${r.stdout}${r.stderr}`).toMatch(
      /netcompile\.yaml:\d+:\d+: error NC1045: pools is netcompile's output folder/,
    );
    expect(`${r.stdout}${r.stderr}`).toContain("(1: pools/pools.yaml)");
    expect(r.code).toBe(1);
    const core = fakeCore();
    const proc = runnerEnv(dir);
    dirs.push(proc.env.RUNNER_TEMP);
    await run(core, proc);
    expect(core.failed.length).toBe(1);
    expect(JSON.stringify(core.annotations)).toContain("NC1045");
  });

  it("a lock file reached through a link is not a build's: the link is named (NC1018), nothing outside trusted", async () => {
    const away = outside({ "netcompile.lock.json": "{}", "pools.yaml": hostRepo["pools.yaml"]! });
    const dir = repo({ ...withOutputDir("out/rendered") });
    symlinkSync(away, join(dir, "out"));
    const r = await cli(["validate", "--repo", dir], dir);
    expect(`${r.stdout}${r.stderr}`).toMatch(
      /^out:1:1: error NC1018: out is a symbolic link to a folder/m,
    );
    expect(r.code).toBe(1);
  });

  it("a folder by the lock's name: NC1047 on disk and in a git base alike", async () => {
    const dir = poolsInOutput();
    mkdirSync(join(dir, "pools", "netcompile.lock.json"));
    writeFileSync(join(dir, "pools", "netcompile.lock.json", "keep"), "");
    const r = await cli(["validate", "--repo", dir], dir);
    expect(`${r.stdout}${r.stderr}`).toMatch(/^pools\/netcompile\.lock\.json:1:1: error NC1047: /m);
    expect(`${r.stdout}${r.stderr}`).toContain("NC1045");
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "x");
    const plan = await cli(["plan", "--repo", dir, "--base", "HEAD", "--format", "json"], dir);
    expect(plan.stderr).toMatch(/^pools\/netcompile\.lock\.json:1:1: error NC1047: /m);
    expect(plan.code).toBe(1);
  });

  it("the Action warns that a committed build is not checked while check-output is off", async () => {
    const dir = repo();
    expect((await cli(["build", "--repo", dir], dir)).code).toBe(0);
    const core = fakeCore();
    const proc = runnerEnv(dir);
    dirs.push(proc.env.RUNNER_TEMP);
    await run(core, proc);
    expect(core.failed).toEqual([]);
    expect(core.annotations).toContainEqual({
      level: "warning",
      message: expect.stringMatching(
        /^rendered holds a build \(netcompile\.lock\.json\), which this run did not read or compare .* set check-output: true$/,
      ) as unknown,
      properties: { title: "netcompile: output folder not checked" },
    });
    const checked = fakeCore({ "check-output": "true" });
    await run(checked, proc);
    expect(checked.failed).toEqual([]);
    expect(checked.annotations.map((a) => a.properties?.title)).not.toContain(
      "netcompile: output folder not checked",
    );
  });
});
