/**
 * The part of @actions/core the Action uses, as a type: main.ts takes it as a parameter so the
 * tests pass a typed fake, and the real module is only bound in index.ts's default.
 */
import type * as actionsCore from "@actions/core";

export type AnnotationProperties = actionsCore.AnnotationProperties;

/** The job summary builder (core.summary): appended to, then written once. */
export interface SummaryWriter {
  addRaw(text: string, addEOL?: boolean): unknown;
  write(options?: { overwrite?: boolean }): Promise<unknown>;
}

export type ActionCore = Pick<
  typeof actionsCore,
  | "getInput"
  | "setOutput"
  | "setFailed"
  | "error"
  | "warning"
  | "notice"
  | "info"
  | "debug"
  | "startGroup"
  | "endGroup"
> & { readonly summary: SummaryWriter };

/** The process the Action runs in: its environment and working directory. */
export interface ActionEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}
