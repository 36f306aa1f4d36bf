/**
 * The one way netcompile reads a file or a folder of a repository or an output tree, which may
 * be hostile: no symbolic link is followed (O_NOFOLLOW on the file, lstat on every folder on
 * the way), only regular files are opened (a FIFO, device or socket never is, so nothing hangs
 * or streams forever), and no read takes more than its cap. Every refusal is a typed problem
 * for a diagnostic, never an exception.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  statSync,
  type Dirent,
  type Stats,
} from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

/** Why a path could not be read. */
export type PathProblem =
  /** Nothing there (or a folder on the way is missing). */
  | "absent"
  /** The path, or a folder on the way, is a symbolic link: never followed. */
  | "symlink"
  /** A FIFO, socket, device, or a folder where a file was expected (or a file on the way). */
  | "not-regular"
  /** The operating system refused (EACCES, EPERM). */
  | "denied"
  /** The path is longer than the system allows (ENAMETOOLONG). */
  | "too-long"
  /** A regular file larger than the cap. */
  | "too-large"
  /** Any other failure (EIO, ...): the detail says which. */
  | "io";

export type ReadResult =
  | { readonly ok: true; readonly bytes: Buffer }
  | {
      readonly ok: false;
      readonly problem: PathProblem;
      /** What the path is, or the system's message: "a FIFO", "EIO: i/o error". */
      readonly detail: string;
      /** too-large: the size seen (at least cap + 1). */
      readonly size?: number;
      /** symlink/not-regular on the way: the path (below the root) that is the link. */
      readonly at?: string;
    };

/** What an lstat (or a directory entry) found, in words: "a symbolic link", "a FIFO" ... */
export function describeStats(st: Stats | Dirent): string {
  if (st.isSymbolicLink()) return "a symbolic link";
  if (st.isDirectory()) return "a folder";
  if (st.isFile()) return "a file";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  return "not a regular file";
}

/** Maps a system error to a problem. */
export function problemOf(error: unknown): { problem: PathProblem; detail: string } {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case "ENOENT":
    case "ENOTDIR":
      return { problem: "absent", detail: "it does not exist" };
    case "ELOOP":
      return { problem: "symlink", detail: "a symbolic link" };
    case "EACCES":
    case "EPERM":
      return { problem: "denied", detail: "permission denied" };
    case "ENAMETOOLONG":
      return { problem: "too-long", detail: "the path is longer than the system allows" };
    case "ENXIO":
      return { problem: "not-regular", detail: "a socket or device" };
    default:
      return { problem: "io", detail: e.message ?? String(error) };
  }
}

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a regular file, at most `maxBytes` of it: a symbolic link (the last component), FIFO,
 * socket or device is refused before it is opened; a file larger than the cap is refused from
 * its size, and one that grows while read is cut at cap + 1 bytes and refused.
 */
export function readRegularFile(path: string, maxBytes: number): ReadResult {
  let st: Stats;
  try {
    st = lstatSync(path);
  } catch (error) {
    return { ok: false, ...problemOf(error) };
  }
  if (st.isSymbolicLink()) return { ok: false, problem: "symlink", detail: describeStats(st) };
  if (!st.isFile()) return { ok: false, problem: "not-regular", detail: describeStats(st) };
  if (st.size > maxBytes)
    return { ok: false, problem: "too-large", detail: `${st.size} bytes`, size: st.size };
  let fd: number;
  try {
    // O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO since the lstat still fails.
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return { ok: false, ...problemOf(error) };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile())
      return { ok: false, problem: "not-regular", detail: describeStats(opened) };
    return readCapped(fd, Math.min(opened.size, maxBytes), maxBytes);
  } catch (error) {
    return { ok: false, ...problemOf(error) };
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end or to cap + 1 bytes, whichever first; over the cap is too-large. */
function readCapped(fd: number, expected: number, maxBytes: number): ReadResult {
  let buffer = Buffer.allocUnsafe(Math.min(expected, maxBytes) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > maxBytes)
        return { ok: false, problem: "too-large", detail: `over ${maxBytes} bytes`, size: length };
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const n = readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) break;
    length += n;
  }
  if (length > maxBytes)
    return { ok: false, problem: "too-large", detail: `over ${maxBytes} bytes`, size: length };
  return { ok: true, bytes: buffer.subarray(0, length) };
}

/**
 * The first folder on the way from `root` to `root/relativePath` (excluded) that is not a real
 * folder: a symbolic link, a file, or missing. `root` itself is the caller's choice and trusted.
 * `verified` (relative folder paths already found to be real folders) spares a second lstat of
 * the same folder when many files below one root are read; a problem is never remembered.
 */
