/**
 * netcompile.yaml is read like every other input (issue 18, items 1, 8 and 17): a link is
 * never followed (its target never printed), a FIFO or device never opened, the 8 MiB limit
 * applies to it and is blamed on it, and U+FFFD written in valid UTF-8 is text.
 */
import { symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/action/main.js";
import { cli, minimalRepo, removeDir, testdir } from "../support.js";
import { fakeCore, runnerEnv } from "../action-support.js";
import { fakeSecret, mkfifo, runCli } from "./support.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function repo(): string {
  const dir = testdir(minimalRepo);
  dirs.push(dir);
  return dir;
}

function replaceRoot(dir: string, make: (path: string) => void): void {
  const path = join(dir, "netcompile.yaml");
  removeDir(path);
  make(path);
}

describe("a hostile netcompile.yaml", () => {
  it("a link to a secret outside: NC1018, and the secret never appears (CLI)", async () => {
    const secret = fakeSecret();
    dirs.push(secret.dir);
    const dir = repo();
    replaceRoot(dir, (p) => symlinkSync(secret.path, p));
    for (const command of ["validate", "render", "build", "plan"]) {
      const r = await cli([command, "--repo", dir], dir);
      expect(`${r.stdout}${r.stderr}`, command).toContain("NC1018");
      expect(`${r.stdout}${r.stderr}`, command).not.toContain(secret.content);
      expect(r.code, command).toBe(1);
    }
  });

  it("a link to /proc/self/environ: the environment never appears", async () => {
    const token = `NETCOMPILE-FAKE-TOKEN-${process.pid}`;
    const dir = repo();
    replaceRoot(dir, (p) => symlinkSync("/proc/self/environ", p));
    const r = await runCli(["validate", "--repo", dir], { cwd: dir, env: { FAKE_TOKEN: token } });
    expect(r.stdout).toContain("NC1018");
    expect(`${r.stdout}${r.stderr}`).not.toContain(token);
  });

  it("a link to a secret in the Action: never in the log, annotations, summary or outputs", async () => {
    const secret = fakeSecret();
    dirs.push(secret.dir);
    const dir = repo();
    replaceRoot(dir, (p) => symlinkSync(secret.path, p));
    const core = fakeCore();
    const env = runnerEnv(dir);
    dirs.push(env.env.RUNNER_TEMP);
    await run(core, env);
    const everything = JSON.stringify(core);
    expect(everything).toContain("NC1018");
    expect(everything).not.toContain(secret.content);
    expect(core.failed.length).toBe(1);
  });

  it("a link to /dev/zero, and a FIFO: refused at once, nothing read, nothing hangs", async () => {
    for (const make of [(p: string) => symlinkSync("/dev/zero", p), (p: string) => mkfifo(p)]) {
      const dir = repo();
      replaceRoot(dir, make);
      const r = await runCli(["validate", "--repo", dir], {
        cwd: dir,
        timeoutMs: 20_000,
        maxOldSpaceMb: 256,
      });
      expect(r.timedOut, "validate hung or streamed").toBe(false);
      expect(r.stdout).toMatch(/NC1018|NC1019/);
      expect(r.code).toBe(1);
    }
  });

  it("over the 8 MiB limit (sparse 600 MB and 3 GB files): NC1014 on netcompile.yaml, nothing read", async () => {
    for (const size of [9 * 1024 * 1024, 600 * 1024 * 1024, 3 * 1024 * 1024 * 1024]) {
      const dir = repo();
      writeFileSync(join(dir, "netcompile.yaml"), "");
      truncateSync(join(dir, "netcompile.yaml"), size);
      const r = await runCli(["validate", "--repo", dir], { cwd: dir, maxOldSpaceMb: 128 });
      expect(r.stdout, String(size)).toMatch(
        new RegExp(`netcompile\\.yaml:1:1: error NC1014: netcompile\\.yaml is ${size} bytes`),
      );
      expect(r.stdout).not.toContain("NC1007");
      expect(r.stdout).not.toContain("NC9001");
    }
  });

  it("U+FFFD written in valid UTF-8 is text, not 'not UTF-8'; invalid bytes still are", async () => {
    const dir = repo();
    writeFileSync(
      join(dir, "pools.yaml"),
      minimalRepo["pools.yaml"]!.replace("metadata:", "# replacement character: \uFFFD\nmetadata:"),
    );
    const ok = await cli(["validate", "--repo", dir], dir);
    expect(ok.stdout).not.toContain("NC1044");
    expect(ok.code).toBe(0);
    writeFileSync(join(dir, "pools.yaml"), Buffer.from([0x61, 0x3a, 0x20, 0xef, 0xbf, 0xbd, 0xe9]));
    const bad = await cli(["validate", "--repo", dir], dir);
    expect(bad.stdout).toContain("NC1044");
    expect(bad.stdout).toContain("not UTF-8");
  });

  it("the Action's repository input through a committed link: the step fails naming it, nothing outside read", async () => {
    const secret = fakeSecret();
    dirs.push(secret.dir);
    writeFileSync(join(secret.dir, "netcompile.yaml"), `${secret.content}: x\n`);
    const dir = repo();
    symlinkSync(secret.dir, join(dir, "prod"));
    const core = fakeCore({ repository: "prod" });
    const env = runnerEnv(dir);
    dirs.push(env.env.RUNNER_TEMP);
    await run(core, env);
    expect(core.failed).toEqual([
      expect.stringMatching(/input "repository": prod .*symbolic link/),
    ]);
    expect(JSON.stringify(core)).not.toContain(secret.content);
  });
});
