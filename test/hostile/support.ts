/**
 * Helpers for the hostile-input suite: the CLI in its own process (with a deadline, so an
 * attack that hangs fails the test instead of the suite), as an unprivileged user where
 * permission bits must mean something, and the odd files an attacker commits or leaves.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..", "..");
const entry = join(root, "src", "cli", "index.ts");
/** tsx by file URL: the child's working directory is the test repository, not this project. */
const tsx = pathToFileURL(join(root, "node_modules", "tsx", "dist", "loader.mjs")).href;

export interface ProcessResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed at the deadline: the attack hung or streamed. */
  readonly timedOut: boolean;
}

/** Output kept per stream: enough for any diagnostic, bounded if an attack streams. */
const KEEP = 4 * 1024 * 1024;

/**
 * Runs `netcompile ...args` in a child process, killed (SIGKILL) after timeoutMs and capped at
 * maxOldSpaceMb of heap, so an unfixed attack cannot hang or exhaust the machine.
 */
export function runCli(
  args: readonly string[],
  options: {
    cwd: string;
    timeoutMs?: number;
    asNobody?: boolean;
    env?: Record<string, string>;
    maxOldSpaceMb?: number;
  },
): Promise<ProcessResult> {
  // NETCOMPILE_HOSTILE_CLI=<bin/netcompile.js of another build> replays the attacks on it
  // (how SECURITY.md's "before" column was measured on the unfixed code).
  const external = process.env.NETCOMPILE_HOSTILE_CLI;
  const node = [
    `--max-old-space-size=${options.maxOldSpaceMb ?? 512}`,
    ...(external ? [external] : ["--import", tsx, entry]),
    ...args,
  ];
  const [command, argv] = options.asNobody
    ? [
        "setpriv",
        [
          "--reuid=65534",
          "--regid=65534",
          "--clear-groups",
          "--",
          process.execPath,
          ...node,
        ] as string[],
      ]
    : [process.execPath, node];
  return new Promise((resolve) => {
    const child = spawn(command, argv, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => {
      if (stdout.length < KEEP) stdout += b.toString("utf8");
    });
    child.stderr.on("data", (b: Buffer) => {
      if (stderr.length < KEEP) stderr += b.toString("utf8");
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/**
 * Whether a permission-denied read can be produced here, and how: as a normal user chmod is
 * enough; as root (which reads anything) the CLI runs as `nobody` through setpriv. undefined
 * with the reason when neither is possible (the test then reports itself skipped).
 */
export function denialSupport(): { asNobody: boolean } | { skip: string } {
  if (process.getuid?.() !== 0) return { asNobody: false };
  const probe = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "true"]);
  if (probe.error || probe.status !== 0)
    return { skip: "running as root and setpriv cannot drop to uid 65534 (nobody)" };
  return { asNobody: true };
}

/** A temp folder every user can enter (mkdtemp makes 0700 ones: nobody could not read them). */
export function openTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** `files` written into an openTempDir (every user can read them), except those in `except`. */
export function openRepo(files: Record<string, string>, except: readonly string[] = []): string {
  const dir = openTempDir("netcompile-open-");
  for (const [name, text] of Object.entries(files))
    if (!except.includes(name)) writeFileSync(join(dir, name), text, { mode: 0o644 });
  return dir;
}

/** A named pipe (Node has no mkfifo). */
export function mkfifo(path: string): void {
  const made = spawnSync("mkfifo", [path]);
  if (made.status !== 0 || !existsSync(path))
    throw new Error(`mkfifo ${path} failed: ${made.stderr?.toString()}`);
}

/**
 * A folder chain below `dir` whose absolute path is longer than PATH_MAX (4096), made one
 * folder at a time with relative calls in a child process (each call's path stays short), and
 * a YAML file at its end. Returns the file's path relative to `dir`; removeDeep cleans it up.
 */
export function overlongPath(dir: string): string {
  const segments = Array.from({ length: 21 }, () => "d".repeat(200));
  const script = `const fs = require("node:fs");
for (const s of ${JSON.stringify(segments)}) { fs.mkdirSync(s); process.chdir(s); }
fs.writeFileSync("x.yaml", "a: 1\\n");`;
  const made = spawnSync(process.execPath, ["-e", script], { cwd: dir });
  if (made.status !== 0) throw new Error(`could not make a long path: ${made.stderr?.toString()}`);
  return `${segments.join("/")}/x.yaml`;
}

/** Removes a tree that may be deeper than PATH_MAX (rm walks it with relative calls). */
export function removeDeep(dir: string): void {
  spawnSync("rm", ["-rf", "--", dir]);
}

/**
 * A fake secret outside every test repository: a test asserts its content never appears in
 * any output. Never a real secret.
 */
export function fakeSecret(): { path: string; content: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "netcompile-secret-"));
  const content = `NETCOMPILE-FAKE-SECRET-${process.pid}-${Date.now()}`;
  const path = join(dir, "secret.txt");
  writeFileSync(path, `${content}\n`);
  return { path, content, dir };
}
