/**
 * What the live commands share: where a snapshot is and how messages name it and its files.
 * Snapshot files are named relative to the repository the report is about (e.g.
 * `../snapshot/nodes.json`), because every diagnostics format puts the repository's folder
 * before a relative path; the formatters normalise the result, so the user reads a path from
 * the working directory. A snapshot outside the working directory is named absolutely.
 */
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { SnapshotLocation } from "../live/load.js";
import { displayPath } from "./repo.js";

/** The snapshot at `path` (as the command line gives it), its files named from `base`. */
export function snapshotAt(cwd: string, path: string, base: string): SnapshotLocation {
  const abs = resolve(cwd, path);
  const shownFromCwd = displayPath(cwd, abs);
  const fromBase = (target: string) => {
    if (isAbsolute(shownFromCwd)) return target;
    const rel = relative(base, target).split(sep).join("/");
    return rel === "" ? "." : rel;
  };
  return { path: abs, shown: fromBase(abs), fileName: fromBase, display: shownFromCwd };
}

/** True when one of the two paths is inside (or is) the other. */
export function overlaps(a: string, b: string): boolean {
  const inside = (parent: string, child: string) => {
    const rel = relative(parent, child);
    return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
  };
  return inside(a, b) || inside(b, a);
}

/** The snapshot's path relative to the repository when it is inside it (to leave it out of the repository). */
export function snapshotExclusion(repoDir: string, livePath: string): string[] {
  if (livePath === repoDir || !overlaps(repoDir, livePath)) return [];
  const rel = relative(repoDir, livePath);
  return rel.startsWith("..") ? [] : [rel.split(sep).join("/")];
}
