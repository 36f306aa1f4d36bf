/**
 * The output folder as the loader sees it. A build writes its lock file at the folder's root
 * (emit/lock.ts); the loader leaves the folder out of the input only when that is a regular
 * file. A folder without one is no build's, and its YAML is said (NC1045), never skipped.
 */
import { posix } from "node:path";

export const LOCK_FILE = "netcompile.lock.json";

/** spec.output.dir when the Cluster does not set it. */
export const DEFAULT_OUTPUT_DIR = "rendered";

/**
 * A folder named in the repository (spec.output.dir, an --out or snapshot folder below it) as
 * the relative POSIX path the walk lists: `./out/`, `out/.` and `out` are one folder. "" for
 * the repository itself, or for a path that leaves it (absolute, `..`), which the schema
 * refuses and nothing may look at.
 */
export function repositoryFolder(dir: string): string {
  const normal = posix.normalize(dir).replace(/\/+$/, "");
  if (normal === "." || normal === "" || posix.isAbsolute(normal)) return "";
  if (normal === ".." || normal.startsWith("../")) return "";
  return normal;
}
