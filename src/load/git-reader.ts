/**
 * A repository as it was at a git commit (`plan --base REF`). Reads only git objects:
 * `git ls-tree` for the file list and sizes, one `git cat-file --batch` for the contents.
 * The working tree and the index are never touched.
 *
 * git runs only on the repository the user meant: the one whose `.git` holds the folder,
 * found here and passed as --git-dir, so a bare repository committed inside the folder (HEAD,
 * objects/, refs/, a config with core.sshCommand or a promisor remote) is never discovered
 * and configures nothing. The options in GIT_ARGS and GIT_ENV turn off everything that could
 * run a command or reach the network (SECURITY.md, "git").
 */
import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { ReadResult, WalkProblem } from "../util/safe-fs.js";
import { LIMITS } from "./limits.js";
import { isSkippedDir, type RepoReader } from "./reader.js";
import { LOCK_FILE } from "./output-folder.js";

export class GitError extends Error {}

interface TreeEntry {
  readonly oid: string;
  /** undefined: the object is not in the repository (a partial or shallow clone). */
  readonly size: number | undefined;
}

export class GitRepoReader implements RepoReader {
  /** Full commit id the ref resolved to. */
  readonly commit: string;
  /** The repository folder below the git top level ("" at the top, else "a/b/"). */
  readonly prefix: string;
  private readonly gitDir: string;
  private readonly entries: ReadonlyMap<string, TreeEntry>;
  private readonly links: WalkProblem[] = [];
  private readonly blobs = new Map<string, Buffer>();
  private prefetched = false;

  /**
   * @param repoDir the repository folder on disk (inside a git work tree)
   * @param ref any git revision (branch, tag, commit, `HEAD~1`, `origin/main`)
   * @param description how messages name it; by default `<ref>` or `<ref>:<folder>`
   */
  readonly description: string;

  constructor(
    repoDir: string,
    readonly ref: string,
    description?: string,
  ) {
    const found = findWorkTree(repoDir);
    if (!found) throw new GitError(`${repoDir} is not inside a git work tree (no .git above it)`);
    this.gitDir = found.gitDir;
    this.prefix = found.prefix;
    const prefix = found.prefix;
    const resolved = git(this.gitDir, [
      "rev-parse",
      "--verify",
      "--quiet",
      "--end-of-options",
      `${ref}^{commit}`,
    ]);
    if (!resolved.ok) {
      throw new GitError(
        `unknown git revision "${ref}" (in a shallow clone, fetch the base first, e.g. actions/checkout with fetch-depth: 0)`,
      );
    }
    this.commit = resolved.stdout.toString("utf8").trim();
    this.description = description ?? (prefix ? `${ref}:${prefix.replace(/\/$/, "")}` : ref);
    this.entries = this.listTree();
  }

  private listTree(): Map<string, TreeEntry> {
    const args = ["ls-tree", "-r", "-l", "-z", "--full-tree", this.commit];
    if (this.prefix) args.push("--", this.prefix);
    const listed = git(this.gitDir, args);
    if (!listed.ok) throw new GitError(`git ls-tree ${this.commit} failed: ${listed.stderr}`);
    const out = new Map<string, TreeEntry>();
    for (const record of listed.stdout.toString("utf8").split("\0")) {
      // "<mode> SP <type> SP <oid> SP+ <size> TAB <path>"
      const tab = record.indexOf("\t");
      if (tab < 0) continue;
      const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
      const fullPath = record.slice(tab + 1);
      if (!fullPath.startsWith(this.prefix)) continue;
      const path = fullPath.slice(this.prefix.length);
      if (path.split("/").slice(0, -1).some(isSkippedDir)) continue;
      // A symbolic link is reported, never read (as on disk); submodules are not read.
      if (type === "blob" && mode === "120000")
        this.links.push({ path, folder: false, problem: "symlink", detail: "a symbolic link" });
      if (type !== "blob" || (mode !== "100644" && mode !== "100755") || !oid) continue;
      // ls-tree -l prints "-" for the size of an object the repository does not have.
      out.set(path, { oid, size: /^\d+$/.test(size ?? "") ? Number(size) : undefined });
    }
    return out;
  }

  listFiles(): string[] {
    return [...this.entries.keys()].sort();
  }

  listProblems(): readonly WalkProblem[] {
    return this.links;
  }

  sizeOf(relativePath: string): number | undefined {
    return this.entries.get(relativePath)?.size;
  }

  exists(relativePath: string): boolean {
    if (this.entries.has(relativePath) || this.links.some((l) => l.path === relativePath))
      return true;
    // A folder: a tree holds no entry of its own, only the files below it.
    const below = `${relativePath}/`;
    for (const path of this.entries.keys()) if (path.startsWith(below)) return true;
    return this.links.some((l) => l.path.startsWith(below));
  }

  readFile(relativePath: string, maxBytes: number): ReadResult {
    const entry = this.entries.get(relativePath);
    if (!entry) return { ok: false, problem: "absent", detail: "it does not exist" };
    if (entry.size === undefined) return missingObject(entry.oid);
    // Refused from the size ls-tree gave: a large blob is never read.
    if (entry.size > maxBytes)
      return { ok: false, problem: "too-large", detail: `${entry.size} bytes`, size: entry.size };
    if (!this.prefetched) this.prefetch();
    let bytes = this.blobs.get(entry.oid);
    if (bytes === undefined) {
      // Outside what the prefetch guessed the loader would read: one more batch, for this one.
      this.readBlobs([entry.oid]);
      bytes = this.blobs.get(entry.oid);
    }
    return bytes === undefined ? missingObject(entry.oid) : { ok: true, bytes };
  }

