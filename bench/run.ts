/**
 * `npm run bench`: times the compiled CLI (`node bin/netcompile.js`, as users run it) on
 * synthetic repositories (bench/generate.ts) — validate, build, render, plan --against,
 * plan --base and explain at 100, 1,000 and 10,000 nodes in calico mode, validate and build
 * at 100, 300, 1,000 and 2,000 nodes in static mode — and the floor: a minimal Node script
 * writing the same bytes to the same paths (bench/floor.mjs).
 *
 * Honest ratios: the repository, the build's output and the floor's output are on the same
 * filesystem, and each build run is followed by a floor run, so both see the same load. The
 * whole benchmark runs once per filesystem: a tmpfs (/dev/shm, when it is one) and the disk
 * (.bench/work, when it is not a tmpfs). Each measurement records the 1-minute load average
 * over its runs; the report records the commit measured.
 *
 * Each measurement is the median wall time of several child processes; peak RSS is the
 * largest maxrss of those runs, and CPU the median user + system time of the process and its
 * threads (both from /usr/bin/time; the floor's CPU less its reading). On a busy machine the
 * CPU times are the steadier figures; the table shows wall times. Prints a table per filesystem and writes
 * `.bench/results-<time>.json` and `.bench/latest.json`.
 *
 * Live snapshots (mode "live"): a synthetic cluster's snapshot as kubectl prints it
 * (bench/snapshot.ts: `kubectl get nodes -o json`, BlockAffinities as JSON, IPPools, the
 * calico-config ConfigMap; 87 MB at 5,000 nodes) is imported, then the import is verified and
 * planned against it, at 1,000 and 5,000 nodes; the target is 2 s each for 5,000 nodes.
 *
 * Options: --sizes 100,1000,10000  --static-sizes 100,300,1000,2000  --live-sizes 1000,5000
 *          --runs 5  --big-runs 3 (runs at 10,000 calico and 300 static nodes and at 5,000 live
 *          nodes; static 1,000 and more run once)  --only calico|static|live  --fs tmpfs,disk
 *          --tmpfs DIR  --disk DIR
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateRepository, writeRepository, writeSnapshot } from "./generate.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "bin/netcompile.js");
const FLOOR = join(ROOT, "bench/floor.mjs");
const OUT = join(ROOT, ".bench");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
/** statfs(2) f_type of a tmpfs (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994;

type FsName = "tmpfs" | "disk";
type Mode = "calico" | "static" | "live";

/** The live commands' target at 5,000 nodes (issue: import and verify within 2 s). */
const LIVE_TARGET_MS = 2000;

interface Filesystem {
  readonly name: FsName;
  /** The folder the benchmark works in: repositories, outputs and floors. */
  readonly dir: string;
  /** statfs f_type, in hex. */
  readonly type: string;
}

interface Sample {
  readonly ms: number;
  /** CPU time (user + system) of the process and its threads; undefined without /usr/bin/time. */
  readonly cpuMs: number | undefined;
  readonly rssKB: number | undefined;
  readonly stdout: string;
  /** 1-minute load average just before the run. */
  readonly load: number;
}

interface Measurement {
  readonly fs: FsName;
  readonly mode: Mode;
  readonly nodes: number;
  readonly command: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Median CPU time (user + system, every thread): unlike wall time, not inflated by waiting. */
  readonly medianCpuMs: number | undefined;
  readonly peakRssMB: number | undefined;
  /** The lowest and highest 1-minute load average seen before its runs. */
  readonly load: readonly [number, number];
}

/** One child process: wall time around spawnSync, maxrss from /usr/bin/time. */
function runOnce(args: readonly string[], okCodes: readonly number[], cwd = ROOT): Sample {
  const rssFile = join(OUT, "rss.txt");
  const argv = TIME ? [TIME, "-o", rssFile, "-f", "%M %U %S", ...args] : [...args];
  const load = loadavg()[0]!;
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), {
    cwd,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: "1" },
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status ?? -1))
    throw new Error(`${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(0, 2000)}`);
  const [rss, user, system] = TIME
    ? readFileSync(rssFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number)
    : [NaN, NaN, NaN];
  const cpuMs = (user! + system!) * 1000;
  return {
    ms,
    cpuMs: Number.isFinite(cpuMs) ? cpuMs : undefined,
    rssKB: Number.isFinite(rss) ? rss : undefined,
    stdout: r.stdout,
    load,
  };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function summarise(
  key: Pick<Measurement, "fs" | "mode" | "nodes" | "command">,
  samples: readonly Sample[],
): Measurement {
  const ms = samples.map((s) => s.ms);
  const rss = samples.map((s) => s.rssKB).filter((x): x is number => x !== undefined);
  const cpu = samples.map((s) => s.cpuMs).filter((x): x is number => x !== undefined);
  const loads = samples.map((s) => s.load);
  const m: Measurement = {
    ...key,
    runs: samples.length,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    medianCpuMs: cpu.length ? median(cpu) : undefined,
    peakRssMB: rss.length ? Math.max(...rss) / 1024 : undefined,
    load: [Math.min(...loads), Math.max(...loads)],
  };
  process.stderr.write(
    `  ${key.fs} ${key.mode} ${key.nodes} ${key.command}: ${m.medianMs.toFixed(0)} ms (min ` +
      `${m.minMs.toFixed(0)}, max ${m.maxMs.toFixed(0)})` +
      `${m.medianCpuMs === undefined ? "" : `, CPU ${m.medianCpuMs.toFixed(0)} ms`}` +
      `${m.peakRssMB ? `, ${m.peakRssMB.toFixed(0)} MB` : ""}, load ${m.load[0].toFixed(2)}-` +
      `${m.load[1].toFixed(2)}\n`,
  );
  return m;
}

