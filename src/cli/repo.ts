/** The repository a command runs on, from `--repo`: a usage error (exit 3) when it cannot be one. */
import { repoAt, repoProblem, type RepoRef } from "../usecases/index.js";
import type { Io } from "./io.js";

/** The repository, or undefined after saying on stderr why `--repo` names none. */
export function repoFromOption(io: Io, path: string): RepoRef | undefined {
  const repo = repoAt(io.cwd, path);
  const problem = repoProblem(repo.dir);
  if (problem === undefined) return repo;
  io.stderr.write(`netcompile: --repo ${path}: ${problem}\n`);
  return undefined;
}
