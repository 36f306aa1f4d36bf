/**
 * The pipeline: load -> schema -> resolve -> policy -> render. Each stage is a pure function
 * of the previous one's output; only emit (src/emit) writes. Diagnostics are collected at
 * every stage; a stage runs only when the ones before it found no error — except that documents
 * failing their schema are left out and the rest still goes through resolve and the rules (a
 * partial model, partial.ts), so one schema error does not hide every other finding.
 */
import type { Diagnostic } from "./diagnostics/types.js";
import { hasErrors, sortDiagnostics } from "./diagnostics/types.js";
import { loadRepository, type LoadOptions, type SourceFile } from "./load/load.js";
import type { RepoReader } from "./load/reader.js";
import { resolveModel } from "./model/resolve.js";
import type { Model } from "./model/types.js";
import { runRules } from "./policy/engine.js";
import { isPlanRule, type AnyRule } from "./policy/rule.js";
import { rules } from "./policy/rules/index.js";
import { partialModel } from "./partial.js";
import { checkRenderedFiles } from "./render/check.js";
import { checkFileNames } from "./render/file-names.js";
import { renderAll, renderDiagnostics } from "./render/index.js";
import type { RenderedFile } from "./render/types.js";
import { validateDocuments } from "./schema/validate.js";

export interface CompileOptions extends LoadOptions {
  /** What to render: everything (build), only Kubernetes manifests (render), or nothing (validate). */
  readonly render?: "all" | "manifests" | "none";
  /** false: stop at the model, before the rules (the rule tester runs one rule itself). */
  readonly rules?: boolean;
  /**
   * With render "manifests": the caller renders the host files itself (a plan's git base,
   * plan/base.ts withHostFiles), so rendering speaks of the whole tree, as `build`'s does.
   */
  readonly hostFilesLater?: boolean;
}

export interface CompileResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
  readonly model: Model | undefined;
  /** Present only when rendering was asked for and nothing failed. */
  readonly files: readonly RenderedFile[] | undefined;
  readonly inputDigest: string;
}

export function compile(reader: RepoReader, options: CompileOptions = {}): CompileResult {
  const loaded = loadRepository(reader, options);
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const done = (model?: Model, files?: readonly RenderedFile[]): CompileResult => ({
    diagnostics: sortDiagnostics(diagnostics),
    sources: loaded.files,
    model,
    files,
    inputDigest: loaded.inputDigest,
  });

  const valid = validateDocuments(loaded.documents);
  diagnostics.push(...valid.diagnostics);
  if (hasErrors(loaded.diagnostics)) return done();
  const partial = partialModel(valid.rejected);
  if (partial.noModel) {
    diagnostics.push(...partial.leftOut(rules));
    return done();
  }

  const resolved = resolveModel(valid.documents);
  const resolveDiagnostics = partial.keep(resolved.diagnostics);
  diagnostics.push(...resolveDiagnostics);
  const model = resolved.model;
  const fileNames = model ? partial.keep(checkFileNames(model)) : [];
  diagnostics.push(...fileNames);
  if (!model || hasErrors(resolveDiagnostics) || hasErrors(fileNames) || options.rules === false) {
    diagnostics.push(...partial.leftOut(rulesFor(model)));
    return done(model);
  }

  diagnostics.push(...partial.keep(runRules(model, rules, { incomplete: partial.incomplete })));
  diagnostics.push(...partial.leftOut(rulesFor(model)));
  const what = options.render ?? "none";
  if (what === "none" || hasErrors(diagnostics)) return done(model);

  const files = renderAll(model, what);
  const tree = options.hostFilesLater ? "all" : what;
  diagnostics.push(...renderDiagnostics(model, tree), ...checkRenderedFiles(files));
  if (hasErrors(diagnostics)) return done(model);
  return done(model, files);
}

/** The rules that could report on this model: the operator's only when it installs Calico. */
function rulesFor(model: Model | undefined): readonly AnyRule[] {
  if (!model || model.cluster.install === "operator") return rules;
  return rules.filter((r) => isPlanRule(r) || r.meta.category !== "operator");
}
