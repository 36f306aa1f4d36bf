/**
 * Where a repository's files come from: the working tree, or (for `plan --base`) a git
 * commit. The loader sees only this interface, so both read the same way.
 */
import {
  BelowReader,
  walkTree,
  type ReadResult,
  type Walk,
  type WalkProblem,
} from "../util/safe-fs.js";

export type { ReadResult, WalkProblem } from "../util/safe-fs.js";

export interface RepoReader {
  /** A human name for messages (a path, or "<ref>:<path>"). */
  readonly description: string;
  /**
   * Every regular file below the root, as relative POSIX paths, sorted. `leaveOut` names
   * folders (relative paths) the caller will not read, so a reader may spare listing them
   * (the output tree of a built repository: tens of thousands of files); the caller still
   * filters what it gets.
   */
  listFiles(leaveOut?: FolderFilter): string[];
  /**
   * What the listing met but did not list, so the loader can report what it would have read:
   * symbolic links, FIFOs, sockets, devices, folders that cannot be read.
   */
  listProblems(leaveOut?: FolderFilter): readonly WalkProblem[];
  /** The file's bytes (at most maxBytes of them), or why it cannot be read. */
  readFile(relativePath: string, maxBytes: number): ReadResult;
  /** The file's size in bytes without reading it, or undefined when absent. */
  sizeOf(relativePath: string): number | undefined;
  /** Whether anything (a file, folder, link or special file) is at the path; nothing followed. */
  exists(relativePath: string): boolean;
}

/** Whether a folder (a relative POSIX path) is left out of a listing. */
export type FolderFilter = (folder: string) => boolean;

/** Folders never read: dot-folders, node_modules. Further exclusions come from the loader. */
export function isSkippedDir(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

/** A working tree on disk, read through src/util/safe-fs.ts: no link followed, no special file opened. */
export class FsRepoReader implements RepoReader {
  private walked: { readonly leaveOut: FolderFilter | undefined; readonly walk: Walk } | undefined;
  private readonly files: BelowReader;

  constructor(
    readonly root: string,
    /** How to name the repository in messages: the path as the user gave it. */
    readonly description: string = root,
  ) {
    this.files = new BelowReader(root);
  }

  /** One walk per filter: the loader lists files and problems with the same one. */
  private walk(leaveOut: FolderFilter | undefined): Walk {
    if (!this.walked || this.walked.leaveOut !== leaveOut) {
      const walk = walkTree(
        this.root,
        (path) =>
          isSkippedDir(path.slice(path.lastIndexOf("/") + 1)) || (leaveOut?.(path) ?? false),
      );
      this.walked = { leaveOut, walk };
    }
    return this.walked.walk;
  }

  listFiles(leaveOut?: FolderFilter): string[] {
    return this.walk(leaveOut).files;
  }

  listProblems(leaveOut?: FolderFilter): readonly WalkProblem[] {
    return this.walk(leaveOut).problems;
  }

  readFile(relativePath: string, maxBytes: number): ReadResult {
    return this.files.read(relativePath, maxBytes);
  }

  // Both look no further than a link on the way (`output.dir: out`, `out -> /elsewhere`).
  sizeOf(relativePath: string): number | undefined {
    const st = this.files.entry(relativePath);
    return st?.isFile() ? st.size : undefined;
  }

  exists(relativePath: string): boolean {
    return this.files.entry(relativePath) !== undefined;
  }
}

/** A repository held in memory (tests, and `testdir`-style fixtures written inline). */
export class MemoryRepoReader implements RepoReader {
  private readonly files: Map<string, Buffer>;

  constructor(
    files: Readonly<Record<string, string | Buffer>>,
    readonly description = "<memory>",
  ) {
    this.files = new Map(
      Object.entries(files).map(([k, v]) => [k, Buffer.isBuffer(v) ? v : Buffer.from(v)]),
    );
  }

  listFiles(): string[] {
    return [...this.files.keys()]
      .filter((p) => !p.split("/").slice(0, -1).some(isSkippedDir))
      .sort();
  }

  listProblems(): readonly WalkProblem[] {
    return [];
  }

  readFile(relativePath: string, maxBytes: number): ReadResult {
    const bytes = this.files.get(relativePath);
    if (bytes === undefined) return { ok: false, problem: "absent", detail: "it does not exist" };
    if (bytes.length > maxBytes)
      return {
        ok: false,
        problem: "too-large",
        detail: `${bytes.length} bytes`,
        size: bytes.length,
      };
    return { ok: true, bytes };
  }

  sizeOf(relativePath: string): number | undefined {
    return this.files.get(relativePath)?.length;
  }

  exists(relativePath: string): boolean {
    if (this.files.has(relativePath)) return true;
    const below = `${relativePath}/`;
    for (const path of this.files.keys()) if (path.startsWith(below)) return true;
    return false;
  }
}
