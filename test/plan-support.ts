/** Test helpers for plan tests: git repositories with reproducible commits. */
import { execFileSync } from "node:child_process";

/** Fixed identity and dates, no user or system config: a commit id is the same on every run. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: "netcompile tests",
  GIT_AUTHOR_EMAIL: "tests@netcompile.invalid",
  GIT_COMMITTER_NAME: "netcompile tests",
  GIT_COMMITTER_EMAIL: "tests@netcompile.invalid",
  GIT_AUTHOR_DATE: "2025-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2025-01-01T00:00:00Z",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
  // `git status` in a test must not refresh the index: tests compare it before and after a plan.
  GIT_OPTIONAL_LOCKS: "0",
};

/** Runs git in `cwd` with GIT_ENV; returns stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: "utf8" });
}
