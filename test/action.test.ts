/**
 * The bundled Action run as a runner runs it: `node dist/index.js` in a checkout with a base
 * and a head commit, a pull_request event file, INPUT_* variables, and the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files. Asserts the workflow commands on stdout, the outputs, the summary
 * and the exit code. (test/action-dist.test.ts checks that dist/ is the bundle of src/.)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, hostRepo, readTree } from "./support.js";

const root = resolve(import.meta.dirname, "..");
const bundle = join(root, "dist", "index.js");
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

function writeTree(dir: string, files: Readonly<Record<string, string | null>>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) rmSync(full, { force: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
  }
}

interface Checkout {
  readonly workspace: string;
  readonly baseSha: string;
  readonly headSha: string;
}

/** A checkout as actions/checkout with fetch-depth 0 leaves it: base commit, then head commit. */
function checkout(
  base: Readonly<Record<string, string>>,
  head: Readonly<Record<string, string | null>>,
  under = "",
): Checkout {
  const workspace = temp("netcompile-action-");
  git(workspace, "init", "-q", "-b", "main");
  git(workspace, "config", "user.email", "test@example.com");
  git(workspace, "config", "user.name", "test");
  const at = (files: Readonly<Record<string, string | null>>) =>
    Object.fromEntries(Object.entries(files).map(([p, c]) => [under ? `${under}/${p}` : p, c]));
  writeTree(workspace, { "README.md": "not netcompile's\n", ...at(base) });
  git(workspace, "add", "-A");
  git(workspace, "commit", "-q", "-m", "base");
  const baseSha = git(workspace, "rev-parse", "HEAD");
  writeTree(workspace, at(head));
  git(workspace, "add", "-A");
  git(workspace, "commit", "-q", "-m", "head");
  return { workspace, baseSha, headSha: git(workspace, "rev-parse", "HEAD") };
}

interface Command {
  readonly command: string;
  readonly properties: Record<string, string>;
  readonly message: string;
}

