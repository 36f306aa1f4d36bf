/**
 * `import`: a repository written from a live snapshot. Reads the snapshot, makes the files
 * (src/live/import.ts), validates them as `validate` would, and writes them into a folder that
 * is new or empty — or, with `force`, replaces only the files import writes, leaving anything
 * else there. Each file is written beside its place and renamed over it, so a reader never
 * sees half a file. The repository is written even when it does not validate: it is what the
 * cluster runs, and its findings say what to fix (the verdict fails).
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/types.js";
import { importSnapshot, IMPORT_FILES, type ImportResult } from "../live/import.js";
import type { SnapshotLocation } from "../live/load.js";
import { readSnapshot, type LiveSnapshot } from "../live/snapshot.js";
import { MemoryRepoReader } from "../load/reader.js";
import { compile, type CompileResult } from "../pipeline.js";
import { overlaps } from "./live.js";
import { decide, type Verdict } from "./verdict.js";

export interface ImportRequest {
  readonly live: SnapshotLocation;
  /** The folder to write (absolute), and how messages name it. */
  readonly out: { readonly dir: string; readonly shown: string };
  /** Write into a folder that is not empty, replacing the files import writes. */
  readonly force?: boolean;
}

/**
 * unreadable: the snapshot cannot be read at all; invalid-snapshot: it has errors (nothing is
 * written); refused: the folder is not empty (or overlaps the snapshot); not-written: a write
 * failed; written.
 */
export type ImportOutcome =
  "unreadable" | "invalid-snapshot" | "refused" | "not-written" | "written";

export interface ImportOutput {
  readonly outcome: ImportOutcome;
  readonly snapshot: LiveSnapshot | undefined;
  readonly result: ImportResult | undefined;
  /** The snapshot's and the import's findings (paths as the snapshot location names them). */
  readonly diagnostics: readonly Diagnostic[];
  /** The written repository, compiled as `validate` compiles it (paths relative to it). */
  readonly validation: CompileResult | undefined;
  /** Files replaced in a folder that already held them (`force`). */
  readonly replaced: readonly string[];
  readonly verdict: Verdict;
}

export function importLive(request: ImportRequest): ImportOutput {
  const { live, out } = request;
  const finish = (
    outcome: ImportOutcome,
    fields: Partial<Omit<ImportOutput, "outcome" | "verdict">>,
  ): ImportOutput => {
    const diagnostics = sortDiagnostics(fields.diagnostics ?? []);
    const all = [...diagnostics, ...(fields.validation?.diagnostics ?? [])];
    return {
      outcome,
      snapshot: fields.snapshot,
      result: fields.result,
      diagnostics,
      validation: fields.validation,
      replaced: fields.replaced ?? [],
      verdict: decide({ diagnostics: all, incomplete: outcome !== "written" }),
    };
  };
  if (overlaps(out.dir, live.path)) {
    const d = diagnostic("NC7017", fileSpan(out.shown), { dir: out.shown, path: live.shown });
    return finish("refused", { diagnostics: [d] });
  }
  const snapshot = readSnapshot(live);
  if (!snapshot.readable)
    return finish("unreadable", { snapshot, diagnostics: snapshot.diagnostics });
  if (hasErrors(snapshot.diagnostics)) {
    return finish("invalid-snapshot", { snapshot, diagnostics: snapshot.diagnostics });
  }
  const result = importSnapshot(snapshot);
  const diagnostics = [...snapshot.diagnostics, ...result.diagnostics];

  const present = existingEntries(out.dir);
  if (present === "not-a-folder") {
    const d = diagnostic("NC5002", fileSpan(out.shown), {
      what: out.shown,
      detail: "it exists and is not a folder",
    });
    return finish("refused", { snapshot, result, diagnostics: [...diagnostics, d] });
  }
  if (present.length > 0 && !request.force) {
    const d = diagnostic("NC7013", fileSpan(out.shown), {
      dir: out.shown,
      files: IMPORT_FILES.join(", "),
    });
    return finish("refused", { snapshot, result, diagnostics: [...diagnostics, d] });
  }
  const validation = compile(new MemoryRepoReader(Object.fromEntries(result.files), out.shown), {
    render: "none",
  });
  const replaced = IMPORT_FILES.filter((f) => present.includes(f));
  try {
    writeFiles(out.dir, result.files);
  } catch (error) {
    const d = diagnostic("NC5002", fileSpan(out.shown), {
      what: out.shown,
      detail: (error as Error).message,
    });
    return finish("not-written", {
      snapshot,
      result,
      diagnostics: [...diagnostics, d],
      validation,
    });
  }
  return finish("written", { snapshot, result, diagnostics, validation, replaced });
}

/** The folder's entries, [] when it does not exist, or "not-a-folder". */
function existingEntries(dir: string): string[] | "not-a-folder" {
  if (!existsSync(dir)) return [];
  if (!lstatSync(dir).isDirectory()) return "not-a-folder";
  return readdirSync(dir);
}

function writeFiles(dir: string, files: ReadonlyMap<string, string>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of files) {
    const target = join(dir, name);
    const temp = join(dir, `.${name}.netcompile-import-${process.pid}`);
    try {
      writeFileSync(temp, content, { flag: "wx" });
      renameSync(temp, target);
    } finally {
      rmSync(temp, { force: true });
    }
  }
}
