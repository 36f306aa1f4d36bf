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

/** A minimal valid repository, for tests that change one thing. */
export const minimalRepo: Readonly<Record<string, string>> = {
  "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: test
spec:
  provider: bare-metal
`,
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: node-2
      address: 10.0.2.10
`,
  "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
  natOutgoing: true
`,
};