const node = (...args: string[]): string[] => [process.execPath, ...args];

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "bench",
      GIT_AUTHOR_EMAIL: "bench@example.invalid",
      GIT_COMMITTER_NAME: "bench",
      GIT_COMMITTER_EMAIL: "bench@example.invalid",
    },
  });
}

function benchSize(
  fs: Filesystem,
  mode: "calico" | "static",
  nodes: number,
  runs: number,
  full: boolean,
): Measurement[] {
  process.stderr.write(`${fs.name} (${fs.dir}), ${mode}, ${nodes} nodes (${runs} runs each)\n`);
  const dir = join(fs.dir, `${mode}-${nodes}`);
  rmSync(dir, { recursive: true, force: true });
  const base = generateRepository({ nodes, mode });
  const changed = generateRepository({ nodes, mode, changedPool: 0 });
  const repo = join(dir, "repo");
  const changedRepo = join(dir, "changed");
  writeRepository(repo, base);
  writeRepository(changedRepo, changed);
  const out = join(dir, "out");
  const floorOut = join(dir, "floor");
  const cli = (...args: string[]) => node(CLI, ...args);
  const key = (command: string) => ({ fs: fs.name, mode, nodes, command });
  const repeat = (command: string, once: () => Sample): Measurement => {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(once());
    return summarise(key(command), samples);
  };
  const results: Measurement[] = [];

  results.push(repeat("validate", () => runOnce(cli("validate", "--repo", repo), [0])));
  // build into a fresh directory, then the floor: the same bytes to the same paths, from the
  // tree the build just wrote, on the same filesystem. Alternating keeps both under one load.
  const builds: Sample[] = [];
  const floors: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(out, { recursive: true, force: true });
    builds.push(runOnce(cli("build", "--repo", repo, "--out", out), [0]));
    rmSync(floorOut, { recursive: true, force: true });
    const s = runOnce(node(FLOOR, out, floorOut), [0]);
    const { readMs, readCpuMs } = JSON.parse(s.stdout) as { readMs: number; readCpuMs: number };
    floors.push({ ...s, ms: s.ms - readMs, cpuMs: s.cpuMs && s.cpuMs - readCpuMs });
  }
  rmSync(floorOut, { recursive: true, force: true });
  results.push(summarise(key("build"), builds), summarise(key("floor"), floors));
  if (!full) {
    rmSync(dir, { recursive: true, force: true });
    return results;
  }

  results.push(repeat("render", () => runOnce(cli("render", "--repo", repo), [0])));
  // plan --against: the base's build (left in `out` by the build runs), one pool changed.
  results.push(
    repeat("plan --against", () =>
      runOnce(cli("plan", "--repo", changedRepo, "--against", out), [0, 1, 2]),
    ),
  );
  // plan --base: a git repository with two commits, one pool changed in the second.
  const gitRepo = join(dir, "git");
  writeRepository(gitRepo, base);
  git(gitRepo, "init", "-q", "-b", "main");
  git(gitRepo, "add", ".");
  git(gitRepo, "commit", "-q", "-m", "base");
  writeRepository(join(gitRepo, "pools"), {
    files: new Map(
      [...changed.files].filter(([p]) => p.startsWith("pools/")).map(([p, c]) => [p.slice(6), c]),
    ),
    nodeNames: [],
  });
  git(gitRepo, "commit", "-q", "-am", "one pool changed");
  results.push(
    repeat("plan --base", () =>
      runOnce(cli("plan", "--repo", gitRepo, "--base", "HEAD~1"), [0, 1, 2]),
    ),
  );
  const a = base.nodeNames[0]!;
  const b = base.nodeNames[base.nodeNames.length - 1]!;
  results.push(repeat("explain", () => runOnce(cli("explain", "--repo", repo, a, b), [0])));
  rmSync(dir, { recursive: true, force: true });
  return results;
}

