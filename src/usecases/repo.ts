/** The repository a use case runs on: its folder, and how messages name it and other paths. */
import { lstatSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { ROOT_FILE } from "../load/load.js";
import { FsRepoReader } from "../load/reader.js";
import { compile, type CompileOptions, type CompileResult } from "../pipeline.js";

export interface RepoRef {
  /** The repository folder (the one with netcompile.yaml), absolute. */
  readonly dir: string;
  /** How messages name it: the prefix of every path they show ("." for the working directory). */
  readonly shown: string;
  /** How messages name another path on disk (an output folder). */
  readonly show: (path: string) => string;
}

/** The repository at `path` as a command line names it: relative to the working directory. */
export function repoAt(cwd: string, path: string): RepoRef {
  const dir = resolve(cwd, path);
  const show = (p: string) => displayPath(cwd, p);
  return { dir, shown: show(dir), show };
}

/**
 * Why `dir` is not a repository netcompile can open — no such folder, not a folder, no
 * netcompile.yaml in it — or undefined. A mistake in the command line (exit 3), found before
 * anything is read, so it names the path instead of a file inside it.
 */
export function repoProblem(dir: string): string | undefined {
  let folder;
  try {
    folder = statSync(dir);
  } catch {
    return "no such folder";
  }
  if (!folder.isDirectory()) return "not a folder";
  try {
    lstatSync(join(dir, ROOT_FILE));
  } catch {
    return `no ${ROOT_FILE} in it: not a netcompile repository (the folder holding ${ROOT_FILE}; \`netcompile init\` writes one)`;
  }
  return undefined;
}

/** A path as the user should see it: relative to the working directory when below it. */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/** The pipeline over the repository's working tree. */
export function compileRepo(repo: RepoRef, options: CompileOptions = {}): CompileResult {
  return compile(new FsRepoReader(repo.dir, repo.shown), options);
}
