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
import { removeDir, testdir, minimalRepo } from "../support.js";

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

// Output escaping (terminal, Markdown, YAML): values a repository controls that would forge
// lines, move the cursor, write the clipboard or flip text direction if printed raw.

/** Every character a human format must not print raw, with a name for the failure message. */
export const CONTROL_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
  /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** A value that would print a fake diagnostic on a line of its own. */
export const FORGED_LINE = "netcompile.yaml:1:1: error NC0000: forged";

/** Attack strings: a forged line, OSC 52 (clipboard), CSI (clear screen, cursor up), C1 CSI, bidi. */
export const HOSTILE_TEXT = [
  `x\n${FORGED_LINE}`,
  `y\r${FORGED_LINE}`,
  "\x1b]52;c;ZWNobyBwd25lZA==\x07",
  "\x1b[2J\x1b[1A\x1b[8m",
  "\x9b31m\x9d0;title\x9c",
  "abc\u202Eevil\u202C\u2066\u2069",
  "del\x7f nel\x85 ls\u2028 ps\u2029",
] as const;

/** All of them in one value. */
export const HOSTILE = HOSTILE_TEXT.join(" ");

/** A YAML double-quoted scalar for any string, with everything outside printable ASCII escaped. */
export function yamlEscaped(value: string): string {
  return JSON.stringify(value).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** The first raw control character in `text` (a newline counts only when `newlines` is false). */
export function rawControl(text: string, allowNewlines = true): string | undefined {
  for (const ch of text) {
    if (allowNewlines && ch === "\n") continue;
    if (CONTROL_CHARACTERS.test(ch)) return `U+${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`;
  }
  return undefined;
}

/** Lines of `text` that begin like a diagnostic someone forged. */
export function forgedLines(text: string): string[] {
  return text.split(/\r\n|[\n\r\u0085\u2028\u2029]/).filter((l) => l.startsWith(FORGED_LINE));
}

/** Temporary repositories, removed after each test. */
export function repositories(): {
  make(files: Readonly<Record<string, string>>, base?: Readonly<Record<string, string>>): string;
  cleanup(): void;
} {
  const dirs: string[] = [];
  return {
    make(files, base = minimalRepo) {
      const dir = testdir({ ...base, ...files });
      dirs.push(dir);
      return dir;
    },
    cleanup() {
      dirs.splice(0).forEach(removeDir);
    },
  };
}
