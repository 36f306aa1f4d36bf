/**
 * `npm run bench`: times the compiled CLI (`node bin/netcompile.js`, as users run it) on
 * synthetic repositories (bench/generate.ts) — validate, build, render, plan --against,
 * plan --base and explain at 100, 1,000 and 10,000 nodes in calico mode, validate and build
 * at 100, 300 and 1,000 nodes in static mode — and the floor: a minimal Node script writing
 * the same bytes to the same paths (bench/floor.mjs). Each measurement is the median wall
 * time of several child processes; peak RSS is the largest maxrss of those runs (from
 * /usr/bin/time). Prints a table and writes `.bench/results-<time>.json` and
 * `.bench/latest.json`.
 *
 * Options: --sizes 100,1000,10000  --static-sizes 100,300,1000  --runs 5  --big-runs 3 (runs at
 *          10,000 calico and 300 static nodes; static 1,000 runs once)
 *          --only calico|static
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, freemem, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateRepository, writeRepository } from "./generate.js";

const ROOT = resolve(import.meta.dirname, "..");
const CLI = join(ROOT, "bin/netcompile.js");
const FLOOR = join(ROOT, "bench/floor.mjs");
const OUT = join(ROOT, ".bench");
const WORK = join(OUT, "work");
const TIME = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

interface Sample {
  readonly ms: number;
  readonly rssKB: number | undefined;
  readonly stdout: string;
}

interface Measurement {
  readonly mode: "calico" | "static";
  readonly nodes: number;
  readonly command: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly peakRssMB: number | undefined;
}

/** One child process: wall time around spawnSync, maxrss from /usr/bin/time. */
function runOnce(args: readonly string[], okCodes: readonly number[], cwd = ROOT): Sample {
  const rssFile = join(OUT, "rss.txt");
  const argv = TIME ? [TIME, "-o", rssFile, "-f", "%M", ...args] : [...args];
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
  const rss = TIME ? Number(readFileSync(rssFile, "utf8").trim().split("\n").pop()) : NaN;
  return { ms, rssKB: Number.isFinite(rss) ? rss : undefined, stdout: r.stdout };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function measure(
  mode: "calico" | "static",
  nodes: number,
  command: string,
  runs: number,
  once: () => Sample,
  before?: () => void,
): Measurement {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    samples.push(once());
  }
  const ms = samples.map((s) => s.ms);
  const rss = samples.map((s) => s.rssKB).filter((x): x is number => x !== undefined);
  const m: Measurement = {
    mode,
    nodes,
    command,
    runs,
    medianMs: median(ms),
    minMs: Math.min(...ms),
    maxMs: Math.max(...ms),
    peakRssMB: rss.length ? Math.max(...rss) / 1024 : undefined,
  };
  process.stderr.write(
    `  ${mode} ${nodes} ${command}: ${m.medianMs.toFixed(0)} ms (min ${m.minMs.toFixed(0)}, ` +
      `max ${m.maxMs.toFixed(0)})${m.peakRssMB ? `, ${m.peakRssMB.toFixed(0)} MB` : ""}\n`,
  );
  return m;
}

