/**
 * The lock file, netcompile.lock.json: every rendered file's sha256 and the input digest, the
 * manifest `build --check` and `plan` read. ("Lock" here is only this file; the mutex that
 * serialises builds of one output directory is the build mutex, in emit.ts.)
 */
import { createHash, hash } from "node:crypto";
import { LOCK_FILE } from "../load/output-folder.js";
import { bytesOf } from "../render/pieces.js";
import type { RenderedFile } from "../render/types.js";
import { must } from "../util/must.js";
import { GENERATOR } from "../version.js";

export { LOCK_FILE };

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

/**
 * Each file's "sha256:<hex>", in the files' order. Many hosts share a file's text (calico mode:
 * the networkd files marking Calico's devices unmanaged, two thirds of all files): each distinct
 * text is hashed once.
 */
function fileDigests(files: readonly RenderedFile[]): string[] {
  const byText = new Map<string, string>();
  return files.map((f) => {
    const parts = bytesOf(f);
    if (parts) return `sha256:${sha256(parts)}`;
    let digest = byText.get(f.content);
    if (digest === undefined) byText.set(f.content, (digest = `sha256:${sha256(f.content)}`));
    return digest;
  });
}

export function makeLockFile(files: readonly RenderedFile[], inputDigest: string): LockFile {
  const entries: Record<string, string> = {};
  const sorted = isSortedByPath(files) ? files : [...files].sort(byPath);
  const digests = fileDigests(sorted);
  sorted.forEach((f, i) => (entries[f.path] = must(digests[i], `${f.path}'s digest`)));
  return { version: 1, generator: GENERATOR, inputDigest: `sha256:${inputDigest}`, files: entries };
}

const byPath = (a: RenderedFile, b: RenderedFile) => (a.path < b.path ? -1 : 1);

/** renderAll's files are sorted already (and so have no path twice): a check, not a sort. */
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

/** A key JSON.stringify would move ahead of the others (an array index, "0" to "4294967294"). */
const isIndexKey = (key: string) => /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;

/**
 * The lock file's text for files sorted by path, printed line by line: the bytes
 * lockFileText(makeLockFile(...)) gives (lock.test.ts), without a 70,000-key object.
 */
function sortedLockFileText(files: readonly RenderedFile[], inputDigest: string): string {
  const digests = fileDigests(files);
  const head = { version: 1, generator: GENERATOR, inputDigest: `sha256:${inputDigest}` };
  const lines = ["{"];
  for (const [key, value] of Object.entries(head))
    lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)},`);
  if (files.length === 0) lines.push(`  "files": {}`);
  else {
    lines.push(`  "files": {`);
    const last = files.length - 1;
    files.forEach((f, i) =>
      lines.push(`    ${JSON.stringify(f.path)}: "${digests[i]}"${i < last ? "," : ""}`),
    );
    lines.push("  }");
  }
  lines.push("}", "");
  return lines.join("\n");
}

/** The rendered files plus the lock file: exactly what lands in the output directory. */
export function withLockFile(files: readonly RenderedFile[], inputDigest: string): RenderedFile[] {
  return [...files, lockFileFor(files, inputDigest)];
}

/** The lock file of the rendered files. */
export function lockFileFor(files: readonly RenderedFile[], inputDigest: string): RenderedFile {
  const direct = isSortedByPath(files) && !files.some((f) => isIndexKey(f.path));
  const content = direct
    ? sortedLockFileText(files, inputDigest)
    : lockFileText(makeLockFile(files, inputDigest));
  return { path: LOCK_FILE, content };
}
