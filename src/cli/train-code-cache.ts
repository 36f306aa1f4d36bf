/**
 * `node lib/cli/train-code-cache.js BUNDLE CACHE EXAMPLES`: what `npm run build` runs after
 * bundling the CLI to make its code cache (start.ts). It runs the bundle's commands on copies of
 * the example repositories (EXAMPLES/basic, and EXAMPLES/live with its snapshot), with output
 * thrown away, so that V8 has compiled what a command needs, then keeps what V8 compiled.
 * A command that fails here fails the build: the cache would miss what it did not run.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Io } from "./io.js";
import { loadBundle, writeCache, type Cli } from "./start.js";

/** The commands run, on `basic` (a copy of the example) and `live` (the live example's copy). */
function commands(basic: string, live: string, imported: string): string[][] {
  const snapshot = join(live, "snapshot");
  return [
    ["--help"],
    ["validate", "--repo", basic],
    ["validate", "--repo", basic, "--format", "json"],
    ["render", "--repo", basic],
    ["build", "--repo", basic],
    ["explain", "--repo", basic, "control-1", "worker-b-1"],
    ["graph", "--repo", basic],
    ["import", "--live", snapshot, "--out", imported],
    ["verify", "--repo", join(live, "repo"), "--live", snapshot],
  ];
}

export async function train(bundle: string, cache: string, examples: string): Promise<string[]> {
  const work = mkdtempSync(join(tmpdir(), "netcompile-code-cache-"));
  try {
    const basic = join(work, "basic");
    const live = join(work, "live");
    cpSync(join(examples, "basic"), basic, { recursive: true });
    cpSync(join(examples, "live"), live, { recursive: true });
    const { exports, createCache } = loadBundle<Cli>(bundle, undefined);
    const failed: string[] = [];
    for (const argv of commands(basic, live, join(work, "imported"))) {
      let said = "";
      const sink = { write: () => true };
      const io: Io = {
        stdout: sink,
        stderr: { write: (chunk: string) => (said += chunk).length > 0 },
        cwd: work,
        env: { NO_COLOR: "1" },
      };
      const code = await exports.run(argv, io);
      // validate, verify and explain may report findings (exit 1); only usage or internal errors
      // (2 and above) mean the command did not run.
      if (code > 1) failed.push(`netcompile ${argv.join(" ")}: exit ${code}\n${said}`);
    }
    if (failed.length === 0) writeCache(cache, createCache());
    return failed;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const [bundle, cache, examples] = process.argv.slice(2);
if (bundle !== undefined && cache !== undefined && examples !== undefined) {
  const failed = await train(bundle, cache, examples);
  for (const f of failed) process.stderr.write(`train-code-cache: ${f}\n`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}
