/**
 * Diagnostics as GitHub annotations on the files of the pull request. GitHub shows at most 10
 * annotations of each level (error, warning, notice) per step and drops the rest, so the most
 * severe are emitted first, at most 10 per level; the summary says how many more there are.
 */
import { relative, sep } from "node:path";
import { shownPath } from "../diagnostics/paths.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { ActionCore, AnnotationProperties } from "./core.js";
import { terminalText as t } from "../util/terminal.js";

export type AnnotationLevel = "error" | "warning" | "notice";

/** GitHub's per-step limit for each level. */
export const ANNOTATIONS_PER_LEVEL = 10;

export interface Annotation {
  readonly level: AnnotationLevel;
  readonly message: string;
  readonly properties: AnnotationProperties;
}

export interface AnnotationPlan {
  readonly shown: readonly Annotation[];
  /** How many of each level were not emitted (over the limit). */
  readonly notShown: Readonly<Record<AnnotationLevel, number>>;
}

const order: Record<AnnotationLevel, number> = { error: 0, warning: 1, notice: 2 };

/** Waived findings never fail the gate: they are notices, like infos. */
export function levelOf(d: Diagnostic): AnnotationLevel {
  if (d.waived) return "notice";
  return d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "notice";
}

/**
 * Chooses the annotations: errors, then warnings, then notices, each in the diagnostics' own
 * order (file, position), at most `perLevel` of each.
 * @param repoPrefix the repository folder relative to the workspace ("" at its root)
 */
export function planAnnotations(
  diagnostics: readonly Diagnostic[],
  repoPrefix: string,
  perLevel: number = ANNOTATIONS_PER_LEVEL,
): AnnotationPlan {
  const sorted = diagnostics
    .map((d, i) => ({ d, i, level: levelOf(d) }))
    .sort((a, b) => order[a.level] - order[b.level] || a.i - b.i);
  const count: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const notShown: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const shown: Annotation[] = [];
  for (const { d, level } of sorted) {
    if (count[level] >= perLevel) {
      notShown[level]++;
      continue;
    }
    count[level]++;
    shown.push({
      level,
      message: annotationMessage(d, repoPrefix),
      properties: properties(d, repoPrefix),
    });
  }
  return { shown, notShown };
}

export function emitAnnotations(core: ActionCore, plan: AnnotationPlan): void {
  for (const a of plan.shown) core[a.level](a.message, a.properties);
}

/** A repository path as the workspace sees it (what GitHub needs to place an annotation). */
export function workspacePath(repoPrefix: string, file: string): string {
  return shownPath(repoPrefix, file);
}

/** The repository folder relative to the workspace, in POSIX form ("" when it is the workspace). */
export function repoPrefixOf(workspace: string, repoDir: string): string {
  const rel = relative(workspace, repoDir);
  return rel.split(sep).join("/");
}

function properties(d: Diagnostic, repoPrefix: string): AnnotationProperties {
  const props: AnnotationProperties = {
    title: t(d.resource ? `${d.code} (${d.resource})` : d.code),
    file: t(workspacePath(repoPrefix, d.file)),
    startLine: d.line,
    endLine: Math.max(d.endLine, d.line),
  };
  // GitHub takes columns only for a span on one line.
  if (d.endLine <= d.line) {
    return { ...props, startColumn: d.column, endColumn: Math.max(d.endColumn, d.column) };
  }
  return props;
}

function annotationMessage(d: Diagnostic, repoPrefix: string): string {
  const lines = [t(d.message)];
  if (d.waived)
    lines.push(
      `waived: ${t(d.waived.reason)} (${t(workspacePath(repoPrefix, d.waived.file))}:${d.waived.line})`,
    );
  for (const r of d.related) {
    lines.push(`${t(workspacePath(repoPrefix, r.file))}:${r.line}:${r.column}: ${t(r.message)}`);
  }
  return lines.join("\n");
}
