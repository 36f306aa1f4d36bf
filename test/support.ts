/** Test helpers: run the CLI in-process, build fixture trees from object literals. */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "../src/cli/main.js";
import { BASE_REPO } from "../src/policy/tester.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `netcompile ...args` in-process with captured, colourless output. */
export async function cli(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    cwd,
    env: { NO_COLOR: "1", ...env },
  });
  return { code, stdout, stderr };
}

/** Writes a tree of files from an object literal into a fresh temp dir; returns its path. */
export function testdir(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), "netcompile-test-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Every file below root with its content, keyed by relative POSIX path. */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(root)) return out;
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else out[rel] = readFileSync(join(dir, entry.name), "utf8");
    }
  };
  walk(root, "");
  return out;
}

/** Golden files are rewritten only on request: `UPDATE_GOLDENS=1 npm test`. */
export const updateGoldens = process.env.UPDATE_GOLDENS === "1";

/** A minimal valid repository that no rule reports anything on, for tests that change one thing. */
export { BASE_REPO as minimalRepo } from "../src/policy/tester.js";

/**
 * minimalRepo with a gateway in each subnet: `build` renders host files only for nodes that have
 * a default route (NC5035). Its topology's lines below rack-1's cidr sit one line lower, below
 * rack-2's two.
 */
export const hostRepo: Readonly<Record<string, string>> = {
  ...BASE_REPO,
  "topology.yaml": BASE_REPO["topology.yaml"]!.replace(
    "cidr: 10.0.1.0/24",
    "cidr: 10.0.1.0/24\n      gateway: 10.0.1.1",
  ).replace("cidr: 10.0.2.0/24", "cidr: 10.0.2.0/24\n      gateway: 10.0.2.1"),
};

/**
 * JSON that netcompile (or a reference file) wrote, typed as the shape a test reads: the test's
 * assertions, not this type, are what check it.
 */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** What tests read of `validate --format json` (src/diagnostics/format-json.ts). */
export interface DiagnosticsJson {
  readonly version: number;
  readonly summary: { readonly [count: string]: number };
  readonly diagnostics: readonly { readonly [field: string]: unknown }[];
}

/** What tests read of `plan --format json` (src/plan/format-json.ts). */
export interface PlanJson {
  version: number;
  complete: boolean;
  base: { [field: string]: unknown };
  summary: {
    add: number;
    change: number;
    destroy: number;
    disruptive: number;
    acknowledged: number;
  };
  changes: {
    type: string;
    address: string;
    action: string;
    count: number;
    identical: boolean;
    variants: number;
    nodes: string[];
  }[];
  disruptions: {
    kind: string;
    acknowledged?: unknown;
    change: { [field: string]: string };
    affected: {
      nodes: number;
      nodeGroups: { group: string; nodes: number }[];
    };
  }[];
  topology: unknown[];
  notes: { code: string; message: string }[];
  diagnostics: { [field: string]: unknown }[];
}
