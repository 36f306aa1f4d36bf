/** Source spans: map a path inside a YAML document to file, line and column. */
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { Span } from "../diagnostics/types.js";

type Path = readonly (string | number)[];

/** Finds the span of a field (by path below the object) in the YAML it came from. */
export interface SourceRef {
  /** The span of the whole object (a document, or a list item). */
  readonly span: Span;
  /** The span of the value at `path` below this object; the nearest present ancestor when absent. */
  at(path: Path): Span;
  /** The span of the key at `path` (for "unknown field" and similar); falls back to `at`. */
  keyAt(path: Path): Span;
  /** A SourceRef for a child object (a list item, a nested mapping). */
  child(path: Path): SourceRef;
}

export class YamlSourceRef implements SourceRef {
  constructor(
    private readonly file: string,
    private readonly lineCounter: LineCounter,
    private readonly root: Node | null,
    private readonly base: Path = [],
  ) {
    Object.freeze(this);
  }

  get span(): Span {
    return this.at([]);
  }

  at(path: Path): Span {
    const { node } = this.walk([...this.base, ...path]);
    return this.spanOfNode(node);
  }

  keyAt(path: Path): Span {
    const full = [...this.base, ...path];
    if (full.length === 0) return this.at(path);
    const { node, complete } = this.walk(full.slice(0, -1));
    const last = full[full.length - 1];
    if (complete && isMap(node)) {
      for (const pair of node.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === String(last)) {
          return this.spanOfNode(pair.key);
        }
      }
    }
    return this.at(path);
  }

  child(path: Path): SourceRef {
    return new YamlSourceRef(this.file, this.lineCounter, this.root, [...this.base, ...path]);
  }

  private walk(path: Path): { node: Node | null; complete: boolean } {
    let node: Node | null = this.root;
    for (const segment of path) {
      const next = childNode(node, segment);
      if (next === undefined) return { node, complete: false };
      node = next;
    }
    return { node, complete: true };
  }

  private spanOfNode(node: Node | null): Span {
    const range = node?.range;
    if (!range) return { file: this.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return spanOfRange(this.file, this.lineCounter, range[0], range[1]);
  }
}

function childNode(node: Node | null, segment: string | number): Node | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isScalar(pair.key) && String(pair.key.value) === String(segment)) {
        return (pair.value as Node | null) ?? pair.key;
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === "number") {
    const item = node.items[segment];
    return item === undefined || item === null ? undefined : (item as Node);
  }
  return undefined;
}

export function spanOfRange(
  file: string,
  lineCounter: LineCounter,
  start: number,
  end: number,
): Span {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(Math.max(start, end));
  return { file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}
