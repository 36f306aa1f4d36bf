/**
 * The plan formats by name — text, markdown, json — for `plan --format`, the Action's log,
 * job summary and plan file. A new format is one file with its formatter and one line here.
 */
import pc from "picocolors";
import type { Colors } from "picocolors/types.js";
import type { SourceLines } from "../diagnostics/format-text.js";
import { chooseFormat, outputText, type Output, type Sink } from "../util/output.js";
import { formatPlanJson } from "./format-json.js";
import { formatPlanMarkdown } from "./format-markdown.js";
import { formatPlanText } from "./format-text.js";
import type { Plan } from "./types.js";

export interface PlanOutputOptions {
  /** text: colours (none unless given). */
  readonly colors?: Colors;
  /** text: each code's documentation link (none unless given). */
  readonly docsUrl?: (code: string) => string | undefined;
  /** text: the repository's files, for the source line under each diagnostic. */
  readonly sources?: SourceLines;
  /** Prefix for the repository's file paths, the repository as the user named it. */
  readonly pathPrefix?: string;
  /** markdown: the largest output in UTF-8 bytes (MARKDOWN_LIMITS.comment unless given). */
  readonly markdownLimit?: number;
}

type Factory = (sink: Sink, options: PlanOutputOptions) => Output<Plan>;

/** One plan per write, printed at once: a plan is a whole document. */
function each(sink: Sink, render: (plan: Plan) => string): Output<Plan> {
  return { write: (plan) => void sink.write(render(plan)), flush: () => undefined };
}

const NO_SOURCES: SourceLines = { line: () => undefined };

const FORMATS = {
  text: (sink, o) =>
    each(sink, (plan) =>
      formatPlanText(plan, {
        colors: o.colors ?? pc.createColors(false),
        sources: o.sources ?? NO_SOURCES,
        pathPrefix: o.pathPrefix,
        docsUrl: o.docsUrl,
      }),
    ),
  markdown: (sink, o) =>
    each(sink, (plan) =>
      formatPlanMarkdown(plan, {
        ...(o.markdownLimit === undefined ? {} : { limit: o.markdownLimit }),
        pathPrefix: o.pathPrefix,
      }),
    ),
  json: (sink, o) => each(sink, (plan) => formatPlanJson(plan, { pathPrefix: o.pathPrefix })),
} satisfies Record<string, Factory>;

export type PlanFormat = keyof typeof FORMATS;

/** Every plan format, in the order usage lists them. */
export const PLAN_FORMATS = Object.keys(FORMATS) as PlanFormat[];

/** The output for `format`; an unknown name throws UnknownFormatError listing the names. */
export function newPlanOutput(
  format: string,
  sink: Sink,
  options: PlanOutputOptions = {},
): Output<Plan> {
  const factory: Factory = chooseFormat("plan", FORMATS, format);
  return factory(sink, options);
}

/** The plan in `format`, as a string. */
export function formatPlan(format: string, plan: Plan, options: PlanOutputOptions = {}): string {
  return outputText((sink) => newPlanOutput(format, sink, options), [plan]);
}
