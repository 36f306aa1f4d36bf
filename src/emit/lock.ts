/**
 * The lock file, netcompile.lock.json: every rendered file's sha256 and the input digest, the
 * manifest `build --check` and `plan` read. ("Lock" here is only this file; the mutex that
 * serialises builds of one output directory is the build mutex, in emit.ts.)
 */
import { createHash } from "node:crypto";
import type { RenderedFile } from "../render/types.js";
import { GENERATOR } from "../version.js";

export const LOCK_FILE = "netcompile.lock.json";

export interface LockFile {
  readonly version: 1;
  readonly generator: string;
  readonly inputDigest: string;
  readonly files: Readonly<Record<string, string>>;
}

export function sha256(content: string | Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

export function makeLockFile(files: readonly RenderedFile[], inputDigest: string): LockFile {
  const entries: Record<string, string> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1)))
    entries[f.path] = `sha256:${sha256(f.content)}`;
  return { version: 1, generator: GENERATOR, inputDigest: `sha256:${inputDigest}`, files: entries };
}

export function lockFileText(lock: LockFile): string {
  return `${JSON.stringify(lock, null, 2)}\n`;
}

/** The rendered files plus the lock file: exactly what lands in the output directory. */
export function withLockFile(files: readonly RenderedFile[], inputDigest: string): RenderedFile[] {
  return [...files, { path: LOCK_FILE, content: lockFileText(makeLockFile(files, inputDigest)) }];
}
