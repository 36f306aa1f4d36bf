/**
 * The sides a plan compares the repository with (chosen in src/usecases/plan.ts):
 *   a git commit   the repository as it was then, compiled: a full model (modelBase)
 *   a folder       a rendered tree (e.g. the one Argo CD syncs): facts reconstructed from it
 *   nothing        no base (noBase, absentBase)
 */
import * as fs from "node:fs";
import { existsSync, lstatSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/types.js";
import { hasErrors, sortDiagnostics } from "../diagnostics/types.js";
import { LOCK_FILE } from "../emit/lock.js";
import type { SourceFile } from "../load/load.js";
import type { Model } from "../model/types.js";
import type { CompileResult } from "../pipeline.js";
import { checkRenderedFiles } from "../render/check.js";
import { buildHostModels, hostModelComparison } from "../render/host-model.js";
import { renderAll, renderHostFiles } from "../render/index.js";
import type { RenderedFile } from "../render/types.js";
import type { ThreadFunction } from "../util/thread.js";
import { EMPTY_FACTS, factsFromManifests, factsFromModel } from "./facts.js";
import { hostPath } from "./host-diff.js";
import { note, type BaseSide } from "./plan.js";
import type { BaseInfo } from "./types.js";

/** The base cannot be read at all (an unknown ref, a missing folder, a broken base). */
export class BaseError extends Error {
  constructor(
    message: string,
    /** The base's own diagnostics, when it was read but does not load. */
    readonly diagnostics: readonly Diagnostic[] = [],
    readonly sources: ReadonlyMap<string, SourceFile> = new Map(),
  ) {
    super(message);
  }
}

/** What a git base is called in the plan: the ref as given, its commit, the folder in it. */
export interface GitBaseInfo {
  readonly kind: "git";
  readonly ref: string;
  readonly commit: string;
  readonly description: string;
}

/** A git base that has no netcompile.yaml (the repository did not exist yet): nothing to compare. */
export function absentBase(info: GitBaseInfo, why: string): BaseSide {
  return {
    info: { ...info, analysis: "none" },
    files: [],
    facts: EMPTY_FACTS,
    notes: [note("NC6006", { why })],
  };
}

/**
 * The base from its compiled repository: its model and rendered tree. A base with rule findings
 * only (no load, schema or resolve error) still has a sound model: it is rendered and planned,
 * with a note (NC6004). Anything else is a BaseError.
 */
export function modelBase(
  info: Omit<BaseInfo, "analysis">,
  result: {
    readonly model: Model | undefined;
    readonly files: readonly RenderedFile[] | undefined;
    readonly diagnostics: readonly Diagnostic[];
    readonly sources: ReadonlyMap<string, SourceFile>;
  },
): BaseSide {
  if (result.files && result.model && !hasErrors(result.diagnostics)) {
    return {
      info: { ...info, analysis: "model" },
      files: result.files,
      facts: factsFromModel(result.model),
      notes: [],
    };
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const first = errors[0];
  const firstText = first ? `${first.file}:${first.line}: ${first.message}` : "unknown";
  // Only rule findings (not load, schema or resolve errors): the model is sound, render it.
  const rulesOnly = result.model && errors.every((d) => !/^NC\d{4}$/.test(d.code));
  const files = rulesOnly ? tryRender(result.model!) : undefined;
  if (!files) {
    throw new BaseError(
      `it does not validate (${errors.length} error(s), the first: ${firstText})`,
      result.diagnostics,
      result.sources,
    );
  }
  return {
    info: { ...info, analysis: "model" },
    files,
    facts: factsFromModel(result.model!),
    notes: [note("NC6004", { base: info.description, count: errors.length, first: firstText })],
  };
}

/**
 * A git base's compile, rendered as far as the plan needs: `result` rendered only its manifests.
 * A host's files are a function of its host model alone (render/index.ts), so a base host whose
 * host model the current repository shares has the current one's files, already rendered and
 * checked: only the other hosts are rendered (and checked) here. A pool's settings changed, say,
 * and no host needs rendering twice.
 */
export function withHostFiles(result: CompileResult, current?: CompileResult): CompileResult {
  if (!result.files || !result.model || hasErrors(result.diagnostics)) return result;
  const reusable =
    current?.model && current.files && !hasErrors(current.diagnostics)
      ? {
          hosts: new Map(buildHostModels(current.model).map((h) => [h.node, h])),
          files: byHost(current.files),
        }
      : undefined;
  const same = hostModelComparison();
  const rendered: RenderedFile[] = [];
  const hostFiles: RenderedFile[] = [];
  for (const host of buildHostModels(result.model)) {
    const now = reusable?.hosts.get(host.node);
    if (now && same(host, now)) hostFiles.push(...(reusable!.files.get(host.node) ?? []));
    else rendered.push(...renderHostFiles(host));
  }
  const problems = checkRenderedFiles(rendered);
  if (problems.length > 0) {
    const diagnostics = sortDiagnostics([...result.diagnostics, ...problems]);
    return { ...result, files: undefined, diagnostics };
  }
  return { ...result, files: sortedByPath([...result.files, ...hostFiles, ...rendered]) };
}

/** Rendered files by the node whose hosts/<node>/ they are in. */
function byHost(files: readonly RenderedFile[]): Map<string, RenderedFile[]> {
  const out = new Map<string, RenderedFile[]>();
  for (const f of files) {
    const host = hostPath(f.path);
    if (!host) continue;
    const list = out.get(host.node);
    if (list) list.push(f);
    else out.set(host.node, [f]);
  }
  return out;
}

const sortedByPath = (files: RenderedFile[]) =>
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

function tryRender(model: Model): RenderedFile[] | undefined {
  try {
    return renderAll(model, "all");
  } catch {
    return undefined;
  }
}

/**
 * A rendered tree on disk; `current` lends its topology's labels to the reconstruction. `read`:
 * the tree already read (readTree, e.g. on another thread while the repository compiled).
 */
export function dirBase(
  dir: string,
  shown: string,
  current: Model | undefined,
  read?: () => readonly (readonly [string, string])[],
): BaseSide {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory())
    throw new BaseError(`${shown} is not a folder`);
  const tree = read ? read() : readTree({ root: dir, skip: LOCK_FILE }, fs, () => false);
  const files: RenderedFile[] = tree.map(([path, content]) => ({ path, content }));
  const notes = existsSync(join(dir, LOCK_FILE))
    ? []
    : [
        note("NC6005", {
          what: `${LOCK_FILE} (so it may not be netcompile output)`,
          consequence: "every file in it is compared as if netcompile had written it",
        }),
      ];
  return {
    info: { kind: "dir", ref: shown, commit: undefined, description: shown, analysis: "manifests" },
    files,
    facts: factsFromManifests(files, current),
    notes,
  };
}

export function noBase(why: string): BaseSide {
  return {
    info: {
      kind: "none",
      ref: undefined,
      commit: undefined,
      description: "nothing",
      analysis: "none",
    },
    files: [],
    facts: EMPTY_FACTS,
    notes: [note("NC6006", { why })],
  };
}

/**
 * Every file of a rendered tree but dot-files, dot-folders (a checkout's .git) and `skip` (the
 * lock file), as [path, content], sorted by path. Symbolic links are neither files nor folders:
 * left out. Runs from its source text on another thread (util/thread.ts): it uses nothing but
 * its arguments.
 */
export const readTree: ThreadFunction<{ root: string; skip: string }, [string, string][]> = (
  { root, skip },
  io,
) => {
  const out: [string, string][] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of io.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(`${dir}/${entry.name}`, rel);
      else if (entry.isFile() && rel !== skip)
        out.push([rel, io.readFileSync(`${dir}/${entry.name}`, "utf8")]);
    }
  };
  walk(root, "");
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
};
