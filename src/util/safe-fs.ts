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
 * Self-contained (`read` is fs.readSync): tree reads run it on a thread (readShareWork).
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
 * below it). Starts at `root`, whose relative path is `prefix` (a folder inside a tree whose
 * top was listed already: shareTree). Self-contained, so a thread can run it (readShareWork).
 */
function walkEntries(
  io: typeof fs,
  root: string,
  skip: (path: string, folder: boolean) => boolean,
  onFile: (full: string, path: string) => void,
  helpers: Pick<typeof HELPERS, "describeStats" | "problemOf" | "listFolder">,
  prefix = "",
): WalkProblem[] {
  const problems: WalkProblem[] = [];
  // A stack, not a recursive closure: a thread runs this from its source text, where a named
  // inner function would need the __name helper that tsx and esbuild's keepNames add.
  const folders: [dir: string, prefix: string][] = [[root, prefix]];
  for (let next = folders.pop(); next !== undefined; next = folders.pop())
    helpers.listFolder(
      io,
      next[0],
      next[1],
      skip,
      (full, path) => folders.push([full, path]),
      onFile,
      problems,
      helpers,
    );
  return problems;
}

/**
 * One step of a walk: lists `dir` (relative path `prefix`) once, hands each folder in it to
 * `onFolder` and each regular file to `onFile`, and adds what is neither (or the folder itself,
 * when it cannot be listed) to `problems`. Self-contained (walkEntries, shareTree).
 */
