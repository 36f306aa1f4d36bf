/**
 * A repository as it was at a git commit (`plan --base REF`). Reads only git objects:
 * `git ls-tree` for the file list and sizes, one `git cat-file --batch` for the contents.
 * The working tree and the index are never touched.
 */
import { spawnSync } from "node:child_process";
import { isSkippedDir, type RepoReader } from "./reader.js";

export class GitError extends Error {}

interface TreeEntry {
  readonly oid: string;
  readonly size: number;
}

/** The file a rendered tree carries at its root; folders holding one are output, never input. */
const OUTPUT_MARKER = "netcompile.lock.json";

export class GitRepoReader implements RepoReader {
  /** Full commit id the ref resolved to. */
  readonly commit: string;
  /** The repository folder below the git top level ("" at the top, else "a/b/"). */
  readonly prefix: string;
  private readonly topLevel: string;
  private readonly entries: ReadonlyMap<string, TreeEntry>;
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
    const where = git(repoDir, ["rev-parse", "--show-toplevel", "--show-prefix"]);
    if (!where.ok) {
      throw new GitError(`${repoDir} is not inside a git work tree (${where.stderr})`);
    }
    const [top = "", prefix = ""] = where.stdout.toString("utf8").split("\n");
    this.topLevel = top;
    this.prefix = prefix;
    const resolved = git(top, [
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
    const listed = git(this.topLevel, args);
    if (!listed.ok) throw new GitError(`git ls-tree ${this.commit} failed: ${listed.stderr}`);
    const out = new Map<string, TreeEntry>();
    for (const record of listed.stdout.toString("utf8").split("\0")) {
      // "<mode> SP <type> SP <oid> SP+ <size> TAB <path>"
      const tab = record.indexOf("\t");
      if (tab < 0) continue;
      const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
      const fullPath = record.slice(tab + 1);
      // Regular files only: symbolic links and submodules are not read (as on disk).
      if (type !== "blob" || (mode !== "100644" && mode !== "100755") || !oid) continue;
      if (!fullPath.startsWith(this.prefix)) continue;
      const path = fullPath.slice(this.prefix.length);
      if (path.split("/").slice(0, -1).some(isSkippedDir)) continue;
      out.set(path, { oid, size: Number(size) });
    }
    return out;
  }

  listFiles(): string[] {
    return [...this.entries.keys()].sort();
  }

  sizeOf(relativePath: string): number | undefined {
    return this.entries.get(relativePath)?.size;
  }

  readFile(relativePath: string): Buffer | undefined {
    const entry = this.entries.get(relativePath);
    if (!entry) return undefined;
    if (!this.prefetched) this.prefetch();
    let bytes = this.blobs.get(entry.oid);
    if (bytes === undefined) {
      // Outside what the prefetch guessed the loader would read: one more batch, for this one.
      this.readBlobs([entry.oid]);
      bytes = this.blobs.get(entry.oid);
    }
    return bytes;
  }

  /**
   * Reads every file the loader can ask for in one `git cat-file --batch`: the YAML files,
   * except those in a rendered tree (a folder with netcompile.lock.json), which can be large.
   */
  private prefetch(): void {
    this.prefetched = true;
    const outputDirs = [...this.entries.keys()]
      .filter((p) => p === OUTPUT_MARKER || p.endsWith(`/${OUTPUT_MARKER}`))
      .map((p) => p.slice(0, -OUTPUT_MARKER.length));
    const wanted = new Set<string>();
    for (const [path, entry] of this.entries) {
      if (!/\.ya?ml$/i.test(path)) continue;
      if (outputDirs.some((dir) => dir !== "" && path.startsWith(dir))) continue;
      wanted.add(entry.oid);
    }
    this.readBlobs([...wanted]);
  }

  private readBlobs(oids: readonly string[]): void {
    if (oids.length === 0) return;
    const asked = new Set(oids);
    let total = 0;
    for (const entry of this.entries.values()) if (asked.has(entry.oid)) total += entry.size;
    const result = git(this.topLevel, ["cat-file", "--batch"], {
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

function git(
  cwd: string,
  args: readonly string[],
  options: { input?: string; maxBuffer?: number } = {},
): GitResult {
  const result = spawnSync("git", args, {
    cwd,
    input: options.input,
    maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
    // Never take an optional lock: a plan must not write to the repository.
    env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" },
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
