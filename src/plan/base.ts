/**
 * Base selection: what the plan compares the repository with.
 *   --base GITREF  the repository as it was at a commit (read from git objects): a full model
 *   --against DIR  a rendered tree (e.g. the one Argo CD syncs): facts reconstructed from it
 *   neither        the repository's own output folder when it exists, else nothing
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/types.js";
import { hasErrors } from "../diagnostics/types.js";
import { LOCK_FILE } from "../emit/lock.js";
import { GitError, GitRepoReader } from "../load/git-reader.js";
import type { SourceFile } from "../load/load.js";
import type { Model } from "../model/types.js";
import { compile, type CompileResult } from "../pipeline.js";
import { renderAll } from "../render/index.js";
import type { RenderedFile } from "../render/types.js";
import { EMPTY_FACTS, factsFromManifests, factsFromModel } from "./facts.js";
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

export function gitBase(repoDir: string, ref: string): BaseSide {
  let reader: GitRepoReader;
  try {
    reader = new GitRepoReader(repoDir, ref);
  } catch (error) {
    if (error instanceof GitError) throw new BaseError(error.message);
    throw error;
  }
  const short = reader.commit.slice(0, 12);
  const where = reader.prefix ? `:${reader.prefix.replace(/\/$/, "")}` : "";
  const info = {
    kind: "git" as const,
    ref,
    commit: reader.commit,
    description: `${ref} (${short})${where}`,
  };
  if (reader.sizeOf("netcompile.yaml") === undefined) {
    return {
      info: { ...info, analysis: "none" },
      files: [],
      facts: EMPTY_FACTS,
      notes: [
        note("NC6006", {
          why: `${ref} has no netcompile.yaml${where ? ` in ${where.slice(1)}` : ""} (the repository did not exist yet)`,
        }),
      ],
    };
  }
  return modelBase(info, compile(reader, { render: "all" }));
}

/**
 * The base from its compiled repository: its model and rendered tree. A base with rule findings
 * only (no load, schema or resolve error) still has a sound model: it is rendered and planned,
 * with a note (NC6004). Anything else is a BaseError.
 */
export function modelBase(info: Omit<BaseInfo, "analysis">, result: CompileResult): BaseSide {
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

function tryRender(model: Model): RenderedFile[] | undefined {
  try {
    return renderAll(model, "all");
  } catch {
    return undefined;
  }
}

/** A rendered tree on disk; `current` lends its topology's labels to the reconstruction. */
export function dirBase(dir: string, shown: string, current: Model | undefined): BaseSide {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory())
    throw new BaseError(`${shown} is not a folder`);
  const files = readRenderedTree(dir);
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

/** Every file of a rendered tree except dot-files and dot-folders (a checkout's .git). */
function readRenderedTree(root: string): RenderedFile[] {
  const out: RenderedFile[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), rel);
      else if (entry.isFile() && rel !== LOCK_FILE)
        out.push({ path: rel, content: readFileSync(join(dir, entry.name), "utf8") });
    }
  };
  walk(root, "");
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
