/**
 * The one way netcompile reads a file or a folder of a repository or an output tree, which may
 * be hostile: no symbolic link is followed (O_NOFOLLOW on the file; every folder on the way
 * lstat-ed, or, in a walk, listed as a folder by its parent), only regular files are opened (a FIFO, device or socket never is, so nothing hangs
 * or streams forever), and no read takes more than its cap. Every refusal is a typed problem
 * for a diagnostic, never an exception.
 */
import { lstatSync, readSync, type Dirent, type Stats } from "node:fs";
import * as fs from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { must } from "./must.js";
import { startThread, type ThreadFunction } from "./thread.js";

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
  // O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a FIFO since the lstat still fails.
  return openAndRead(fs, path, maxBytes, HELPERS);
}

/**
 * Opens a file found to be a regular file (by lstat or a folder's listing) and reads it: with
 * O_NOFOLLOW and O_NONBLOCK, so a link or FIFO swapped in since is refused and nothing blocks,
 * then fstat, so only a regular file within the cap is read. Self-contained (tree reads run it
 * on a thread).
 */
function openAndRead(
  io: typeof fs,
  path: string,
  maxBytes: number,
  {
    describeStats,
    problemOf,
    readCapped,
  }: Pick<typeof HELPERS, "describeStats" | "problemOf" | "readCapped">,
): ReadResult {
  const flags =
    io.constants.O_RDONLY | (io.constants.O_NOFOLLOW ?? 0) | (io.constants.O_NONBLOCK ?? 0);
  let fd: number;
  try {
    fd = io.openSync(path, flags);
  } catch (error) {
    return { ok: false, ...problemOf(error) };
  }
  try {
    const opened = io.fstatSync(fd);
    if (!opened.isFile())
      return { ok: false, problem: "not-regular", detail: describeStats(opened) };
    if (opened.size > maxBytes)
      return { ok: false, problem: "too-large", detail: `${opened.size} bytes`, size: opened.size };
    return readCapped(fd, opened.size, maxBytes, io.readSync);
  } catch (error) {
    return { ok: false, ...problemOf(error) };
  } finally {
    io.closeSync(fd);
  }
}

/**
 * Reads to the end or to cap + 1 bytes, whichever first; over the cap is too-large. A read that
 * stops short exactly at the size fstat gave (`expected`) is the end: no second read to see 0.
 * Self-contained (`read` is fs.readSync): tree reads run it on a thread (readTreeWork).
 */
function readCapped(
  fd: number,
  expected: number,
  maxBytes: number,
  read: typeof readSync,
): ReadResult {
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
    const asked = buffer.length - length;
    const n = read(fd, buffer, length, asked, null);
    if (n === 0) break;
    length += n;
    if (n < asked && length === expected && expected > 0) break;
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
  const problems = walkEntries(
    fs,
    root,
    (path, folder) => folder && skipFolder(path),
    (_, path) => files.push(path),
    HELPERS,
  );
  return { files: files.sort(), problems: problems.sort(byPath) };
}

function byPath(a: { readonly path: string }, b: { readonly path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * The walk below walkTree and readTree: lists each folder once (its entries' types, no link
 * followed), descends into folders, hands each regular file to `onFile` (its full and relative
 * path), and returns what is neither, unsorted. `skip` leaves an entry out (a folder with all
 * below it). Self-contained, so a thread can run it (readTreeWork).
 */
function walkEntries(
  io: typeof fs,
  root: string,
  skip: (path: string, folder: boolean) => boolean,
  onFile: (full: string, path: string) => void,
  { describeStats, problemOf }: Pick<typeof HELPERS, "describeStats" | "problemOf">,
): WalkProblem[] {
  const problems: WalkProblem[] = [];
  const separator = process.platform === "win32" ? "\\" : "/";
  // A stack, not a recursive closure: a thread runs this from its source text, where a named
  // inner function would need the __name helper that tsx and esbuild's keepNames add.
  const folders: [dir: string, prefix: string][] = [[root, ""]];
  for (let next = folders.pop(); next !== undefined; next = folders.pop()) {
    const [dir, prefix] = next;
    let entries;
    try {
      entries = io.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: prefix || ".", folder: true, ...problemOf(error) });
      continue;
    }
    for (const entry of entries) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = `${dir}${separator}${entry.name}`;
      const folder = entry.isDirectory();
      if (skip(path, folder)) continue;
      if (folder) folders.push([full, path]);
      else if (entry.isFile()) onFile(full, path);
      else {
        const link = entry.isSymbolicLink();
        let toFolder = false;
        // A link is not followed; stat (no open, no read) only tells whether it names a folder.
        try {
          toFolder = link && io.statSync(full).isDirectory();
        } catch {
          toFolder = false;
        }
        problems.push({
          path,
          folder: toFolder,
          problem: link ? "symlink" : "not-regular",
          detail: describeStats(entry),
        });
      }
    }
  }
  return problems;
}

