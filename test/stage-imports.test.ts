/**
 * The stages of src/ import in one direction only. A stage is a folder of src/ (load, schema,
 * model, policy, render, plan, …) or a module at its top (pipeline.ts); an import between two
 * stages is an edge, and any cycle of edges fails this test with the imports that make it.
 * Test files (*.test.ts) are not stages' code and are skipped: a test may drive the whole
 * pipeline. Type-only imports count: a type shared both ways is a cycle all the same.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const srcDir = join(import.meta.dirname, "..", "src");

/**
 * Cycles that exist today and are known, each as its stages in sorted order. An entry must still
 * be a cycle (the test fails when it is gone, so the entry is removed with the fix).
 */
const KNOWN_CYCLES: readonly (readonly string[])[] = [];

type Edges = Map<string, Map<string, string>>;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    // Rule testers (policy/tester.ts, plan/rule-tester.ts) are test support: they compile their
    // cases through the pipeline as the commands do, so they stand outside the stages' order.
    else if (entry.name.endsWith(".ts") && !/(\.test|(^|-)tester)\.ts$/.test(entry.name))
      out.push(path);
  }
  return out;
}

/** The stage a file of src/ belongs to: its top folder, or its own name at the top. */
function stageOf(file: string): string {
  return relative(srcDir, file).split(/[\\/]/)[0]!;
}

/** Stage -> stage -> one import that makes the edge ("src/a/x.ts imports src/b/y.ts"). */
function stageEdges(): Edges {
  const edges: Edges = new Map();
  for (const file of sourceFiles(srcDir)) {
    const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = resolve(dirname(file), fileName).replace(/\.js$/, ".ts");
      const from = stageOf(file);
      const to = stageOf(target);
      if (from === to || relative(srcDir, target).startsWith("..")) continue;
      const out = edges.get(from) ?? new Map<string, string>();
      edges.set(from, out);
      if (!out.has(to)) {
        out.set(to, `src/${relative(srcDir, file)} imports src/${relative(srcDir, target)}`);
      }
    }
  }
  return edges;
}

/** Strongly connected components with more than one stage (Tarjan), each sorted. */
export function cycles(edges: Edges): string[][] {
  const nodes = [
    ...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])]),
  ];
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of nodes.sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

/** The imports inside one cycle, for the failure message. */
function explain(edges: Edges, component: readonly string[]): string {
  const inside = new Set(component);
  const lines: string[] = [];
  for (const from of component) {
    for (const [to, why] of edges.get(from) ?? []) {
      if (inside.has(to)) lines.push(`  ${from} -> ${to}: ${why}`);
    }
  }
  return lines.join("\n");
}

describe("stage imports", () => {
  const edges = stageEdges();
  const found = cycles(edges);
  const known = new Set(KNOWN_CYCLES.map((c) => c.join()));

  it("finds the stages and the imports between them", () => {
    expect([...edges.keys()]).toEqual(expect.arrayContaining(["plan", "policy", "model", "cli"]));
    expect(edges.get("plan")?.has("policy")).toBe(true);
    expect(edges.get("pipeline.ts")?.has("render")).toBe(true);
  });

  it("has no cycle between stages", () => {
    const unknown = found.filter((c) => !known.has(c.join()));
    const message = unknown
      .map((c) => `cycle ${c.join(" <-> ")}:\n${explain(edges, c)}`)
      .join("\n");
    expect(unknown, message).toEqual([]);
  });

  it("lists only known cycles that still exist", () => {
    const now = new Set(found.map((c) => c.join()));
    expect(KNOWN_CYCLES.filter((c) => !now.has(c.join()))).toEqual([]);
  });

  it("detects a cycle through several stages, and none in a chain", () => {
    const graph = (pairs: [string, string][]): Edges => {
      const g: Edges = new Map();
      for (const [a, b] of pairs)
        g.set(a, (g.get(a) ?? new Map<string, string>()).set(b, `${a} imports ${b}`));
      return g;
    };
    expect(
      cycles(
        graph([
          ["plan", "policy"],
          ["policy", "pipeline.ts"],
          ["pipeline.ts", "plan"],
          ["plan", "model"],
        ]),
      ),
    ).toEqual([["pipeline.ts", "plan", "policy"]]);
    expect(
      cycles(
        graph([
          ["plan", "policy"],
          ["policy", "model"],
          ["plan", "model"],
        ]),
      ),
    ).toEqual([]);
  });
});
