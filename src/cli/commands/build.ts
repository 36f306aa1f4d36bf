import { isAbsolute, join, relative, resolve } from "node:path";
import { diagnostic, fileSpan } from "../../diagnostics/make.js";
import { hasErrors } from "../../diagnostics/types.js";
import { compareTree, EmitError, emitTree } from "../../emit/emit.js";
import { LOCK_FILE, withLock } from "../../emit/lock.js";
import { FsRepoReader } from "../../load/reader.js";
import { compile, type CompileResult } from "../../pipeline.js";
import type { RenderedFile } from "../../render/types.js";
import { colorsFor, EXIT, type Io } from "../io.js";
import { displayPath, logDiagnostics } from "../output.js";

export interface BuildOptions {
  readonly repo: string;
  readonly out?: string;
  readonly check: boolean;
  readonly force: boolean;
}

export function buildCommand(options: BuildOptions, io: Io): number {
  const repo = resolve(io.cwd, options.repo);
  const explicitOut = options.out === undefined ? undefined : resolve(io.cwd, options.out);
  const excludeDirs =
    explicitOut && isInside(repo, explicitOut) ? [relative(repo, explicitOut)] : [];
  const repoShown = displayPath(io.cwd, repo);
  const result = compile(new FsRepoReader(repo, repoShown), { render: "all", excludeDirs });
  logDiagnostics(io, result, repoShown);
  if (!result.files || !result.model || hasErrors(result.diagnostics)) return EXIT.failed;

  const outDir = explicitOut ?? join(repo, result.model.cluster.outputDir);
  const tree = withLock(result.files, result.inputDigest);
  const shown = displayPath(io.cwd, outDir);
  if (options.check) return check(io, result, outDir, shown, tree);

  try {
    emitTree(outDir, tree, { force: options.force, inputs: repo });
  } catch (error) {
    if (!(error instanceof EmitError)) throw error;
    const d =
      error.kind === "not-ours"
        ? diagnostic("NC5004", fileSpan(shown), { dir: shown })
        : diagnostic("NC5002", fileSpan(shown), { what: shown, detail: error.message });
    logDiagnostics(io, { ...result, diagnostics: [d] }, ".");
    return EXIT.failed;
  }
  io.stdout.write(describeTree(io, shown, tree));
  return EXIT.ok;
}

function check(
  io: Io,
  result: CompileResult,
  outDir: string,
  shown: string,
  tree: RenderedFile[],
): number {
  const differences = compareTree(outDir, tree);
  if (differences.length === 0) {
    io.stdout.write(`${shown} is up to date (${tree.length} files)\n`);
    return EXIT.ok;
  }
  const words = {
    missing: "is missing",
    differs: "differs from what the repository renders",
    unexpected: "is not rendered by the repository",
  };
  const diagnostics = differences.map((d) =>
    diagnostic("NC5003", fileSpan(join(shown, d.path)), {
      file: join(shown, d.path),
      state: words[d.state],
    }),
  );
  logDiagnostics(io, { ...result, diagnostics }, ".");
  io.stdout.write(`${shown} is stale: ${differences.length} of ${tree.length} files differ\n`);
  for (const d of differences) io.stdout.write(`  ${d.state.padEnd(10)} ${d.path}\n`);
  return EXIT.failed;
}

/** What the build wrote: manifests one by one, host files per node (collapsed when many). */
function describeTree(io: Io, shown: string, tree: readonly RenderedFile[]): string {
  const c = colorsFor(io.stdout, io.env);
  const manifests = tree.filter((f) => f.path.startsWith("manifests/"));
  const hostFiles = tree.filter((f) => f.path.startsWith("hosts/"));
  const nodes = new Map<string, string[]>();
  for (const f of hostFiles) {
    // hosts/<node>/<file>
    const slash = f.path.indexOf("/", 6);
    const node = slash < 0 ? f.path.slice(6) : f.path.slice(6, slash);
    const file = slash < 0 ? "" : f.path.slice(slash + 1);
    const list = nodes.get(node);
    if (list) list.push(file);
    else nodes.set(node, [file]);
  }
  const lines = [`${c.green("wrote")} ${tree.length} files to ${c.bold(shown)}/`];
  lines.push(`  manifests/ ${c.dim("(Kubernetes objects: Argo CD syncs this folder)")}`);
  for (const f of manifests) lines.push(`    ${f.path.slice("manifests/".length)}`);
  if (nodes.size > 0) {
    lines.push(`  hosts/ ${c.dim(`(${nodes.size} nodes, ${hostFiles.length} files)`)}`);
    // Group nodes by their file list: usually one group, so the list is printed once.
    const byLayout = new Map<string, string[]>();
    for (const [name, files] of nodes) {
      const key = files.join("\n");
      const names = byLayout.get(key);
      if (names) names.push(name);
      else byLayout.set(key, [name]);
    }
    for (const [layout, names] of byLayout) {
      const shown =
        names.length > 8
          ? `${names.slice(0, 8).join(", ")} … and ${names.length - 8} more`
          : names.join(", ");
      lines.push(`    <node>/ for ${shown}:`);
      for (const file of layout.split("\n")) lines.push(`      ${file}`);
    }
  }
  lines.push(`  ${LOCK_FILE}`);
  return `${lines.join("\n")}\n`;
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
}
