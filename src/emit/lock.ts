/**
 * The lock file, netcompile.lock.json: every rendered file's sha256 and the input digest, the
 * manifest `build --check` and `plan` read. ("Lock" here is only this file; the mutex that
 * serialises builds of one output directory is the build mutex, in emit.ts.)
 */
import { createHash, hash } from "node:crypto";
import { bytesOf } from "../render/pieces.js";
import type { RenderedFile } from "../render/types.js";
import { GENERATOR } from "../version.js";

export const LOCK_FILE = "netcompile.lock.json";

export interface LockFile {
  readonly version: 1;
  readonly generator: string;
  readonly inputDigest: string;
  readonly files: Readonly<Record<string, string>>;
}

/** One-shot hashing (crypto.hash): about twice as fast as createHash for small files. */
export function sha256(content: string | Buffer | readonly Buffer[]): string {
  if (typeof content === "string" || Buffer.isBuffer(content))
    return hash("sha256", content, "hex");
  const h = createHash("sha256");
  for (const part of content) h.update(part);
  return h.digest("hex");
}

export function makeLockFile(files: readonly RenderedFile[], inputDigest: string): LockFile {
  const entries: Record<string, string> = {};
  const sorted = isSortedByPath(files)
    ? files
    : [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const f of sorted) entries[f.path] = `sha256:${sha256(bytesOf(f) ?? f.content)}`;
  return { version: 1, generator: GENERATOR, inputDigest: `sha256:${inputDigest}`, files: entries };
}

/** renderAll's files are sorted already: a check instead of a copy and a sort. */
function isSortedByPath(files: readonly RenderedFile[]): boolean {
  let previous: string | undefined;
  for (const { path } of files) {
    if (previous !== undefined && !(previous < path)) return false;
    previous = path;
  }
  return true;
}

export function lockFileText(lock: LockFile): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/** The rendered files plus the lock file: exactly what lands in the output directory. */
export function withLockFile(files: readonly RenderedFile[], inputDigest: string): RenderedFile[] {
  return [...files, { path: LOCK_FILE, content: lockFileText(makeLockFile(files, inputDigest)) }];
}