/** What readTree reads: every regular file below `root`, each of at most `maxBytes`. */
export interface TreeReadRequest {
  readonly root: string;
  readonly maxBytes: number;
  /** Leave out every entry whose name starts with "." (a checkout's .git, dot-files). */
  readonly skipDotNames: boolean;
  /** Relative paths of files not to read. */
  readonly skipFiles: readonly string[];
}

/** A file the walk listed as a regular file but that was not read (swapped, too large, ...). */
export interface UnreadFile {
  readonly path: string;
  readonly problem: PathProblem;
  readonly detail: string;
  /** too-large: the size seen. */
  readonly size?: number;
}

export interface TreeRead {
  /** Every regular file read, sorted by path. */
  readonly files: readonly { readonly path: string; readonly bytes: Buffer }[];
  /** The files that could not be read, sorted. */
  readonly unread: readonly UnreadFile[];
  /** What is neither a regular file nor a readable folder (as walkTree's problems), sorted. */
  readonly problems: readonly WalkProblem[];
}

/** readTreeWork's result: the files' bytes one after another in shared memory (not copied). */
interface PackedTreeRead {
  readonly paths: readonly string[];
  /** File i is bytes[ends[i - 1] ?? 0, ends[i]). */
  readonly ends: readonly number[];
  readonly bytes: Uint8Array;
  readonly unread: readonly UnreadFile[];
  readonly problems: readonly WalkProblem[];
}

/** The functions readTreeWork calls, sent to its thread as source text (util/thread.ts). */
const HELPERS = { byPath, describeStats, problemOf, readCapped, openAndRead, walkEntries };

/**
 * Reads a tree in one walk: each folder is listed once and each regular file it lists opened
 * as readRegularFile opens it (O_NOFOLLOW and O_NONBLOCK, then fstat: a file swapped for a link,
 * FIFO or device since the listing is refused, never read), with no lstat of the file or of the
 * folders above it: the listing's entry types are that check. A folder swapped for a link after
 * it was listed is the window walkTree and BelowReader have too. Self-contained: runs on a thread.
 */
const readTreeWork: ThreadFunction<TreeReadRequest, PackedTreeRead, typeof HELPERS> = (
  request,
  io,
  stopped,
  helpers,
) => {
  const skipFiles = new Set(request.skipFiles);
  const files: { path: string; bytes: Buffer }[] = [];
  const unread: UnreadFile[] = [];
  const problems = helpers.walkEntries(
    io,
    request.root,
    (path) => request.skipDotNames && path.charAt(path.lastIndexOf("/") + 1) === ".",
    (full, path) => {
      if (stopped() || skipFiles.has(path)) return;
      const read = helpers.openAndRead(io, full, request.maxBytes, helpers);
      if (read.ok) files.push({ path, bytes: read.bytes });
      else unread.push({ path, problem: read.problem, detail: read.detail, size: read.size });
    },
    helpers,
  );
  files.sort(helpers.byPath);
  let total = 0;
  for (const file of files) total += file.bytes.length;
  const bytes = Buffer.from(new SharedArrayBuffer(Math.max(total, 1)));
  const ends: number[] = [];
  let at = 0;
  for (const file of files) {
    at += file.bytes.copy(bytes, at);
    ends.push(at);
  }
  return {
    paths: files.map((f) => f.path),
    ends,
    bytes,
    unread: unread.sort(helpers.byPath),
    problems: problems.sort(helpers.byPath),
  };
};

function unpack(packed: PackedTreeRead): TreeRead {
  const bytes = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.length);
  const files = packed.paths.map((path, i) => ({
    path,
    bytes: bytes.subarray(packed.ends[i - 1] ?? 0, packed.ends[i]),
  }));
  return { files, unread: packed.unread, problems: packed.problems };
}

/** Every regular file below a root, read in one walk (readTreeWork) on this thread. */
export function readTree(request: TreeReadRequest): TreeRead {
  return unpack(readTreeWork(request, fs, () => false, HELPERS));
}

/** A tree being read on a second thread while this one works. */
export interface TreeReading {
  /** Waits for the tree. */
  join(): TreeRead;
  /** Stops reading (its result is not wanted) and waits for the thread to stop. */
  stop(): void;
}

/** readTree on a second thread (util/thread.ts), started now. */
export function startTreeRead(request: TreeReadRequest): TreeReading {
  const thread = startThread(readTreeWork, request, HELPERS);
  let joined = false;
  return {
    join: () => {
      joined = true;
      return unpack(must(thread.join(), "the tree read's result"));
    },
    stop: () => {
      if (!joined) thread.join(true);
      joined = true;
    },
  };
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
