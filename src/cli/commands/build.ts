/** `netcompile build`: write the rendered tree and say what was written; `--check` compares only. */
import { resolve } from "node:path";
import { LOCK_FILE } from "../../emit/lock.js";
import type { RenderedFile } from "../../render/types.js";
import { EXIT, buildRepo, exitCode } from "../../usecases/index.js";
import { repoFromOption } from "../repo.js";
import { naturalCompare } from "../../util/text.js";
import { colorsFor, type Io } from "../io.js";
import { logDiagnostics } from "../output.js";
import { terminalText as t } from "../../util/terminal.js";

export interface BuildOptions {
  readonly repo: string;
  readonly out?: string;
  readonly check: boolean;
  readonly force: boolean;
}

export function buildCommand(options: BuildOptions, io: Io): number {
  const repo = repoFromOption(io, options.repo);
  if (!repo) return EXIT.usage;
  const result = buildRepo(repo, {
    out: options.out === undefined ? undefined : resolve(io.cwd, options.out),
    check: options.check,
    force: options.force,
  });
  logDiagnostics(io, result.compiled, repo.shown);
  // The output step's findings name paths from the working directory already.
  logDiagnostics(io, { diagnostics: result.outputDiagnostics }, ".");
  const { out, tree } = result;
  if (out && tree) {
    if (result.outcome === "up-to-date")
      io.stdout.write(`${t(out.shown)} is up to date (${tree.length} files)\n`);
    else if (result.outcome === "stale") {
      io.stdout.write(
        `${t(out.shown)} is stale: ${result.differences.length} of ${tree.length} files differ\n`,
      );
      for (const d of result.differences) io.stdout.write(`  ${d.state.padEnd(10)} ${t(d.path)}\n`);
    } else if (result.outcome === "written") io.stdout.write(describeTree(io, out.shown, tree));
  }
  return exitCode(result.verdict);
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
  const lines = [`${c.green("wrote")} ${tree.length} files to ${c.bold(t(shown))}/`];
  // Static host networking writes no manifests/ (NC5038): no heading for a folder not written.
  if (manifests.length > 0)
    lines.push(`  manifests/ ${c.dim("(Kubernetes objects: Argo CD syncs this folder)")}`);
  for (const f of manifests) lines.push(`    ${t(f.path.slice("manifests/".length))}`);
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
    for (const [layout, unsorted] of byLayout) {
      const names = unsorted.sort(naturalCompare);
      const shown =
        names.length > 8
          ? `${names.slice(0, 8).join(", ")} … and ${names.length - 8} more`
          : names.join(", ");
      lines.push(`    <node>/ for ${t(shown)}:`);
      for (const file of layout.split("\n")) lines.push(`      ${t(file)}`);
    }
  }
  lines.push(`  ${LOCK_FILE}`);
  return `${lines.join("\n")}\n`;
}
