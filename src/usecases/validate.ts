/** `validate`: the repository through schema, resolve and rules; its diagnostics and verdict. */
import type { Diagnostic } from "../diagnostics/types.js";
import type { CompileResult } from "../pipeline.js";
import { compileRepo, type RepoRef } from "./repo.js";
import { decide, type FailOn, type Verdict } from "./verdict.js";

export interface ValidateResult {
  readonly compiled: CompileResult;
  readonly diagnostics: readonly Diagnostic[];
  readonly verdict: Verdict;
}

export function validateRepo(repo: RepoRef, options: { failOn?: FailOn } = {}): ValidateResult {
  const compiled = compileRepo(repo, { render: "none" });
  const { diagnostics } = compiled;
  return { compiled, diagnostics, verdict: decide({ diagnostics, failOn: options.failOn }) };
}