interface ActionRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly commands: readonly Command[];
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/** Runs the bundle with a runner's environment only (nothing of this process's GITHUB_*). */
function runAction(
  co: Checkout,
  inputs: Readonly<Record<string, string>> = {},
  event: unknown = pullRequestEvent(co),
): ActionRun {
  const runner = temp("netcompile-runner-");
  const files = {
    event: join(runner, "event.json"),
    output: join(runner, "output"),
    summary: join(runner, "summary.md"),
  };
  writeFileSync(files.event, JSON.stringify(event));
  writeFileSync(files.output, "");
  writeFileSync(files.summary, "");
  mkdirSync(join(runner, "temp"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? runner,
    GITHUB_ACTIONS: "true",
    CI: "true",
    GITHUB_WORKSPACE: co.workspace,
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "example/network",
    GITHUB_SHA: "0000000000000000000000000000000000000000",
    RUNNER_TEMP: join(runner, "temp"),
    // As the runner passes `with:` (and the defaults of action.yml): upper-cased, dashes kept.
    INPUT_REPOSITORY: ".",
    INPUT_BASE: "",
    "INPUT_FAIL-ON": "error",
    INPUT_SARIF: join(runner, "temp", "netcompile.sarif"),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const r = spawnSync(process.execPath, [bundle], { cwd: co.workspace, env, encoding: "utf8" });
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    commands: parseCommands(r.stdout),
    outputs: parseOutputs(readFileSync(files.output, "utf8")),
    summary: readFileSync(files.summary, "utf8"),
  };
}

function pullRequestEvent(co: Checkout): unknown {
  return {
    action: "synchronize",
    number: 7,
    pull_request: {
      number: 7,
      base: { ref: "main", sha: co.baseSha },
      head: { ref: "change", sha: co.headSha },
    },
  };
}

/** `::name k=v,k=v::message`, unescaped as the runner does. */
function parseCommands(stdout: string): Command[] {
  const out: Command[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const properties: Record<string, string> = {};
    for (const kv of (m[2] ?? "").split(",").filter(Boolean)) {
      const eq = kv.indexOf("=");
      properties[kv.slice(0, eq)] = unescape(kv.slice(eq + 1));
    }
    out.push({ command: m[1]!, properties, message: unescape(m[3]!) });
  }
  return out;
}

function unescape(s: string): string {
  return s
    .replace(/%0D/g, "\r")
    .replace(/%0A/g, "\n")
    .replace(/%3A/g, ":")
    .replace(/%2C/g, ",")
    .replace(/%25/g, "%");
}

/** GITHUB_OUTPUT holds `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

const annotations = (r: ActionRun, level?: string) =>
  r.commands.filter((c) =>
    level ? c.command === level : ["error", "warning", "notice"].includes(c.command),
  );

const pools = (spec: string) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
spec:
  cidr: 192.168.0.0/16
${spec}`;

describe("the bundled action on a pull request", () => {
  it("has a bundle to run", () => {
    expect(existsSync(bundle)).toBe(true);
  });

  it("passes a clean change: no annotations, outputs, a summary with the plan, exit 0", () => {
    const co = checkout(hostRepo, {
      "pools.yaml": pools("  ipipMode: CrossSubnet\n  natOutgoing: false\n"),
    });
    const r = runAction(co);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(annotations(r)).toEqual([]);
    expect(r.outputs).toMatchObject({
      errors: "0",
      warnings: "0",
      disruptive: "0",
      base: co.baseSha,
    });
    expect(Number(r.outputs.changes)).toBeGreaterThan(0);
    expect(r.summary).toContain("✅ netcompile");
    expect(r.summary).toContain("### netcompile plan");
    expect(r.summary).toContain("natOutgoing");
    const plan = JSON.parse(readFileSync(r.outputs["plan-json"]!, "utf8")) as {
      version: number;
      summary: { change: number };
    };
    expect(plan.version).toBe(1);
    expect(plan.summary.change).toBeGreaterThan(0);
    const sarif = JSON.parse(readFileSync(r.outputs.sarif!, "utf8")) as { version: string };
    expect(sarif.version).toBe("2.1.0");
  });

  it("fails on a rule: an error annotation at the file and line, the table, exit 1", () => {
    const co = checkout(
      hostRepo,
      { "pools.yaml": pools("  ipipMode: Always\n  vxlanMode: Always\n") },
      "clusters/prod",
    );
    const r = runAction(co, { repository: "clusters/prod" });
    expect(r.code).toBe(1);
    const errors = annotations(r, "error").filter((c) => c.properties.file);
    expect(errors).toContainEqual(
      expect.objectContaining({
        properties: expect.objectContaining({
          file: "clusters/prod/pools.yaml",
          line: "8",
          col: "14",
          title: expect.stringContaining("pool-encapsulation-exclusive") as unknown,
        }) as unknown,
      }),
    );
    // The failure itself: one error without a file, from setFailed.
    const failure = annotations(r, "error").filter((c) => !c.properties.file);
    expect(failure).toHaveLength(1);
    expect(failure[0]!.message).toMatch(/netcompile: 1 error/);
    expect(r.outputs.errors).toBe("1");
    expect(r.summary).toContain("❌ netcompile: clusters/prod");
    expect(r.summary).toContain("<code>pool-encapsulation-exclusive</code>");
    expect(r.summary).toContain(
      `https://github.com/example/network/blob/${co.headSha}/clusters/prod/pools.yaml#L`,
    );
    expect(r.summary).toContain("no plan until they are fixed");
    const plan = JSON.parse(readFileSync(r.outputs["plan-json"]!, "utf8")) as {
      complete: boolean;
      notes: { code: string }[];
      diagnostics: { code: string; file: string }[];
    };
    expect(plan.complete).toBe(false);
    expect(plan.notes.map((n) => n.code)).toEqual(["NC6008"]);
    expect(plan.diagnostics).toContainEqual(
      // Named from the workspace, as the annotations and SARIF name it (diagnostics/paths.ts).
      expect.objectContaining({
        code: "pool-encapsulation-exclusive",
        file: "clusters/prod/pools.yaml",
      }),
    );
  });

  it("check-output: a committed rendered/ that the change left stale fails; a fresh one passes", async () => {
    // The base commits its rendered output (the rendered-manifests pattern).
    const rendered = temp("netcompile-rendered-");
    writeTree(rendered, hostRepo);
    expect((await cli(["build"], rendered)).code).toBe(0);
    const withOutput = readTree(rendered);
    const change = { "pools.yaml": pools("  ipipMode: CrossSubnet\n  natOutgoing: false\n") };

    const stale = runAction(checkout(withOutput, change), { "check-output": "true" });
    expect(stale.code).toBe(1);
    const files = annotations(stale, "error").map((c) => c.properties.file);
    expect(files).toContain("rendered/manifests/ippools.yaml");
    expect(files).toContain("rendered/netcompile.lock.json");
    expect(
      annotations(stale, "error").find(
        (c) => c.properties.file === "rendered/manifests/ippools.yaml",
      ),
    ).toMatchObject({ properties: { title: "NC5003", line: "1" } });
    expect(stale.summary).toContain("run &#96;netcompile build&#96; and commit the result");

    writeTree(rendered, change);
    expect((await cli(["build"], rendered)).code).toBe(0);
    const fresh = runAction(checkout(withOutput, readTree(rendered)), { "check-output": "true" });
    expect(annotations(fresh)).toEqual([]);
    expect(fresh.code).toBe(0);
  });

  it("fails on an unacknowledged disruptive change, and passes once it is acknowledged", () => {
    const head = { "pools.yaml": pools("  vxlanMode: CrossSubnet\n") };
    const co = checkout(hostRepo, head);
    const r = runAction(co);
    expect(r.code).toBe(1);
    // Three disruptions (encapsulation, backend, pod MTU): the output counts them, not objects.
    expect(r.outputs.disruptive).toBe("3");
    expect(r.outputs.errors).not.toBe("0");
    const disruption = annotations(r, "error").find((c) => c.properties.file === "pools.yaml");
    expect(disruption?.message).toMatch(/disruptive/);
    expect(annotations(r, "error").at(-1)!.message).toMatch(/not acknowledged/);
    // The plan's table lists them with what breaks and the acknowledgement to add; the
    // findings table counts them instead of repeating them.
    expect(r.summary).toContain("#### Disruptive changes");
    expect(r.summary).toContain("❌ not acknowledged");
    expect(r.summary).toMatch(
      /\d+ errors are disruptive changes not acknowledged: see the plan below/,
    );
    expect(r.summary).not.toContain("<code>NC6001</code>");

    const acknowledged = checkout(hostRepo, {
      ...head,
      "netcompile.yaml": `${hostRepo["netcompile.yaml"]}  acknowledgements:
    - {resource: IPPool/pool-1, field: encapsulation, from: IPIPCrossSubnet, to: VXLANCrossSubnet, reason: maintenance window}
    - {resource: Cluster/test, field: networking.backend, from: bird, to: vxlan, reason: maintenance window}
    - {resource: Cluster/test, field: networking.podMTU, from: "1480", to: "1450", reason: pods are rolled after}
`,
    });
    const ok = runAction(acknowledged);
    expect(annotations(ok, "error")).toEqual([]);
    expect(ok.code).toBe(0);
    expect(ok.outputs).toMatchObject({ errors: "0", disruptive: "3", acknowledged: "3" });
  });
});
