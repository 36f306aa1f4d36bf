/**
 * Where a repository's files come from: the working tree, or (for `plan --base`) a git
 * commit. The loader sees only this interface, so both read the same way.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

export interface RepoReader {
  /** A human name for messages (a path, or "<ref>:<path>"). */
  readonly description: string;
  /** Every regular file below the root, as relative POSIX paths, sorted. */
  listFiles(): string[];
  /** The file's bytes, or undefined when it does not exist. */
  readFile(relativePath: string): Buffer | undefined;
  /** The file's size in bytes without reading it, or undefined when absent. */
  sizeOf(relativePath: string): number | undefined;
}

/** Folders never read: dot-folders, node_modules. Further exclusions come from the loader. */
export function isSkippedDir(name: string): boolean {
  return name.startsWith(".") || name === "node_modules";
}

export class FsRepoReader implements RepoReader {
  constructor(
    readonly root: string,
    /** How to name the repository in messages: the path as the user gave it. */
    readonly description: string = root,
  ) {}

  listFiles(): string[] {
    const out: string[] = [];
    const walk = (dir: string, prefix: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!isSkippedDir(entry.name)) walk(join(dir, entry.name), rel);
        } else if (entry.isFile()) {
          out.push(rel);
        }
      }
    };
    walk(this.root, "");
    return out.sort();
  }

  readFile(relativePath: string): Buffer | undefined {
    try {
      return readFileSync(join(this.root, relativePath));
    } catch {
      return undefined;
    }
  }

  sizeOf(relativePath: string): number | undefined {
    try {
      const st = statSync(join(this.root, relativePath));
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
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

  readFile(relativePath: string): Buffer | undefined {
    return this.files.get(relativePath);
  }

  sizeOf(relativePath: string): number | undefined {
    return this.files.get(relativePath)?.length;
  }
}