function listFolder(
  io: typeof fs,
  dir: string,
  prefix: string,
  skip: (path: string, folder: boolean) => boolean,
  onFolder: (full: string, path: string) => void,
  onFile: (full: string, path: string) => void,
  problems: WalkProblem[],
  { describeStats, problemOf }: Pick<typeof HELPERS, "describeStats" | "problemOf">,
): void {
  const separator = process.platform === "win32" ? "\\" : "/";
  let entries;
  try {
    entries = io.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    problems.push({ path: prefix || ".", folder: true, ...problemOf(error) });
    return;
  }
  for (const entry of entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = `${dir}${separator}${entry.name}`;
    const folder = entry.isDirectory();
    if (skip(path, folder)) continue;
    if (folder) onFolder(full, path);
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

/** Part of a tree read, in the order it was read (joinParts sorts it). */
export interface TreePart {
  files: { path: string; bytes: Buffer }[];
  unread: UnreadFile[];
  problems: WalkProblem[];
}

/** A part read on a thread: the files' bytes one after another in shared memory (not copied). */
interface PackedTreePart {
  readonly paths: readonly string[];
  /** File i is bytes[ends[i - 1] ?? 0, ends[i]). */
  readonly ends: readonly number[];
  readonly bytes: Uint8Array;
  readonly unread: UnreadFile[];
  readonly problems: WalkProblem[];
}

/** Whether a tree read leaves the entry at `path` out (a dot name). Self-contained. */
function skipsEntry(request: TreeReadRequest, path: string): boolean {
  return request.skipDotNames && path.charAt(path.lastIndexOf("/") + 1) === ".";
}

/**
 * Reads one file a walk listed as a regular file into `part`, as readRegularFile opens it
 * (O_NOFOLLOW and O_NONBLOCK, then fstat: a file swapped for a link, FIFO or device since the
 * listing is refused, never read), unless `skipFiles` names it. Self-contained.
 */
function readListedFile(
  io: typeof fs,
  full: string,
  path: string,
  request: TreeReadRequest,
  skipFiles: ReadonlySet<string>,
  part: TreePart,
  helpers: Pick<typeof HELPERS, "describeStats" | "problemOf" | "readCapped" | "openAndRead">,
): void {
  if (skipFiles.has(path)) return;
  const read = helpers.openAndRead(io, full, request.maxBytes, helpers);
  if (read.ok) part.files.push({ path, bytes: read.bytes });
  else part.unread.push({ path, problem: read.problem, detail: read.detail, size: read.size });
}

/**
 * A tree read two threads share (startTreeRead): its top listed here, down to the first level
 * that holds SHARE_UNITS folders (hosts/<node> in a rendered tree) or SHARE_LEVELS levels down,
 * and what that listing found below it cut into units — each file it listed, then each folder
 * of that level with everything below it — that each thread claims one at a time from a shared
 * counter, so every unit is read exactly once, by whichever thread gets to it first.
 */
export interface TreeShare {
  readonly request: TreeReadRequest;
  /** Units 0 .. files.length - 1: the files the listing found, [full path, relative path]. */
  readonly files: readonly (readonly [full: string, path: string])[];
  /** The units after them: folders each walked whole, [full path, relative path]. */
  readonly folders: readonly (readonly [full: string, path: string])[];
  /** What the listing found that is neither a regular file nor a readable folder. */
  readonly problems: readonly WalkProblem[];
  /** Int32 0: the next unit to claim (Atomics.add), past the last once all are claimed. */
  readonly next: SharedArrayBuffer;
}

/** Enough units that two threads finish within a unit of each other. */
const SHARE_UNITS = 64;
/** How deep the listing of the top goes at most, looking for that many folders. */
const SHARE_LEVELS = 3;

/** Lists the top of a tree (on this thread) and cuts the rest into units. */
export function shareTree(request: TreeReadRequest): TreeShare {
  const files: [string, string][] = [];
  const problems: WalkProblem[] = [];
  let level: [string, string][] = [[request.root, ""]];
  for (let depth = 0; depth < SHARE_LEVELS && level.length < SHARE_UNITS; depth++) {
    const below: [string, string][] = [];
    for (const [dir, prefix] of level)
      listFolder(
        fs,
        dir,
        prefix,
        (path) => skipsEntry(request, path),
        (full, path) => below.push([full, path]),
        (full, path) => files.push([full, path]),
        problems,
        HELPERS,
      );
    level = below;
  }
  return { request, files, folders: level, problems, next: new SharedArrayBuffer(4) };
}

/**
 * Claims units of a shared tree read one at a time until none is left (or it is stopped) and
 * reads each: a file with readListedFile, a folder with the same walk as readTree. Returns what
 * it read and how many units it claimed. Self-contained: runs on both threads.
 */
function readShare(
  share: TreeShare,
  io: typeof fs,
  stopped: () => boolean,
  helpers: typeof HELPERS,
): TreePart & { units: number } {
  const next = new Int32Array(share.next);
  const skipFiles = new Set(share.request.skipFiles);
  const part: TreePart & { units: number } = { files: [], unread: [], problems: [], units: 0 };
  const units = share.files.length + share.folders.length;
  while (!stopped()) {
    const unit = Atomics.add(next, 0, 1);
    if (unit >= units) break;
    part.units++;
    if (unit < share.files.length) {
      const [full, path] = share.files[unit] as readonly [string, string];
      helpers.readListedFile(io, full, path, share.request, skipFiles, part, helpers);
      continue;
    }
    const [dir, prefix] = share.folders[unit - share.files.length] as readonly [string, string];
    const found = helpers.walkEntries(
      io,
      dir,
      (path) => helpers.skipsEntry(share.request, path),
      (full, path) =>
        helpers.readListedFile(io, full, path, share.request, skipFiles, part, helpers),
      helpers,
      prefix,
    );
    for (const problem of found) part.problems.push(problem);
  }
  return part;
}

/** readShare on the second thread, its files packed into shared memory (not copied back). */
const readShareWork: ThreadFunction<TreeShare, PackedTreePart, typeof HELPERS> = (
  share,
  io,
  stopped,
  helpers,
) => {
  const part = helpers.readShare(share, io, stopped, helpers);
  let total = 0;
  for (const file of part.files) total += file.bytes.length;
  const bytes = Buffer.from(new SharedArrayBuffer(Math.max(total, 1)));
  const ends: number[] = [];
  let at = 0;
  for (const file of part.files) {
    at += file.bytes.copy(bytes, at);
    ends.push(at);
  }
  return {
    paths: part.files.map((f) => f.path),
    ends,
    bytes,
    unread: part.unread,
    problems: part.problems,
  };
};

/** The functions the thread calls, sent to it as source text (util/thread.ts). */
const HELPERS = {
  describeStats,
  problemOf,
  readCapped,
  openAndRead,
  walkEntries,
  listFolder,
  skipsEntry,
  readListedFile,
  readShare,
};

function unpack(packed: PackedTreePart): TreePart {
  const bytes = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.length);
  const files = packed.paths.map((path, i) => ({
    path,
    bytes: bytes.subarray(packed.ends[i - 1] ?? 0, packed.ends[i]),
  }));
  return { files, unread: packed.unread, problems: packed.problems };
}

/** Parts of one tree read as one, sorted by path (no path is in two parts). */
function joinParts(...parts: TreePart[]): TreeRead {
  return {
    files: parts.flatMap((p) => p.files).sort(byPath),
    unread: parts.flatMap((p) => p.unread).sort(byPath),
    problems: parts.flatMap((p) => p.problems).sort(byPath),
  };
}

/**
 * Every regular file below a root, read in one walk on this thread: each folder is listed once
 * and each regular file it lists opened as readRegularFile opens it (readListedFile), with no
 * lstat of the file or of the folders above it: the listing's entry types are that check. A
 * folder swapped for a link after it was listed is the window walkTree and BelowReader have too.
 */
export function readTree(request: TreeReadRequest): TreeRead {
  const skipFiles = new Set(request.skipFiles);
  const part: TreePart = { files: [], unread: [], problems: [] };
  part.problems = walkEntries(
    fs,
    request.root,
    (path) => skipsEntry(request, path),
    (full, path) => readListedFile(fs, full, path, request, skipFiles, part, HELPERS),
    HELPERS,
  );
  return joinParts(part);
}

/**
 * Claims units of `share` on this thread, at most `most` of them, and reads them; what it read
 * and how many units it claimed. startTreeRead's share; tests split a tree with it at will.
 */
export function readShareHere(share: TreeShare, most = Infinity): TreePart & { units: number } {
  let left = most;
  // readShare asks once before each claim: exactly `most` units, or all that are left.
  return readShare(share, fs, () => left-- <= 0, HELPERS);
}

/** The parts of a shared tree read (each unit in exactly one) as readTree returns the tree. */
export function joinShare(share: TreeShare, ...parts: TreePart[]): TreeRead {
  return joinParts({ files: [], unread: [], problems: [...share.problems] }, ...parts);
}

/**
 * What the units of a shared read that are claimed or read so far: `units` in all, `claimed`
 * by either thread, `here` read by this one (known once joined).
 */
export interface TreeShareProgress {
  readonly units: number;
  readonly claimed: number;
  readonly here: number;
}

/** A tree being read on a second thread while this one works. */
export interface TreeReading {
  /** Reads, on this thread, the units the second has not claimed yet, then waits for it. */
  join(): TreeRead;
  /** Stops reading (its result is not wanted) and waits for the thread to stop. */
  stop(): void;
  progress(): TreeShareProgress;
}

/**
 * readTree shared by two threads: the top listed here now (shareTree), the units claimed by a
 * second thread (util/thread.ts) as it gets to them and by this one when it joins, so the two
 * finish together. What it returns is what readTree returns, for any share of the units.
 */
export function startTreeRead(request: TreeReadRequest): TreeReading {
  const share = shareTree(request);
  const thread = startThread(readShareWork, share, HELPERS);
  const units = share.files.length + share.folders.length;
  let joined = false;
  let here = 0;
  return {
    join: () => {
      joined = true;
      const mine = readShareHere(share);
      here = mine.units;
      // A thread that has not started by now never will: every unit is claimed.
      const theirs = thread.joinIfStarted();
      return joinShare(share, mine, ...(theirs ? [unpack(theirs)] : []));
    },
    stop: () => {
      if (!joined) thread.join(true);
      joined = true;
    },
    progress: () => ({
      units,
      claimed: Math.min(Atomics.load(new Int32Array(share.next), 0), units),
      here,
    }),
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