/** import, verify and plan --live on a synthetic cluster's snapshot of `nodes` nodes. */
function benchLive(fs: Filesystem, nodes: number, runs: number): Measurement[] {
  process.stderr.write(`${fs.name} (${fs.dir}), live, ${nodes} nodes (${runs} runs each)\n`);
  const dir = join(fs.dir, `live-${nodes}`);
  rmSync(dir, { recursive: true, force: true });
  const snapshot = join(dir, "snapshot");
  const bytes = writeSnapshot(snapshot, nodes);
  process.stderr.write(`  snapshot: ${(bytes / 1e6).toFixed(1)} MB\n`);
  const repo = join(dir, "repo");
  const cli = (...args: string[]) => node(CLI, ...args);
  const key = (command: string) => ({ fs: fs.name, mode: "live" as const, nodes, command });
  const imports: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(repo, { recursive: true, force: true });
    imports.push(runOnce(cli("import", "--live", snapshot, "--out", repo), [0]));
  }
  const results = [summarise(key("import"), imports)];
  const repeat = (command: string, args: string[]) => {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(runOnce(cli(...args), [0]));
    return summarise(key(command), samples);
  };
  results.push(repeat("verify", ["verify", "--repo", repo, "--live", snapshot]));
  results.push(repeat("plan --live", ["plan", "--repo", repo, "--live", snapshot]));
  rmSync(dir, { recursive: true, force: true });
  return results;
}

const fsType = (dir: string): number => statfsSync(dir).type;

/** The filesystems asked for that this machine has: a tmpfs and a disk that is not one. */
function filesystems(names: readonly string[], tmpfsDir: string, diskDir: string): Filesystem[] {
  const out: Filesystem[] = [];
  for (const name of names) {
    if (name !== "tmpfs" && name !== "disk") throw new Error(`--fs: unknown filesystem ${name}`);
    const parent = name === "tmpfs" ? tmpfsDir : diskDir;
    if (!existsSync(parent)) {
      process.stderr.write(`${name}: ${parent} does not exist; skipped\n`);
      continue;
    }
    const type = fsType(parent);
    if ((type === TMPFS_MAGIC) !== (name === "tmpfs")) {
      process.stderr.write(
        `${name}: ${parent} is ${type === TMPFS_MAGIC ? "" : "not "}a tmpfs; skipped\n`,
      );
      continue;
    }
    const dir = join(parent, name === "tmpfs" ? `netcompile-bench-${process.pid}` : "work");
    mkdirSync(dir, { recursive: true });
    out.push({ name, dir, type: `0x${type.toString(16)}` });
  }
  if (out.length === 0) throw new Error("no filesystem to run on (see --fs, --tmpfs, --disk)");
  return out;
}