const node = (...args: string[]): string[] => [process.execPath, ...args];

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, {
    cwd,
    stdio: "ignore",
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
  mode: "calico" | "static",
  nodes: number,
  runs: number,
  full: boolean,
): Measurement[] {
  process.stderr.write(`${mode}, ${nodes} nodes (${runs} runs each)\n`);
  const dir = join(WORK, `${mode}-${nodes}`);
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
  const results: Measurement[] = [];

  results.push(
    measure(mode, nodes, "validate", runs, () => runOnce(cli("validate", "--repo", repo), [0])),
  );
  results.push(
    measure(
      mode,
      nodes,
      "build",
      runs,
      () => runOnce(cli("build", "--repo", repo, "--out", out), [0]),
      () => rmSync(out, { recursive: true, force: true }),
    ),
  );
  // The floor: the same bytes to the same paths, from the tree the build just wrote.
  const floorSamples: number[] = [];
  let floorRss = 0;
  for (let i = 0; i < runs; i++) {
    rmSync(floorOut, { recursive: true, force: true });
    const s = runOnce(node(FLOOR, out, floorOut), [0]);
    const { readMs } = JSON.parse(s.stdout) as { readMs: number };
    floorSamples.push(s.ms - readMs);
    floorRss = Math.max(floorRss, s.rssKB ?? 0);
  }
  const floor: Measurement = {
    mode,
    nodes,
    command: "floor",
    runs,
    medianMs: median(floorSamples),
    minMs: Math.min(...floorSamples),
    maxMs: Math.max(...floorSamples),
    peakRssMB: floorRss ? floorRss / 1024 : undefined,
  };
  process.stderr.write(`  ${mode} ${nodes} floor: ${floor.medianMs.toFixed(0)} ms\n`);
  results.push(floor);
  rmSync(floorOut, { recursive: true, force: true });
  if (!full) return results;

  results.push(
    measure(mode, nodes, "render", runs, () => runOnce(cli("render", "--repo", repo), [0])),
  );
  // plan --against: the base's build (left in `out` by the build runs), one pool changed.
  results.push(
    measure(mode, nodes, "plan --against", runs, () =>
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
    measure(mode, nodes, "plan --base", runs, () =>
      runOnce(cli("plan", "--repo", gitRepo, "--base", "HEAD~1"), [0, 1, 2]),
    ),
  );
  const a = base.nodeNames[0]!;
  const b = base.nodeNames[base.nodeNames.length - 1]!;
  results.push(
    measure(mode, nodes, "explain", runs, () => runOnce(cli("explain", "--repo", repo, a, b), [0])),
  );
  return results;
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

const fmtMs = (ms: number | undefined) =>
  ms === undefined ? "" : ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;

function table(results: readonly Measurement[]): string {
  const lines: string[] = [];
  const get = (mode: string, n: number, c: string) =>
    results.find((r) => r.mode === mode && r.nodes === n && r.command === c);
  for (const mode of ["calico", "static"] as const) {
    const sizes = [...new Set(results.filter((r) => r.mode === mode).map((r) => r.nodes))];
    if (sizes.length === 0) continue;
    const commands = [...new Set(results.filter((r) => r.mode === mode).map((r) => r.command))];
    lines.push(
      `| ${mode} | ${sizes.map((n) => `${n} nodes`).join(" | ")} | ${sizes
        .slice(1)
        .map((n, i) => `×${sizes[i]}→${n}`)
        .join(" | ")} |`,
    );
    lines.push(
      `|---|${sizes.map(() => "---:").join("|")}|${sizes
        .slice(1)
        .map(() => "---:")
        .join("|")}|`,
    );
    for (const c of commands) {
      const cells = sizes.map((n) => {
        const r = get(mode, n, c);
        return r
          ? `${fmtMs(r.medianMs)}${r.peakRssMB ? ` / ${r.peakRssMB.toFixed(0)} MB` : ""}`
          : "";
      });
      const growth = sizes.slice(1).map((n, i) => {
        const a = get(mode, sizes[i]!, c);
        const b = get(mode, n, c);
        return a && b ? `${(b.medianMs / a.medianMs).toFixed(1)}×` : "";
      });
      lines.push(`| ${c} | ${cells.join(" | ")} | ${growth.join(" | ")} |`);
    }
    const ratio = (num: string, den: string) =>
      sizes.map((n) => {
        const a = get(mode, n, num);
        const b = get(mode, n, den);
        return a && b ? `${(a.medianMs / b.medianMs).toFixed(2)}×` : "";
      });
    lines.push(
      `| build ÷ floor | ${ratio("build", "floor").join(" | ")} |${sizes
        .slice(1)
        .map(() => "")
        .join("|")}|`,
    );
    if (commands.includes("plan --against")) {
      lines.push(
        `| plan --against ÷ build | ${ratio("plan --against", "build").join(" | ")} |${sizes
          .slice(1)
          .map(() => "")
          .join("|")}|`,
      );
      lines.push(
        `| plan --base ÷ build | ${ratio("plan --base", "build").join(" | ")} |${sizes
          .slice(1)
          .map(() => "")
          .join("|")}|`,
      );
    }
    lines.push("");
  }
  return lines.join("\n");
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "100,1000,10000" },
      "static-sizes": { type: "string", default: "100,300,1000" },
      runs: { type: "string", default: "5" },
      "big-runs": { type: "string", default: "3" },
      only: { type: "string" },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  const staticSizes = values["static-sizes"].split(",").map(Number);
  const runs = Number(values.runs);
  const bigRuns = Number(values["big-runs"]);
  mkdirSync(WORK, { recursive: true });
  if (!existsSync(join(ROOT, "lib/cli/index.js")))
    throw new Error("lib/ is missing: run `npm run build` first (npm run bench does)");
  const started = new Date();
  const loadBefore = loadavg();
  const t0 = performance.now();
  const results: Measurement[] = [];
  if (values.only !== "static")
    for (const n of sizes)
      results.push(...benchSize("calico", n, n >= 10_000 ? bigRuns : runs, true));
  if (values.only !== "calico")
    for (const n of staticSizes)
      results.push(...benchSize("static", n, n >= 1_000 ? 1 : n >= 300 ? bigRuns : runs, false));
  const loadAfter = loadavg();
  const report = {
    version: 1,
    started: started.toISOString(),
    durationS: +((performance.now() - t0) / 1000).toFixed(1),
    machine: machine(),
    loadavg: { before: loadBefore, after: loadAfter },
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim(),
    results,
  };
  rmSync(WORK, { recursive: true, force: true });
  const text = table(results);
  const name = `results-${started.toISOString().replace(/[:.]/g, "-")}.json`;
  writeFileSync(join(OUT, name), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(OUT, "latest.json"), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `${JSON.stringify(report.machine)}\nload average before ${loadBefore.map((x) => x.toFixed(2)).join(" ")}, ` +
      `after ${loadAfter.map((x) => x.toFixed(2)).join(" ")}; ${report.durationS} s\n` +
      `median wall time / peak RSS\n\n${text}\nwrote .bench/${name}\n`,
  );
}

main();