export function checkFoldersBelow(
  root: string,
  relativePath: string,
  verified?: Set<string>,
): { problem: PathProblem; detail: string; at: string } | undefined {
  const parts = relativePath.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  let at = "";
  for (const part of parts.slice(0, -1)) {
    at = at === "" ? part : `${at}/${part}`;
    if (verified?.has(at)) continue;
    let st: Stats;
    try {
      st = lstatSync(join(root, at));
    } catch (error) {
      return { ...problemOf(error), at };
    }
    if (st.isSymbolicLink()) return { problem: "symlink", detail: describeStats(st), at };
    if (!st.isDirectory()) return { problem: "not-regular", detail: describeStats(st), at };
    verified?.add(at);
  }
  return undefined;
}

/** readRegularFile for a path below `root`, refusing a link or a non-folder on the way. */
export function readBelow(root: string, relativePath: string, maxBytes: number): ReadResult {
  return new BelowReader(root).read(relativePath, maxBytes);
}

/**
 * readBelow for many files below one root: each folder on the way is checked once per reader,
 * not once per file below it (a rendered tree of 70,000 files in as many folders: one lstat
 * per folder instead of four per file). A folder swapped for a link after its check is the
 * same window a walk has between listing a folder and reading what it listed.
 */
export class BelowReader {
  private readonly verified = new Set<string>();

  constructor(readonly root: string) {}

  read(relativePath: string, maxBytes: number): ReadResult {
    // A verified folder's own way was verified with it: the file's folder is the one to look up.
    const folder = relativePath.slice(0, Math.max(relativePath.lastIndexOf("/"), 0));
    if (folder !== "" && !this.verified.has(folder)) {
      const way = checkFoldersBelow(this.root, relativePath, this.verified);
      if (way) return { ok: false, ...way };
    }
    return readRegularFile(join(this.root, relativePath), maxBytes);
  }

  /** What is at the path (lstat: a link is not followed), undefined when absent or behind a link. */
  entry(relativePath: string): Stats | undefined {
    const folder = relativePath.slice(0, Math.max(relativePath.lastIndexOf("/"), 0));
    if (folder !== "" && !this.verified.has(folder)) {
      if (checkFoldersBelow(this.root, relativePath, this.verified)) return undefined;
    }
    try {
      return lstatSync(join(this.root, relativePath));
    } catch {
      return undefined;
    }
  }
}

/** An entry a walk found but did not list: it is not a regular file or a folder it could read. */
export interface WalkProblem {
  /** Relative POSIX path below the walk's root. */
  readonly path: string;
  /** A folder that could not be read, or a link to a folder: what it holds is unknown. */
  readonly folder: boolean;
  readonly problem: PathProblem;
  readonly detail: string;
}

export interface Walk {
  /** Every regular file, relative POSIX paths, sorted. */
  readonly files: string[];
  /** Symbolic links, FIFOs, sockets, devices, and folders that could not be read, sorted. */
  readonly problems: WalkProblem[];
}

/**
 * Every regular file below `root`, without following a symbolic link; `skipFolder` prunes
 * folders (given their relative path). What is not a regular file or a readable folder is a
 * problem the caller reports or ignores by its own rules.
 */
export function walkTree(root: string, skipFolder: (path: string) => boolean = () => false): Walk {
  const files: string[] = [];
  const problems: WalkProblem[] = [];
  const walk = (dir: string, prefix: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: prefix || ".", folder: true, ...problemOf(error) });
      return;
    }
    for (const entry of entries) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skipFolder(rel)) walk(`${dir}${sep}${entry.name}`, rel);
      } else if (entry.isFile()) {
        files.push(rel);
      } else {
        const link = entry.isSymbolicLink();
        problems.push({
          path: rel,
          // A link is not followed; stat (no open, no read) only tells whether it names a folder.
          folder: link && pointsToFolder(`${dir}${sep}${entry.name}`),
          problem: link ? "symlink" : "not-regular",
          detail: describeStats(entry),
        });
      }
    }
  };
  walk(root, "");
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: files.sort(), problems };
}

function pointsToFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The first symbolic link (as a POSIX path relative to `repoDir`) among the folders from
 * `repoDir` down to `target`, itself included; undefined when there is none or `target` is
 * outside `repoDir`. A folder not made yet ends the search.
 */
export function linkOnTheWay(repoDir: string, target: string): string | undefined {
  const root = resolve(repoDir);
  const rel = relative(root, resolve(target));
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  let at = root;
  for (const part of rel.split(sep)) {
    at = join(at, part);
    try {
      if (lstatSync(at).isSymbolicLink()) return relative(root, at).split(sep).join("/");
    } catch {
      return undefined;
    }
  }
  return undefined;
}
