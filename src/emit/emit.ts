/**
 * Emit: the only stage that writes. The whole tree is written to a sibling staging directory,
 * then swapped in: where Linux's renameat2(RENAME_EXCHANGE) can run (src/emit/exchange.ts) in
 * one exchange, so the output path holds the old or the new tree at every instant; elsewhere
 * with two renames, and a swap killed between them leaves the old tree complete beside the
 * output path. A failed or killed build leaves the previous tree intact; the next build repairs
 * what a killed one left (`recover`), acting only on the names its build mutex records.
 * No path that a repository chose is followed through a symbolic link (SECURITY.md).
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
  writevSync,
  realpathSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { bytesOf } from "../render/pieces.js";
import { HELPER_MIN_FILES, startHelper, type HelperWork } from "./helper-thread.js";
import type { RenderedFile } from "../render/types.js";
import { linkOnTheWay, readRegularFile, walkTree } from "../util/safe-fs.js";
import { exchangeDirectories } from "./exchange.js";
import { removeTree } from "./remove-tree.js";
import { LOCK_FILE } from "./lock.js";

export class EmitError extends Error {
  constructor(
    /**
     * not-ours: a folder netcompile did not write (NC5004); through-link: a folder on the way
     * is a symbolic link (NC5005, `at` names it); holds-input: the output would replace the
     * repository's input or version-control data (NC5006); io: anything else (NC5002).
     */
    readonly kind: "not-ours" | "io" | "through-link" | "holds-input",
    message: string,
    readonly at?: string,
  ) {
    super(message);
  }
}

export interface EmitOptions {
  /** Replace a directory that has no lock file (netcompile did not write it). */
  readonly force?: boolean;
  /**
   * The repository read: the output directory may not be it, hold it, or be another one, and
   * no folder between it and the output directory may be a symbolic link.
   */
  readonly inputs?: string;
  /** How long to wait for another build of the same output directory (its build mutex), ms. */
  readonly mutexTimeoutMs?: number;
  /** From how many files a helper thread writes a share of the tree (helper-thread.ts). */
  readonly helperMinFiles?: number;
  /**
   * A file made while the others are written, then written after them (the lock file: the
   * files are hashed while the helper thread writes its share).
   */
  readonly last?: () => RenderedFile;
}

