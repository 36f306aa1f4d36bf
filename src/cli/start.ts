/**
 * Starts the bundled CLI (lib/netcompile.cjs) from V8's code cache.
 *
 * Every command first compiles the 2 MB bundle, and then each function it calls the first time:
 * about 0.15 s of a 0.75 s validate at 10,000 nodes. `npm run build` runs the bundle once on
 * the example repository and keeps what V8 compiled (lib/netcompile.code-cache); a start reads it
 * back instead of compiling. Node 20 has no module compile cache of its own
 * (`module.enableCompileCache` is Node 22.1+), and V8 caches only classic scripts, so the bundle
 * is CommonJS, run here as Node runs a CommonJS file.
 *
 * The cache is a speed-up, never a dependency: missing, for another bundle, for another Node or
 * refused by V8, the bundle compiles from source as it would without one. V8 itself checks only
 * its version, its flags and the source's length, so the cache file begins with the SHA-256 of
 * the bundle it was made from, and a cache for any other bundle is never handed to V8.
 *
 * This module is not bundled: bin/netcompile.js imports it, and it imports nothing of netcompile.
 */
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import type { Io } from "./io.js";

/** The CLI's bundle and its code cache, beside this module's folder (lib/cli/ → lib/). */
export const BUNDLE_FILE = "netcompile.cjs";
export const CODE_CACHE_FILE = "netcompile.code-cache";

/** What a cache file starts with: a format tag, then the bundle's SHA-256. */
const MAGIC = Buffer.from("netcompile-code-cache-1\n");
const HASH_BYTES = 32;
/** Where V8's data begins in a cache file. */
export const HEADER_BYTES = MAGIC.length + HASH_BYTES;

/** How the bundle was compiled this time. */
export type CacheUse =
  /** V8 took the cache. */
  | "used"
  /** There was no cache file. */
  | "absent"
  /** The cache file was made from another bundle, or is not a cache file. */
  | "stale"
  /** V8 refused it (another Node or V8 flags). */
  | "refused";

export interface LoadedBundle<T> {
  readonly exports: T;
  readonly cache: CacheUse;
  /** Makes a cache of everything compiled so far (for the build's training run). */
  readonly createCache: () => Buffer;
}

/** Runs the CommonJS bundle `file`, from the code cache `cacheFile` when it is the bundle's. */
export function loadBundle<T>(bundle: string, cacheFile: string | undefined): LoadedBundle<T> {
  const file = resolve(bundle);
  const source = readFileSync(file);
  const hash = createHash("sha256").update(source).digest();
  let cachedData: Buffer | undefined;
  let cache: CacheUse = "absent";
  if (cacheFile !== undefined) {
    const data = readOptional(cacheFile);
    if (data !== undefined) {
      const ours =
        data.length > HEADER_BYTES &&
        data.subarray(0, MAGIC.length).equals(MAGIC) &&
        data.subarray(MAGIC.length, HEADER_BYTES).equals(hash);
      if (ours) cachedData = data.subarray(HEADER_BYTES);
      cache = ours ? "used" : "stale";
    }
  }
  // The wrapper Node puts around a CommonJS module, on the bundle's first line so that line
  // numbers in a stack trace stay the bundle's.
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) { ${source.toString("utf8")}\n})`,
    { filename: file, cachedData },
  );
  if (cachedData !== undefined && script.cachedDataRejected === true) cache = "refused";
  const wrapper = script.runInThisContext() as (
    exports: object,
    require: NodeJS.Require,
    module: { exports: object },
    filename: string,
    dirname: string,
  ) => void;
  const module = { exports: {} };
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports as T,
    cache,
    createCache: () => Buffer.concat([MAGIC, hash, script.createCachedData()]),
  };
}

/** Writes a cache file whole (a reader never sees half of one). */
export function writeCache(cacheFile: string, data: Buffer): void {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, cacheFile);
  } finally {
    rmSync(temp, { force: true });
  }
}

function readOptional(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined; // no cache (or none readable): compile from source
  }
}

/** The library folder this module sits in (lib/cli/ → lib/). */
export function libFolder(): string {
  return join(dirname(fileURLToPath(import.meta.url)), "..");
}

/** What the bundle exports (src/cli/main.ts). */
export interface Cli {
  run(argv: readonly string[], io: Io): Promise<number>;
}

/** The process entry (bin/netcompile.js): real streams in, exit code out. */
export async function startCli(): Promise<void> {
  const lib = libFolder();
  const { exports } = loadBundle<Cli>(join(lib, BUNDLE_FILE), join(lib, CODE_CACHE_FILE));
  process.exitCode = await exports.run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
  });
}
