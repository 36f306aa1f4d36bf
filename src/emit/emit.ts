/**
 * Emit: the only stage that writes. The whole tree is written to a sibling temp directory,
 * then swapped in with two renames, so a failed or killed build leaves the previous tree
 * intact. A swap killed between its two renames is repaired by the next run (`recover`).
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
  writevSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { bytesOf } from "../render/pieces.js";
import { HELPER_MIN_FILES, startHelper, type HelperWork } from "./helper-thread.js";
import type { RenderedFile } from "../render/types.js";
import { LOCK_FILE } from "./lock.js";

export class EmitError extends Error {
  constructor(
    readonly kind: "not-ours" | "io",
    message: string,
  ) {
    super(message);
  }
}

export interface EmitOptions {
  /** Replace a directory that has no lock file (netcompile did not write it). */
  readonly force?: boolean;
  /** The repository read: the output directory may not be it, hold it, or be another one. */
  readonly inputs?: string;
  /** How long to wait for another build of the same output directory (its build mutex), ms. */
  readonly mutexTimeoutMs?: number;
  /** From how many files a helper thread writes a share of the tree (helper-thread.ts). */
  readonly helperMinFiles?: number;
}

/** The build mutex: the file beside the output directory that serialises builds of it. */
export function buildMutexPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.lock`);
}

export function emitTree(
  outDir: string,
  files: readonly RenderedFile[],
  options: EmitOptions = {},
): void {
  const target = resolve(outDir);
  const parent = dirname(target);
  refuseInputs(outDir, target, options.inputs);
  mkdirSync(parent, { recursive: true });
  const release = acquireBuildMutex(
    outDir,
    buildMutexPath(target),
    options.mutexTimeoutMs ?? 60_000,
  );
  try {
    swapIn(outDir, target, files, options);
  } finally {
    release();
  }
}

function swapIn(
  outDir: string,
  target: string,
  files: readonly RenderedFile[],
  options: EmitOptions,
): void {
  const parent = dirname(target);
  const name = basename(target);
  recover(target);
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

  const staging = join(parent, `.${name}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    writeAll(staging, files, options.helperMinFiles ?? HELPER_MIN_FILES);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new EmitError("io", `${outDir}: ${(error as Error).message}`);
  }

  const old = join(parent, `.${name}.old-${process.pid}`);
  try {
    if (existsSync(target)) renameSync(target, old);
    renameSync(staging, target);
  } catch (error) {
    if (!existsSync(target) && existsSync(old)) renameSync(old, target);
    rmSync(staging, { recursive: true, force: true });
    throw new EmitError("io", `${outDir}: ${(error as Error).message}`);
  }
  rmSync(old, { recursive: true, force: true });
}

/** The output directory is never the repository, a folder holding it, or another repository. */
function refuseInputs(outDir: string, target: string, inputs: string | undefined): void {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  if (inputs !== undefined) {
    const rel = relative(real(target), real(resolve(inputs)));
    if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel)))
      throw new EmitError(
        "io",
        `${outDir} ${rel === "" ? "is" : "holds"} the repository being built; replacing it would delete the inputs (choose another --out)`,
      );
  }
  if (existsSync(join(target, "netcompile.yaml")))
    throw new EmitError(
      "io",
      `${outDir} holds a netcompile.yaml: it is a repository, not an output directory`,
    );
}

/**
 * The build mutex: an exclusive file (O_EXCL) holding the owner's pid. A mutex whose process is
 * gone is stale and taken over; a live owner is waited for, up to timeoutMs.
 */
function acquireBuildMutex(outDir: string, path: string, timeoutMs: number): () => void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      const fd = openSync(path, "wx");
      try {
        writeFileSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST")
        throw new EmitError(
          "io",
          `${outDir}: cannot take the build mutex: ${(error as Error).message}`,
        );
    }
    let owner = NaN;
    try {
      owner = Number.parseInt(readFileSync(path, "utf8"), 10);
    } catch {
      continue; // released between our open and read: try again
    }
    // No pid yet means the owner is between its open and write: wait, unless the file is old.
    const stale = Number.isInteger(owner)
      ? owner === process.pid || !isAlive(owner)
      : Date.now() - mtimeOf(path) > 5_000;
    if (stale) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new EmitError(
        "io",
        `another netcompile build (pid ${owner}) is writing ${outDir}; ${path} is its build mutex`,
      );
    Atomics.wait(pause, 0, 0, 25);
  }
}