/** The build mutex: the file beside the output directory that serialises builds of it. */
export function buildMutexPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.lock`);
}

/**
 * How the tree was put in place. first: nothing was there (one rename); exchange: one
 * renameat2(RENAME_EXCHANGE); renames: two renames, `fallback` saying why not an exchange.
 */
export interface SwapReport {
  readonly swap: "first" | "exchange" | "renames";
  readonly fallback?: string;
}

export function emitTree(
  outDir: string,
  files: readonly RenderedFile[],
  options: EmitOptions = {},
): SwapReport {
  const target = resolve(outDir);
  const parent = dirname(target);
  refuseLinks(outDir, target, options.inputs);
  refuseInputs(outDir, target, options);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new EmitError("io", `cannot make the folder ${dirname(outDir)}: ${reason(error)}`);
  }
  const mutex = acquireBuildMutex(outDir, buildMutexPath(target), options.mutexTimeoutMs ?? 60_000);
  try {
    return swapIn(outDir, target, files, options, mutex.names);
  } finally {
    mutex.release();
  }
}

/** The staging and old-tree names of one build (unique: a committed entry never matches). */
interface SwapNames {
  readonly staging: string;
  readonly old: string;
}

function swapNames(target: string, record: MutexRecord): SwapNames {
  const parent = dirname(target);
  const name = basename(target);
  return {
    staging: join(parent, `.${name}.tmp-${record.pid}-${record.token}`),
    old: join(parent, `.${name}.old-${record.pid}-${record.token}`),
  };
}

function swapIn(
  outDir: string,
  target: string,
  files: readonly RenderedFile[],
  options: EmitOptions,
  { staging, old }: SwapNames,
): SwapReport {
  if (existsSync(target)) {
    const st = lstatSync(target);
    if (st.isSymbolicLink())
      throw new EmitError(
        "io",
        `${outDir} is a symbolic link; netcompile writes only a real directory`,
      );
    if (!st.isDirectory()) throw new EmitError("io", `${outDir} exists and is not a directory`);
    if (!options.force && !existsSync(join(target, LOCK_FILE)) && readdirSync(target).length > 0) {
      throw new EmitError("not-ours", outDir);
    }
  }

  try {
    writeAll(staging, files, options.helperMinFiles ?? HELPER_MIN_FILES, options.last);
  } catch (error) {
    removeTree(staging);
    throw new EmitError("io", `${outDir}: ${reason(error)}`);
  }

  let report: SwapReport;
  try {
    failpoint("before-swap");
    report = swap(target, staging, old);
    failpoint("after-swap");
  } catch (error) {
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    removeTree(staging);
    throw new EmitError("io", `${outDir}: ${reason(error)}`);
  }
  // The replaced tree: an exchange left it at the staging name, two renames at the old name.
  removeTree(report.swap === "exchange" ? staging : old);
  return report;
}

/**
 * Puts the staging tree at the output path. Replacing a tree, one exchange where the system
 * allows it; otherwise (another OS, no binding, a filesystem that refuses it, or
 * NETCOMPILE_SWAP=renames) two renames, with no tree at the output path between them.
 */
function swap(target: string, staging: string, old: string): SwapReport {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return { swap: "first" };
  }
  const exchange =
    process.env.NETCOMPILE_SWAP === "renames"
      ? { exchanged: false as const, reason: "NETCOMPILE_SWAP=renames" }
      : exchangeDirectories(staging, target);
  if (exchange.exchanged) return { swap: "exchange" };
  renameSync(target, old);
  failpoint("between-renames");
  renameSync(staging, target);
  return { swap: "renames", fallback: exchange.reason };
}

/**
 * Test hook: NETCOMPILE_FAILPOINT=<name> SIGKILLs the build at that instant (mutex-drafted, mutex-taken,
 * before-swap, after-swap, between-renames), so test/kill.test.ts can prove what a kill exactly there leaves.
 */
function failpoint(name: string): void {
  if (process.env.NETCOMPILE_FAILPOINT === name) process.kill(process.pid, "SIGKILL");
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * No folder from the repository down to the output directory (itself included) may be a
 * symbolic link: `output.dir: escape/rendered` with `escape -> /outside` would write the tree,
 * its staging copy and the build mutex outside. Folders above the repository are the user's.
 */
function refuseLinks(outDir: string, target: string, inputs: string | undefined): void {
  if (inputs === undefined) return;
  const link = linkOnTheWay(inputs, target);
  if (link !== undefined)
    throw new EmitError(
      "through-link",
      `${outDir}: ${link} is a symbolic link; netcompile writes only through real folders of the repository`,
      link,
    );
}

/** Folder names that hold version-control data. */
const VCS = new Set([".git", ".hg", ".svn", ".bzr", "_darcs", ".jj"]);

/**
 * The output directory is never the repository, a folder holding it, another repository, or
 * a folder holding version-control data or the repository's input: replacing it would delete
 * them (a repository can choose `output.dir: .git`; `--out` can name an input folder).
 */
function refuseInputs(outDir: string, target: string, options: EmitOptions): void {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  const holds = (what: string) => new EmitError("holds-input", what);
  const inputs = options.inputs;
  if (inputs !== undefined) {
    const rel = relative(real(target), real(resolve(inputs)));
    if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel)))
      throw holds(
        rel === "" ? "is the repository being built" : "holds the repository being built",
      );
  }
  const vcsPart = target.split(sep).find((part) => VCS.has(part));
  if (vcsPart) throw holds(`is inside version-control data (${vcsPart})`);
  if (existsSync(join(target, "netcompile.yaml")))
    throw holds("holds a netcompile.yaml: it is a repository, not an output directory");
  if (!existsSync(target) || !lstatSync(target).isDirectory()) return;
  const top = readdirSync(target).find((entry) => VCS.has(entry));
  if (top) throw holds(`holds version-control data (${top})`);
  // A folder netcompile did not write is replaced only with --force: look inside it first.
  if (options.force && !existsSync(join(target, LOCK_FILE))) {
    const walked = walkTree(target);
    const vcs = walked.problems
      .map((p) => p.path)
      .concat(walked.files)
      .find((p) => p.split("/").some((part) => VCS.has(part)));
    if (vcs) throw holds(`holds version-control data (${vcs})`);
    const yaml = walked.files.find((p) => /\.ya?ml$/i.test(p));
    if (yaml) throw holds(`holds YAML that netcompile did not write (${yaml}), perhaps input`);
  }
}

/** What the build mutex says: its owner (pid and start time) and the token of its names. */
export interface MutexRecord {
  readonly pid: number;
  /** The owner's start time (Linux /proc/<pid>/stat), "" where unknown: a reused pid differs. */
  readonly start: string;
  readonly token: string;
}

const MUTEX_FORMAT = /^netcompile-build-mutex\/1 pid=(\d+) start=(\d*) token=([0-9a-f]{16})\n$/;

export function mutexText(record: MutexRecord): string {
  return `netcompile-build-mutex/1 pid=${record.pid} start=${record.start} token=${record.token}\n`;
}

function parseMutex(text: string): MutexRecord | undefined {
  const m = MUTEX_FORMAT.exec(text);
  if (!m) return undefined;
  const [, pid, start = "", token = ""] = m;
  return { pid: Number(pid), start, token };
}

/** A process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or "". */
export function processStart(pid: number): string {
  const read = readRegularFile(`/proc/${pid}/stat`, 4096);
  if (!read.ok) return "";
  const text = read.bytes.toString("latin1");
  // The command name (field 2) may hold spaces and parentheses: count after its last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return fields[19] ?? "";
}

/** The mutex's owner still runs: its pid is alive and, where known, started when it said. */
function ownerRuns(record: MutexRecord): boolean {
  if (!isAlive(record.pid)) return false;
  if (record.start === "") return true;
  const now = processStart(record.pid);
  return now === "" || now === record.start;
}

/** A mutex record for another process, for tests that play a live or a dead owner. */
export function mutexRecordFor(pid: number): string {
  return mutexText({ pid, start: processStart(pid), token: randomBytes(8).toString("hex") });
}

interface HeldMutex {
  readonly names: SwapNames;
  release(): void;
}

/**
 * The build mutex: a file created complete and exclusively (written beside it, then hard-linked
 * into place, so no reader sees it half-written) that records the owner and its swap names. A
 * mutex whose owner is gone is stale: its leftovers are repaired, and only then is it removed and
 * taken over, so a build killed while taking over leaves the record for the next one. What is
 * not a mutex netcompile wrote (a committed file, a link) is no owner and is replaced; a live
 * owner is waited for, up to timeoutMs.
 */
function acquireBuildMutex(outDir: string, path: string, timeoutMs: number): HeldMutex {
  const deadline = Date.now() + timeoutMs;
  const target = join(dirname(path), basename(outDir));
  removeDeadDrafts(path);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const record: MutexRecord = {
    pid: process.pid,
    start: processStart(process.pid),
    token: randomBytes(8).toString("hex"),
  };
  const fail = (detail: string) =>
    new EmitError("io", `${outDir}: cannot take the build mutex ${path}: ${detail}`);
  for (;;) {
    if (createComplete(path, mutexText(record), fail)) {
      failpoint("mutex-taken");
      return {
        names: swapNames(target, record),
        release: () => rmSync(path, { force: true }),
      };
    }
    const read = readRegularFile(path, 4096);
    if (!read.ok && read.problem === "absent") continue; // released meanwhile: try again
    if (!read.ok && read.problem !== "symlink")
      throw fail(`it is ${read.detail}, not a file netcompile wrote; remove it`);
    const owner = read.ok ? parseMutex(read.bytes.toString("latin1")) : undefined;
    if (owner && ownerRuns(owner)) {
      if (Date.now() > deadline)
        throw new EmitError(
          "io",
          `another netcompile build (pid ${owner.pid}) is writing ${outDir}; ${path} is its build mutex`,
        );
      Atomics.wait(pause, 0, 0, 25);
      continue;
    }
    // Stale (a killed build: repair what it left, before its record goes) or not ours (removed).
    if (owner) recover(target, owner);
    rmSync(path, { force: true });
  }
}

/**
 * Removes the drafts (createComplete's `<mutex>-<pid>-<hex>`) that builds killed before linking
 * them left: a regular file of that name holding the mutex record of that pid, whose process is
 * gone. Anything else of a similar name (a link, a folder, other content, a live process's
 * draft) is left alone, as a committed file must be.
 */
function removeDeadDrafts(path: string): void {
  const prefix = `${basename(path)}-`;
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const m = /^(\d+)-[0-9a-f]{8}$/.exec(entry.slice(prefix.length));
    if (!m) continue;
    const pid = Number(m[1]);
    const draft = join(dirname(path), entry);
    const read = readRegularFile(draft, 4096);
    if (!read.ok || parseMutex(read.bytes.toString("latin1"))?.pid !== pid || isAlive(pid))
      continue;
    rmSync(draft, { force: true });
  }
}

/**
 * Creates `path` holding `text` only if nothing is there (false when something is): the text
 * is written to a unique file first and hard-linked into place, which fails if `path` exists.
 * Where hard links are not supported, an O_EXCL create and write.
 */
function createComplete(path: string, text: string, fail: (d: string) => EmitError): boolean {
  const draft = `${path}-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    writeFileSync(draft, text, { flag: "wx" });
  } catch (error) {
    throw fail(reason(error));
  }
  failpoint("mutex-drafted");
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw fail(reason(error));
    try {
      writeFileSync(path, text, { flag: "wx" });
      return true;
    } catch (fallback) {
      if ((fallback as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw fail(reason(fallback));
    }
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Writes every file below `root`, which does not exist yet (the staging directory): each
 * directory is made once, parents first, with one mkdir each (a recursive mkdir of a directory
 * whose parent is missing costs a failed call first), then each file with one open, write and
 * close. A directory that already exists is an error: the staging directory is new. A large
 * tree is shared with a helper thread (helper-thread.ts): it takes the files of a run of
 * second-level folders (hosts/<node>/) no other file is in. `last` is made once this thread's
 * share is written, while the helper may still write, and written after both.
 */
function writeAll(
  root: string,
  files: readonly RenderedFile[],
  helperMinFiles: number,
  last?: () => RenderedFile,
): void {
  mkdirSync(root);
  const made = new Set<string>([""]);
  const makeDir = (dir: string): void => {
    const slash = dir.lastIndexOf("/");
    const parent = slash < 0 ? "" : dir.slice(0, slash);
    if (!made.has(parent)) makeDir(parent);
    mkdirSync(`${root}${sep}${dir}`);
    made.add(dir);
  };
  const write = (file: RenderedFile): void => {
    const path = safeJoin(root, file.path);
    const slash = file.path.lastIndexOf("/");
    const dir = slash < 0 ? "" : file.path.slice(0, slash);
    if (!made.has(dir)) {
      if (isPlainRelative(file.path)) makeDir(dir);
      else mkdirSync(dirname(path), { recursive: true }); // e.g. "a//b": safeJoin normalised it
    }
    const parts = bytesOf(file);
    if (parts) writeParts(path, parts);
    else writeFileSync(path, file.content);
  };
  const split = helperSplit(files, helperMinFiles);
  const helper =
    split < files.length
      ? startHelper(helperWork(root, files.slice(split), made, makeDir))
      : undefined;
  let final: RenderedFile | undefined;
  try {
    for (const file of split < files.length ? files.slice(0, split) : files) write(file);
    final = last?.();
  } catch (error) {
    try {
      helper?.finish(true);
    } catch {
      // Our own error is the one to report; the staging directory is removed either way.
    }
    throw error;
  }
  helper?.finish(false);
  if (final) {
    // The helper made folders `made` does not know: the last file's folder may exist already.
    const slash = final.path.lastIndexOf("/");
    if (slash >= 0) mkdirSync(dirname(safeJoin(root, final.path)), { recursive: true });
    made.add(slash < 0 ? "" : final.path.slice(0, slash));
    write(final);
  }
}

/** The first file of the helper's share: files.length for none. */
export function helperSplit(files: readonly RenderedFile[], minFiles: number): number {
  if (files.length < Math.max(2, minFiles) || !files.every((f) => isPlainRelative(f.path)))
    return files.length;
  // A host's files (hosts/<node>/...) stay in one share: each share makes its own folders.
  const groups = files.map((f) => secondLevel(f.path) ?? f.path);
  let split = groups.length >> 1;
  while (split < groups.length && groups[split] === groups[split - 1]) split++;
  const ours = new Set(groups.slice(0, split));
  return groups.slice(split).some((group) => ours.has(group)) ? files.length : split;
}

/** "a/b" for a file below a folder a/b/ (at any depth), else undefined. */
function secondLevel(path: string): string | undefined {
  const first = path.indexOf("/");
  const second = first < 0 ? -1 : path.indexOf("/", first + 1);
  return second < 0 ? undefined : path.slice(0, second);
}

/**
 * The helper's share: its files' top-level folders are made here first (our share may need
 * them too); the folders below them are only its own, and it makes them.
 */
function helperWork(
  root: string,
  files: readonly RenderedFile[],
  made: Set<string>,
  makeDir: (dir: string) => void,
): HelperWork {
  const dirs: string[] = [];
  const theirs = new Set<string>();
  const work: HelperWork["files"][number][] = [];
  // Text files' UTF-8 in one shared buffer: the helper reads it in place, nothing is copied to
  // its heap. Room for 3 bytes per UTF-16 unit, the most UTF-8 takes; untouched pages cost nothing.
  let room = 0;
  for (const file of files) if (!bytesOf(file)) room += 3 * file.content.length;
  const texts = Buffer.from(new SharedArrayBuffer(Math.max(room, 1)));
  let at = 0;
  for (const file of files) {
    const top = file.path.indexOf("/");
    if (top >= 0 && !made.has(file.path.slice(0, top))) makeDir(file.path.slice(0, top));
    for (let end = file.path.indexOf("/", top + 1); top >= 0 && end >= 0;) {
      const dir = file.path.slice(0, end);
      if (!theirs.has(dir)) {
        theirs.add(dir);
        dirs.push(`${root}${sep}${dir}`);
      }
      end = file.path.indexOf("/", end + 1);
    }
    const path = safeJoin(root, file.path);
    const parts = bytesOf(file);
    if (parts) work.push([path, parts]);
    else {
      const start = at;
      at += texts.write(file.content, at);
      work.push([path, [start, at]]);
    }
  }
  return { dirs, texts, files: work };
}

/** Writes a file given as byte parts (pieces.ts: views of texts shared between hosts), with writev. */
function writeParts(path: string, parts: readonly Buffer[]): void {
  const fd = openSync(path, "w");
  try {
    const total = parts.reduce((n, p) => n + p.length, 0);
    let written = writevSync(fd, parts);
    if (written < total) {
      // A short writev (rare for regular files): the rest, from one buffer.
      const all = Buffer.concat(parts);
      while (written < total) written += writeSync(fd, all, written, total - written);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A relative path of plain names joined by "/": none empty, "." or "..", no NUL, and no "\\"
 * or ":" on Windows. Below any root it resolves to root + "/" + path, with nothing to normalise.
 */
function isPlainRelative(path: string): boolean {
  if (path === "" || path.includes("\0")) return false;
  if (sep === "\\" && /[\\:]/.test(path)) return false;
  let start = 0;
  for (;;) {
    const end = path.indexOf("/", start);
    const name = end < 0 ? path.slice(start) : path.slice(start, end);
    if (name === "" || name === "." || name === "..") return false;
    if (end < 0) return true;
    start = end + 1;
  }
}

let normalRoot: string | undefined;
/** root is absolute and normalised (the last root seen is remembered: emit asks per file). */
function isNormalAbsolute(root: string): boolean {
  if (root === normalRoot) return true;
  if (!isAbsolute(root) || resolve(root) !== root) return false;
  normalRoot = root;
  return true;
}

/** Joins a rendered relative path below root, refusing anything that would leave it. */
export function safeJoin(root: string, relativePath: string): string {
  // The common case, decided without resolving: the same path resolve() would give.
  if (isPlainRelative(relativePath) && isNormalAbsolute(root)) {
    const tail = sep === "/" ? relativePath : relativePath.replaceAll("/", sep);
    return root.endsWith(sep) ? `${root}${tail}` : `${root}${sep}${tail}`;
  }
  const full = resolve(root, relativePath);
  const rel = relative(root, full);
  if (
    rel === "" ||
    rel.startsWith(`..${sep}`) ||
    rel === ".." ||
    resolve(root, rel) !== full ||
    relativePath.includes("\0")
  ) {
    throw new Error(
      `refusing to write ${JSON.stringify(relativePath)} outside the output directory`,
    );
  }
  return full;
}

/**
 * Repairs what a killed build left, by the names its stale mutex records (and nothing else, so
 * a committed `.rendered.old-N` is never renamed into place nor a `.rendered.tmp-N` deleted):
 * a swap interrupted between its two renames (the output path is gone, the old tree beside it)
 * is undone; the staging name is removed, whether it holds a new tree never swapped in or the
 * old tree an exchange put there.
 */
export function recover(target: string, killed: MutexRecord): void {
  const { staging, old } = swapNames(target, killed);
  if (existsSync(old)) {
    if (!existsSync(target)) renameSync(old, target);
    else removeTree(old);
  }
  removeTree(staging);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface TreeDifference {
  readonly path: string;
  /** not-a-file: a link, FIFO, device or unreadable folder where a file or folder should be. */
  readonly state: "missing" | "differs" | "unexpected" | "not-a-file";
  /** not-a-file: what it is ("a symbolic link", "permission denied"). */
  readonly what?: string;
}

/**
 * What `build --check` reports: how the tree on disk differs from what would be written. The
 * tree is read like a repository (src/util/safe-fs.ts): no link followed, no special file
 * opened, and no more of a file read than the expected content's length plus one byte.
 */
export function compareTree(outDir: string, files: readonly RenderedFile[]): TreeDifference[] {
  const bytes = (f: RenderedFile) => {
    const parts = bytesOf(f);
    return parts ? Buffer.concat(parts) : Buffer.from(f.content);
  };
  const expected = new Map(files.map((f) => [f.path, bytes(f)]));
  const isDir = existsSync(outDir) && lstatSync(outDir).isDirectory();
  const walked = isDir ? walkTree(outDir) : { files: [], problems: [] };
  const actual = new Set(walked.files);
  const out: TreeDifference[] = [];
  for (const problem of walked.problems)
    out.push({ path: problem.path, state: "not-a-file", what: problem.detail });
  const odd = new Set(walked.problems.map((p) => p.path));
  for (const [path, content] of expected) {
    if (odd.has(path)) continue;
    if (!actual.has(path)) {
      out.push({ path, state: "missing" });
      continue;
    }
    const read = readRegularFile(join(outDir, path), content.length);
    if (!read.ok && read.problem !== "too-large")
      out.push({ path, state: "not-a-file", what: read.detail });
    else if (!read.ok || !read.bytes.equals(content)) out.push({ path, state: "differs" });
  }
  for (const path of actual) if (!expected.has(path)) out.push({ path, state: "unexpected" });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