function machine() {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  return {
    nproc: cpus().length,
    cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown",
    memoryGB: +(totalmem() / 2 ** 30).toFixed(1),
    freeMemoryGB: +(freemem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** The commit measured, and whether tracked files differ from it. */
function commit(): { sha: string; dirty: boolean } {
  try {
    const sha = git(ROOT, "rev-parse", "HEAD").trim();
    const dirty = git(ROOT, "status", "--porcelain", "--untracked-files=no").trim() !== "";
    return { sha, dirty };
  } catch {
    return { sha: "unknown", dirty: true };
  }
}

const fmtMs = (ms: number | undefined) =>
  ms === undefined ? "" : ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;

function table(results: readonly Measurement[]): string {
  const lines: string[] = [];
  const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  for (const fs of ["tmpfs", "disk"] as const)
    for (const mode of ["calico", "static", "live"] as const) {
      const rows = results.filter((r) => r.fs === fs && r.mode === mode);
      if (rows.length === 0) continue;
      const get = (n: number, c: string) => rows.find((r) => r.nodes === n && r.command === c);
      const sizes = [...new Set(rows.map((r) => r.nodes))];
      const commands = [...new Set(rows.map((r) => r.command))];
      const steps = sizes.slice(1).map((n, i) => [sizes[i]!, n] as const);
      const blank = steps.map(() => "");
      const loads = rows.flatMap((r) => r.load);
      lines.push(
        `${fs}, ${mode} mode: 1-minute load average ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)}`,
        "",
        row([
          `${mode} (${fs})`,
          ...sizes.map((n) => `${n} nodes`),
          ...steps.map(([a, b]) => `×${a}→${b}`),
        ]),
        row(["---", ...sizes.map(() => "---:"), ...steps.map(() => "---:")]),
      );
      for (const c of commands) {
        const cells = sizes.map((n) => {
          const r = get(n, c);
          return r
            ? `${fmtMs(r.medianMs)}${r.peakRssMB ? ` / ${r.peakRssMB.toFixed(0)} MB` : ""}`
            : "";
        });
        const growth = steps.map(([n0, n1]) => {
          const a = get(n0, c);
          const b = get(n1, c);
          return a && b ? `${(b.medianMs / a.medianMs).toFixed(1)}×` : "";
        });
        lines.push(row([c, ...cells, ...growth]));
      }
      const ratio = (label: string, num: string, den: string) => {
        const cells = sizes.map((n) => {
          const a = get(n, num);
          const b = get(n, den);
          return a && b ? `${(a.medianMs / b.medianMs).toFixed(2)}×` : "";
        });
        lines.push(row([label, ...cells, ...blank]));
      };
      if (mode === "live") {
        const at = rows.filter((r) => r.nodes === 5000 && r.command !== "plan --live");
        for (const r of at) {
          const verdict = r.medianMs <= LIVE_TARGET_MS ? "within" : "OVER";
          const cpu = r.medianCpuMs === undefined ? "" : ` (CPU ${fmtMs(r.medianCpuMs)})`;
          lines.push(
            `5,000-node ${r.command}: ${fmtMs(r.medianMs)}${cpu}, ${verdict} the 2 s target`,
          );
        }
        lines.push("");
        continue;
      }
      ratio("build ÷ floor", "build", "floor");
      if (commands.includes("plan --against")) {
        ratio("plan --against ÷ build", "plan --against", "build");
        ratio("plan --base ÷ build", "plan --base", "build");
      }
      lines.push("");
    }
  return lines.join("\n");
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "100,1000,10000" },
      "static-sizes": { type: "string", default: "100,300,1000,2000" },
      "live-sizes": { type: "string", default: "1000,5000" },
      runs: { type: "string", default: "5" },
      "big-runs": { type: "string", default: "3" },
      only: { type: "string" },
      fs: { type: "string", default: "tmpfs,disk" },
      tmpfs: { type: "string", default: "/dev/shm" },
      disk: { type: "string", default: OUT },
    },
  });
  const sizes = values.sizes.split(",").filter(Boolean).map(Number);
  const staticSizes = values["static-sizes"].split(",").filter(Boolean).map(Number);
  const liveSizes = values["live-sizes"].split(",").filter(Boolean).map(Number);
  const runs = Number(values.runs);
  const bigRuns = Number(values["big-runs"]);
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(join(ROOT, "lib/cli/start.js")))
    throw new Error("lib/ is missing: run `npm run build` first (npm run bench does)");
  const measured = commit();
  const fss = filesystems(values.fs.split(","), resolve(values.tmpfs), resolve(values.disk));
  const started = new Date();
  const loadBefore = loadavg();
  const t0 = performance.now();
  const results: Measurement[] = [];
  try {
    for (const fs of fss) {
      if (values.only === undefined || values.only === "calico")
        for (const n of sizes)
          results.push(...benchSize(fs, "calico", n, n >= 10_000 ? bigRuns : runs, true));
      if (values.only === undefined || values.only === "live")
        for (const n of liveSizes) results.push(...benchLive(fs, n, n >= 5_000 ? bigRuns : runs));
      if (values.only === undefined || values.only === "static")
        for (const n of staticSizes)
          results.push(
            ...benchSize(fs, "static", n, n >= 1_000 ? 1 : n >= 300 ? bigRuns : runs, false),
          );
    }
  } finally {
    for (const fs of fss) rmSync(fs.dir, { recursive: true, force: true });
  }
  const loadAfter = loadavg();
  const report = {
    version: 2,
    started: started.toISOString(),
    durationS: +((performance.now() - t0) / 1000).toFixed(1),
    commit: measured,
    machine: machine(),
    filesystems: fss.map(({ name, type }) => ({ name, type })),
    loadavg: { before: loadBefore, after: loadAfter },
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    results,
  };
  const text = table(results);
  const name = `results-${started.toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(join(OUT, name), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(OUT, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  const loads = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(" / ");
  process.stdout.write(
    `commit ${measured.sha.slice(0, 12)}${measured.dirty ? " (with uncommitted changes)" : ""}\n` +
      `${JSON.stringify(report.machine)}\n` +
      `load average (1 / 5 / 15 min) before ${loads(loadBefore)}, after ${loads(loadAfter)}; ` +
      `${report.durationS} s\nmedian wall time / peak RSS\n\n${text}\nwrote .bench/${name}\n`,
  );
}

main();
