/**
 * How every format names a file of the repository — text, json, github, sarif, the plan's and
 * the Action's: its path from where netcompile ran (the Action: from the workspace), that is
 * the repository as the command line named it (`--repo`, relative to the working directory when
 * inside it, absolute when not) joined with the file's path in the repository. Diagnostics keep
 * repository-relative paths; formatters name them through this one function. Files outside the
 * repository (a live snapshot's, `../snapshot/nodes.json`) are normalised, so the user reads a
 * path from the working directory; absolute paths are kept.
 */
import { posix } from "node:path";

export function shownPath(repoShown: string | undefined, file: string): string {
  if (posix.isAbsolute(file)) return file;
  if (repoShown && repoShown !== ".") return posix.join(repoShown, file);
  return file.includes("..") || file.includes("./") ? posix.normalize(file) : file;
}
