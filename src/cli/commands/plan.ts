import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatMessage } from "../../diagnostics/catalog.js";
import { formatText, sourceLinesFrom } from "../../diagnostics/format-text.js";
import { hasErrors } from "../../diagnostics/types.js";
import { FsRepoReader } from "../../load/reader.js";
import { compile } from "../../pipeline.js";
import { CLUSTER_DEFAULTS } from "../../model/defaults.js";
import type { Model } from "../../model/types.js";
import { BaseError, dirBase, gitBase, noBase } from "../../plan/base.js";
import { MARKDOWN_LIMITS } from "../../plan/format-markdown.js";
import { formatPlan, type PlanFormat } from "../../plan/output.js";
import { failedPlan, makePlan, note, type BaseSide } from "../../plan/plan.js";
import type { Plan } from "../../plan/types.js";
import { colorsFor, EXIT, type Io } from "../io.js";
import { displayPath } from "../output.js";

export interface PlanOptions {
  readonly repo: string;
  readonly base?: string;
  readonly against?: string;
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
  const repo = resolve(io.cwd, options.repo);
  const shown = displayPath(io.cwd, repo);
  const current = compile(new FsRepoReader(repo, shown), { render: "all" });

  let base: BaseSide;
  try {
    base = chooseBase(options, io, repo, current.model);
  } catch (error) {
    if (!(error instanceof BaseError)) throw error;
    const what = options.base ?? options.against ?? "";
    const message = formatMessage("NC6007", { base: what, detail: error.message });
    io.stderr.write(`netcompile: error NC6007: ${message}\n`);
    if (error.diagnostics.length) {
      io.stderr.write(`the base's diagnostics (${what}):\n`);
      const colors = colorsFor(io.stderr, io.env);
      io.stderr.write(formatText(error.diagnostics, sourceLinesFrom(error.sources), colors));
      return EXIT.failed;
    }
    return EXIT.usage;
  }

  let plan: Plan;
  if (!current.model || !current.files || hasErrors(current.diagnostics)) {
    const errors = current.diagnostics.filter((d) => d.severity === "error").length;
    plan = failedPlan(
      base.info,
      [...base.notes, note("NC6008", { count: errors })],
      current.diagnostics,
    );
  } else {
    plan = makePlan(base, {
      model: current.model,
      files: current.files,
      diagnostics: current.diagnostics,
    });
  }

  io.stdout.write(
    formatPlan(options.format, plan, {
      colors: colorsFor(io.stdout, io.env),
      sources: sourceLinesFrom(current.sources),
      pathPrefix: shown,
      markdownLimit: limit,
    }),
  );

  if (!plan.complete || hasErrors(plan.diagnostics)) return EXIT.failed;
  if (!options.detailedExitcode) return EXIT.ok;
  return plan.changes.length || plan.disruptions.length ? EXIT.changes : EXIT.ok;
}

function chooseBase(
  options: PlanOptions,
  io: Io,
  repo: string,
  model: Model | undefined,
): BaseSide {
  if (options.base !== undefined) return gitBase(repo, options.base);
  if (options.against !== undefined) {
    const dir = resolve(io.cwd, options.against);
    return dirBase(dir, displayPath(io.cwd, dir), model);
  }
  const out = join(repo, model?.cluster.outputDir ?? CLUSTER_DEFAULTS.outputDir);
  const outShown = displayPath(io.cwd, out);
  if (existsSync(out)) return dirBase(out, outShown, model);
  return noBase(`no --base or --against, and ${outShown} does not exist`);
}

function markdownLimit(value: string): number | undefined {
  if (value === "comment" || value === "summary") return MARKDOWN_LIMITS[value];
  return /^[1-9]\d*$/.test(value) && Number(value) >= 1024 ? Number(value) : undefined;
}
