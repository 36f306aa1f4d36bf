/**
 * Exchanging two directories in one step: Linux's renameat2(RENAME_EXCHANGE), the swap that
 * leaves a whole tree at the output path at every instant. Node has no binding for it, so it
 * is called through koffi, an optional dependency (a C FFI whose npm packages carry prebuilt
 * binaries and load without its install script), as libc's `renameat2` (glibc 2.28 or later).
 * koffi is loaded on the first exchange only: commands that never replace a tree (validate,
 * render, plan, build --check, the Action) never load it. Wherever it cannot run, the caller
 * falls back to two renames (src/emit/emit.ts).
 */
import { createRequire } from "node:module";
import { constants } from "node:os";

/** From `<fcntl.h>` and `<linux/fs.h>`: the current directory, and the exchange flag. */
const AT_FDCWD = -100;
const RENAME_EXCHANGE = 2; // (1 << 1)

export type ExchangeOutcome =
  | { readonly exchanged: true }
  /** Nothing changed on disk; `reason` says why (no binding, another OS, EINVAL, ...). */
  | { readonly exchanged: false; readonly reason: string };

/** The part of koffi's API used here (typed locally: the package is optional). */
interface Koffi {
  load(path: string | null): { func(declaration: string): (...args: unknown[]) => unknown };
  errno(): number;
}

interface Binding {
  readonly renameat2: (
    olddirfd: number,
    oldpath: string,
    newdirfd: number,
    newpath: string,
    flags: number,
  ) => unknown;
  readonly errno: () => number;
}

/** The loaded binding, or why there is none; undefined until the first exchange asks. */
let loaded: Binding | string | undefined;

/**
 * Exchanges the directories at `a` and `b` (absolute paths, both existing) atomically: at every
 * instant each path holds one of the two. When it cannot, nothing is changed and the outcome
 * says why.
 */
export function exchangeDirectories(a: string, b: string): ExchangeOutcome {
  // A C string ends at NUL: such a path would name another file (Node's fs refuses it too).
  if (a.includes("\0") || b.includes("\0"))
    return { exchanged: false, reason: "a path holds a NUL byte" };
  const binding = exchangeBinding();
  if (typeof binding === "string") return { exchanged: false, reason: binding };
  let result: unknown;
  try {
    result = binding.renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
  } catch (error) {
    // koffi refuses arguments before calling: nothing was exchanged.
    return { exchanged: false, reason: `renameat2 could not be called (${firstLine(error)})` };
  }
  if (result === 0) return { exchanged: true };
  return {
    exchanged: false,
    reason: `renameat2(RENAME_EXCHANGE) failed: ${errnoName(binding.errno())}`,
  };
}

/** The binding, loaded on first use (and only then), or why this process has none. */
function exchangeBinding(): Binding | string {
  loaded ??= loadBinding();
  return loaded;
}

/** Why this process cannot exchange (loading the binding to find out), or undefined if it can. */
export function exchangeUnavailable(): string | undefined {
  const binding = exchangeBinding();
  return typeof binding === "string"
    ? `renameat2(RENAME_EXCHANGE) cannot run: ${binding}`
    : undefined;
}

/** Whether this process has loaded the binding (validate and render must never). */
export function exchangeBindingLoaded(): boolean {
  return loaded !== undefined;
}

function loadBinding(): Binding | string {
  if (process.platform !== "linux") return `renameat2 is Linux's; this is ${process.platform}`;
  let koffi: Koffi;
  try {
    koffi = createRequire(import.meta.url)("koffi") as Koffi;
  } catch (error) {
    return `the optional dependency koffi cannot be loaded (${firstLine(error)})`;
  }
  try {
    // The process's own symbol scope, libc's included: no library name to guess (glibc, musl).
    const renameat2 = koffi
      .load(null)
      .func(
        "int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags)",
      );
    return { renameat2, errno: () => koffi.errno() };
  } catch (error) {
    return `libc has no renameat2 (glibc has it from 2.28) (${firstLine(error)})`;
  }
}

function errnoName(errno: number): string {
  const name = Object.entries(constants.errno).find(([, value]) => value === errno)?.[0];
  return name ?? `errno ${errno}`;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n", 1)[0] ?? text;
}
