/**
 * A typed fake of @actions/core (as actions/typescript-action's __fixtures__/core.ts) and a
 * runner environment, for tests that run src/action/main.ts in-process.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActionCore, AnnotationProperties } from "../src/action/core.js";

export interface FakeCore extends ActionCore {
  readonly inputs: Record<string, string>;
  readonly annotations: { level: string; message: string; properties?: AnnotationProperties }[];
  readonly outputs: Record<string, unknown>;
  readonly failed: string[];
  readonly log: string[];
  readonly summaryText: string[];
}

/** Records every call; getInput reads `inputs` (as the runner's INPUT_* would be). */
export function fakeCore(inputs: Record<string, string> = {}): FakeCore {
  const fake: FakeCore = {
    inputs,
    annotations: [],
    outputs: {},
    failed: [],
    log: [],
    summaryText: [],
    getInput: (name) => fake.inputs[name] ?? "",
    setOutput: (name, value: unknown) => {
      fake.outputs[name] = value;
    },
    setFailed: (message) => {
      fake.failed.push(String(message));
    },
    error: (message, properties) => {
      fake.annotations.push({ level: "error", message: String(message), properties });
    },
    warning: (message, properties) => {
      fake.annotations.push({ level: "warning", message: String(message), properties });
    },
    notice: (message, properties) => {
      fake.annotations.push({ level: "notice", message: String(message), properties });
    },
    info: (message) => {
      fake.log.push(message);
    },
    debug: (message) => {
      fake.log.push(`debug: ${message}`);
    },
    startGroup: (name) => {
      fake.log.push(`group: ${name}`);
    },
    endGroup: () => {
      fake.log.push("endgroup");
    },
    summary: {
      addRaw: (text: string) => {
        fake.summaryText.push(text);
        return fake.summary;
      },
      write: () => Promise.resolve(fake.summary),
    },
  };
  return fake;
}

/**
 * A runner environment for a workspace with no event (no base: validation only); the caller
 * removes env.RUNNER_TEMP.
 */
export function runnerEnv(workspace: string, extra: Record<string, string> = {}) {
  const runnerTemp = mkdtempSync(join(tmpdir(), "netcompile-runner-"));
  return {
    env: {
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: runnerTemp,
      GITHUB_STEP_SUMMARY: join(runnerTemp, "summary.md"),
      GITHUB_EVENT_NAME: "push",
      ...extra,
    },
    cwd: workspace,
  };
}
