/** `netcompile plan`: what changes against a base, and which changes disrupt traffic. */
import { resolve } from "node:path";
import { formatMessage } from "../../diagnostics/catalog.js";
import { sourceLinesFrom } from "../../diagnostics/format-text.js";
import { formatDiagnostics } from "../../diagnostics/output.js";
import { MARKDOWN_LIMITS } from "../../plan/format-markdown.js";
import { formatPlan, type PlanFormat } from "../../plan/output.js";
import {
  EXIT,
  docsUrl,
  exitCode,
  planRepo,
  snapshotAt,
  type BaseChoice,
} from "../../usecases/index.js";
import { repoFromOption } from "../repo.js";
import { colorsFor, type Io } from "../io.js";
import { terminalText } from "../../util/terminal.js";

export interface PlanOptions {
  readonly repo: string;
  readonly base?: string;
  readonly against?: string;
  /** A snapshot of the running cluster to plan against. */
  readonly live?: string;
  readonly format: PlanFormat;
  readonly detailedExitcode: boolean;
  /** Largest markdown output: a number of bytes, `comment` (65,536) or `summary` (1 MiB). */
  readonly markdownLimit: string;
}

export function planCommand(options: PlanOptions, io: Io): number {
  const limit = markdownLimit(options.markdownLimit);
  if (limit === undefined) {
    io.stderr.write(
      `netcompile: --markdown-limit must be a number of bytes, "comment" or "summary", not ${JSON.stringify(options.markdownLimit)}\n`,
    );
    return EXIT.usage;
  }
  const repo = repoFromOption(io, options.repo);
  if (!repo) return EXIT.usage;
  const base: BaseChoice =
    options.base !== undefined
      ? { kind: "git", ref: options.base }
      : options.against !== undefined
        ? { kind: "dir", dir: resolve(io.cwd, options.against) }
        : options.live !== undefined
          ? { kind: "live", location: snapshotAt(io.cwd, options.live, io.cwd) }
          : { kind: "own-output" };
  const result = planRepo(repo, { base, whenInvalid: "failed-plan" });

  if (result.baseError) {
    const error = result.baseError;
    const what = options.base ?? options.against ?? options.live ?? "";
    const message = formatMessage("NC6007", { base: what, detail: error.message });
    io.stderr.write(`netcompile: error NC6007: ${terminalText(message)}\n`);
    if (error.diagnostics.length === 0) return EXIT.usage;
    io.stderr.write(`the base's diagnostics (${terminalText(what)}):\n`);
    io.stderr.write(
      formatDiagnostics("text", error.diagnostics, {
        sources: sourceLinesFrom(error.sources),
        colors: colorsFor(io.stderr, io.env),
        docsUrl,
      }),
    );
    return EXIT.failed;
  }
  if (result.plan) {
    io.stdout.write(
      formatPlan(options.format, result.plan, {
        colors: colorsFor(io.stdout, io.env),
        sources: sourceLinesFrom(result.current.sources),
        pathPrefix: repo.shown,
        docsUrl,
        markdownLimit: limit,
      }),
    );
  }
  return exitCode(result.verdict, { detailedExitcode: options.detailedExitcode });
}

function markdownLimit(value: string): number | undefined {
  if (value === "comment" || value === "summary") return MARKDOWN_LIMITS[value];
  return /^[1-9]\d*$/.test(value) && Number(value) >= 1024 ? Number(value) : undefined;
}