  /**
   * Reads every file the loader can ask for in one `git cat-file --batch`: the YAML files,
   * except those in a rendered tree (a folder with netcompile.lock.json), which can be large.
   */
  private prefetch(): void {
    this.prefetched = true;
    const outputDirs = [...this.entries.keys()]
      // A folder holding a lock file is output, never input: its files are not prefetched.
      .filter((p) => p === LOCK_FILE || p.endsWith(`/${LOCK_FILE}`))
      .map((p) => p.slice(0, -LOCK_FILE.length));
    const wanted = new Set<string>();
    let total = 0;
    for (const [path, entry] of this.entries) {
      if (!/\.ya?ml$/i.test(path)) continue;
      if (outputDirs.some((dir) => dir !== "" && path.startsWith(dir))) continue;
      // What the loader refuses by size is not read; the total stays under its limit too.
      if (entry.size === undefined || entry.size > LIMITS.maxFileBytes) continue;
      if (total + entry.size > LIMITS.maxTotalBytes) break;
      total += entry.size;
      wanted.add(entry.oid);
    }
    this.readBlobs([...wanted]);
  }

  private readBlobs(oids: readonly string[]): void {
    if (oids.length === 0) return;
    const asked = new Set(oids);
    let total = 0;
    for (const entry of this.entries.values()) if (asked.has(entry.oid)) total += entry.size ?? 0;
    const result = git(this.gitDir, ["cat-file", "--batch"], {
      input: `${oids.join("\n")}\n`,
      maxBuffer: total + oids.length * 128 + 1024 * 1024,
    });
    if (!result.ok) throw new GitError(`git cat-file failed: ${result.stderr}`);
    parseBatch(result.stdout, this.blobs);
  }
}

/** Parses `git cat-file --batch` output: "<oid> <type> <size>\n<bytes>\n" per object. */
function parseBatch(out: Buffer, into: Map<string, Buffer>): void {
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [oid = "", type, sizeText] = out.subarray(at, eol).toString("utf8").split(" ");
    at = eol + 1;
    if (type === "missing" || sizeText === undefined) continue;
    const size = Number(sizeText);
    into.set(oid, out.subarray(at, at + size));
    at += size + 1;
  }
}

interface GitResult {
  readonly ok: boolean;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * The folder holding the repository's `.git` (a folder, or a file as in worktrees and
 * submodules), searched upwards from `dir` as git would, but only for `.git`: a folder that
 * merely looks like a bare repository (HEAD, objects/, refs/) is never taken for one.
 */
function findWorkTree(dir: string): { gitDir: string; prefix: string } | undefined {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return undefined;
  }
  for (let at = real; ; at = dirname(at)) {
    const candidate = join(at, ".git");
    if (existsSync(candidate)) {
      const rel = relative(at, real).split(sep).join("/");
      return { gitDir: candidate, prefix: rel === "" ? "" : `${rel}/` };
    }
    if (dirname(at) === at) return undefined;
  }
}

/**
 * Configuration that could run a command, fetch, or read another repository, overridden on
 * the command line (which wins over every config file): no fsmonitor, no hooks, no transport
 * at all (a lazy fetch of a missing object fails instead), only explicit bare repositories.
 */
const GIT_ARGS = [
  "-c",
  "safe.bareRepository=explicit",
  "-c",
  "core.fsmonitor=false",
  "-c",
  "core.hooksPath=/dev/null",
  "-c",
  "core.sshCommand=false",
  "-c",
  "core.askPass=false",
  "-c",
  "credential.helper=",
  "-c",
  "protocol.allow=never",
  ...["file", "git", "ssh", "http", "https", "ext", "fd"].flatMap((p) => [
    "-c",
    `protocol.${p}.allow=never`,
  ]),
];

/** The environment's repository selection is replaced by --git-dir; the rest is the user's. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE"])
    delete env[name];
  return {
    ...env,
    // Never take an optional lock: a plan must not write to the repository.
    GIT_OPTIONAL_LOCKS: "0",
    // git 2.44+: never fetch a missing object from a promisor remote.
    GIT_NO_LAZY_FETCH: "1",
    GIT_TERMINAL_PROMPT: "0",
    GIT_ASKPASS: "false",
    SSH_ASKPASS: "false",
    GIT_NO_REPLACE_OBJECTS: "1",
    GIT_PROTOCOL_FROM_USER: "0",
  };
}

function missingObject(oid: string): ReadResult {
  return {
    ok: false,
    problem: "io",
    detail: `git object ${oid} is missing from the repository (a partial or shallow clone? fetch the base with its files)`,
  };
}

function git(
  gitDir: string,
  args: readonly string[],
  options: { input?: string; maxBuffer?: number } = {},
): GitResult {
  const result = spawnSync("git", [...GIT_ARGS, `--git-dir=${gitDir}`, ...args], {
    // Any folder will do: --git-dir decides; the repository's own folder is never searched.
    cwd: gitDir,
    input: options.input,
    maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
    env: gitEnv(),
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new GitError(code === "ENOENT" ? "git is not installed" : result.error.message);
  }
  return {
    ok: result.status === 0,
    stdout: result.stdout,
    stderr: result.stderr.toString("utf8").trim().split("\n")[0] ?? "",
  };
}
