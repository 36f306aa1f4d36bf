/**
 * The sides a plan compares the repository with (chosen in src/usecases/plan.ts):
 *   a git commit   the repository as it was then, compiled: a full model (modelBase)
 *   a folder       a rendered tree (e.g. the one Argo CD syncs): facts reconstructed from it
 *   nothing        no base (noBase, absentBase)
 */
import { existsSync, lstatSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/types.js";
import { hasErrors, sortDiagnostics } from "../diagnostics/types.js";
import { LOCK_FILE } from "../emit/lock.js";
import { LIMITS } from "../load/limits.js";
import {
  readTree,
  type TreeRead,
  type TreeReading,
  type TreeReadRequest,
} from "../util/safe-fs.js";
import type { SourceFile } from "../load/load.js";
import type { Model } from "../model/types.js";
import { checkRenderedFiles } from "../render/check.js";
import { buildHostModels, hostModelComparison } from "../render/host-model.js";
import { renderAll, renderHostFiles } from "../render/index.js";
import type { RenderedFile } from "../render/types.js";
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
      facts: factsFromModel(result.model, result.files),
      notes: [],
    };
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const first = errors[0];
  const firstText = first ? `${first.file}:${first.line}: ${first.message}` : "unknown";
  // Only rule findings (not load, schema or resolve errors): the model is sound, render it.
  const { model } = result;
  const rulesOnly = model && errors.every((d) => !/^NC\d{4}$/.test(d.code));
  const files = rulesOnly ? tryRender(model) : undefined;
  if (!model || !files) {
    throw new BaseError(
      `it does not validate (${errors.length} error(s), the first: ${firstText})`,
      result.diagnostics,
      result.sources,
    );
  }
  return {
    info: { ...info, analysis: "model" },
    files,
    facts: factsFromModel(model, files),
    notes: [note("NC6004", { base: info.description, count: errors.length, first: firstText })],
  };
}

/** What withHostFiles reads of a compile (pipeline.ts CompileResult: a stage does not import it). */
interface Compiled {
  readonly diagnostics: readonly Diagnostic[];
  readonly model: Model | undefined;
  readonly files: readonly RenderedFile[] | undefined;
}

/**
 * A git base's compile, rendered as far as the plan needs: `result` rendered only its manifests.
 * A host's files are a function of its host model alone (render/index.ts), so a base host whose
 * host model the current repository shares has the current one's files, already rendered and
 * checked: only the other hosts are rendered (and checked) here. A pool's settings changed, say,
 * and no host needs rendering twice.
 */
export function withHostFiles<C extends Compiled>(result: C, current?: Compiled): C {
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
    if (reusable && now && same(host, now))
      hostFiles.push(...(reusable.files.get(host.node) ?? []));
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

/** A rendered tree on disk; `current` lends its topology's labels to the reconstruction. */
export function dirBase(
  dir: string,
  shown: string,
  current: Model | undefined,
  reading?: TreeReading,
): BaseSide {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory())
    throw new BaseError(`${shown} is not a folder`);
  const files = renderedFiles(reading?.join() ?? readTree(renderedTreeRequest(dir)), shown);
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
 * How a rendered tree is read: every file except dot-files and dot-folders (a checkout's .git)
 * and the lock file, as a repository is read (src/util/safe-fs.ts). `plan --against` starts it
 * on a thread (startTreeRead) while the repository compiles and reads what is left of it on this
 * one once compiled; dirBase reads it here otherwise.
 */
export function renderedTreeRequest(root: string): TreeReadRequest {
  return { root, maxBytes: LIMITS.maxOutputFileBytes, skipDotNames: true, skipFiles: [LOCK_FILE] };
}

/**
 * A rendered tree's files: a link, FIFO or device in it, or a file over
 * LIMITS.maxOutputFileBytes, is a BaseError naming it, never followed, opened or read whole.
 */
function renderedFiles(tree: TreeRead, shown: string): RenderedFile[] {
  const odd = tree.problems[0];
  if (odd)
    throw new BaseError(
      `${shown}/${odd.path} is ${odd.folder || odd.problem !== "symlink" ? odd.detail : "a symbolic link"}; a rendered tree holds only regular files and folders`,
    );
  const unread = tree.unread[0];
  if (unread)
    throw new BaseError(
      unread.problem === "too-large"
        ? `${shown}/${unread.path} is ${unread.size} bytes; the limit for a rendered file is ${LIMITS.maxOutputFileBytes} bytes (maxOutputFileBytes, see SECURITY.md)`
        : `cannot read ${shown}/${unread.path}: ${unread.detail}`,
    );
  return tree.files.map((f) => ({ path: f.path, content: f.bytes.toString("utf8") }));
}