function mtimeOf(path: string): number {
  try {
    return lstatSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Writes every file below `root`, which does not exist yet (the staging directory): each
 * directory is made once, parents first, with one mkdir each (a recursive mkdir of a directory
 * whose parent is missing costs a failed call first), then each file with one open, write and
 * close. A directory that already exists is an error: the staging directory is new. A large
 * tree is shared with a helper thread (helper-thread.ts): it takes the files of a run of
 * second-level folders (hosts/<node>/) no other file is in.
 */
function writeAll(root: string, files: readonly RenderedFile[], helperMinFiles: number): void {
  mkdirSync(root);
  const made = new Set<string>([""]);
  const makeDir = (dir: string): void => {
    const slash = dir.lastIndexOf("/");
    const parent = slash < 0 ? "" : dir.slice(0, slash);
    if (!made.has(parent)) makeDir(parent);
    mkdirSync(`${root}${sep}${dir}`);
    made.add(dir);
  };
  const split = helperSplit(files, helperMinFiles);
  const helper =
    split < files.length
      ? startHelper(helperWork(root, files.slice(split), made, makeDir))
      : undefined;
  try {
    for (let i = 0; i < split; i++) {
      const file = files[i]!;
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
    }
  } catch (error) {
    try {
      helper?.finish(true);
    } catch {
      // Our own error is the one to report; the staging directory is removed either way.
    }
    throw error;
  }
  helper?.finish(false);
}

/** The first file of the helper's share: files.length for none. */
export function helperSplit(files: readonly RenderedFile[], minFiles: number): number {
  if (files.length < Math.max(2, minFiles) || !files.every((f) => isPlainRelative(f.path)))
    return files.length;
  let split = files.length >> 1;
  const group = (path: string) => secondLevel(path) ?? path;
  while (split < files.length && group(files[split]!.path) === group(files[split - 1]!.path))
    split++;
  const ours = new Set<string>();
  for (let i = 0; i < split; i++) ours.add(group(files[i]!.path));
  for (let i = split; i < files.length; i++)
    if (ours.has(group(files[i]!.path))) return files.length;
  return split;
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
    let written = writevSync(fd, parts as Buffer[]);
    if (written < total) {
      // A short writev (rare for regular files): the rest, from one buffer.
      const all = Buffer.concat(parts as Buffer[]);
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
 * Repairs what a killed run left: a swap interrupted between its renames (the target is
 * gone, an .old copy remains) and staging directories of processes that are no longer alive.
 */
export function recover(target: string): void {
  const parent = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries.sort()) {
    const m = new RegExp(`^\\.${escapeRegExp(name)}\\.(tmp|old)-(\\d+)$`).exec(entry);
    if (!m) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && isAlive(pid)) continue;
    const path = join(parent, entry);
    if (m[1] === "old" && !existsSync(target)) renameSync(path, target);
    else rmSync(path, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export interface TreeDifference {
  readonly path: string;
  readonly state: "missing" | "differs" | "unexpected";
}

/** What `build --check` reports: how the tree on disk differs from what would be written. */
export function compareTree(outDir: string, files: readonly RenderedFile[]): TreeDifference[] {
  const bytes = (f: RenderedFile) => {
    const parts = bytesOf(f);
    return parts ? Buffer.concat(parts as Buffer[]) : Buffer.from(f.content);
  };
  const expected = new Map(files.map((f) => [f.path, bytes(f)]));
  const actual = existsSync(outDir) && lstatSync(outDir).isDirectory() ? listTree(outDir) : [];
  const out: TreeDifference[] = [];
  for (const [path, content] of expected) {
    if (!actual.includes(path)) out.push({ path, state: "missing" });
    else if (!readFileSync(join(outDir, path)).equals(content))
      out.push({ path, state: "differs" });
  }
  for (const path of actual) if (!expected.has(path)) out.push({ path, state: "unexpected" });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else out.push(rel);
    }
  };
  walk(root, "");
  return out.sort();
}
