/**
 * The use cases: what each command does, for every front end. The CLI (argv -> use case ->
 * formatter -> exit code), the Action (inputs -> use case -> annotations, summary, outputs) and
 * the tests call these; they return results and a verdict and never print. They sit on the
 * pipeline (src/pipeline.ts) and the stages; no stage imports them.
 */
export {
  buildRepo,
  checkOutput,
  type BuildOutcome,
  type BuildRequest,
  type BuildResult,
} from "./build.js";
export { explainRepo, type ExplainResult } from "./explain.js";
export { graphRepo, type GraphRequest, type GraphResult } from "./graph.js";
export {
  initRepo,
  PROVIDERS,
  starterRepository,
  type InitRequest,
  type InitResult,
  type Provider,
} from "./init.js";
export {
  gitBase,
  planRepo,
  type BaseChoice,
  type NoPlan,
  type PlanRequest,
  type PlanResult,
} from "./plan.js";
export { importLive, type ImportOutcome, type ImportOutput, type ImportRequest } from "./import.js";
export { overlaps, snapshotAt, snapshotExclusion } from "./live.js";
export { renderRepo, yamlStream, type RenderResult } from "./render.js";
export { compileRepo, displayPath, repoAt, repoProblem, type RepoRef } from "./repo.js";
export { reportOptions, sarifContext, type ReportOptions } from "./report.js";
export { docsUrl } from "../policy/docs.js";
export { validateRepo, type ValidateResult } from "./validate.js";
export { compareWithSnapshot, verifyCompiled, verifyRepo, type VerifyResult } from "./verify.js";
export {
  decide,
  EXIT,
  exitCode,
  type ExitCode,
  type FailOn,
  type Verdict,
  type VerdictInput,
} from "./verdict.js";
