/**
 * Load: discover the repository's YAML files and parse every document with source spans.
 * User mistakes become diagnostics; nothing here throws for bad input.
 */
import { isUtf8 } from "node:buffer";
import { createHash } from "node:crypto";
import picomatch from "picomatch";
import { closest, distance } from "fastest-levenshtein";
import {
  LineCounter,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node,
} from "yaml";
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import type { Diagnostic, Span } from "../diagnostics/types.js";
import { describeKinds, KINDS, lookupKind, type KindName } from "./kinds.js";
import { sep } from "node:path";
import type { PathProblem } from "../util/safe-fs.js";
import type { RepoReader } from "./reader.js";
import { spanOfRange, YamlSourceRef, type SourceRef } from "./source.js";
import { LIMITS } from "./limits.js";
import { DEFAULT_OUTPUT_DIR, LOCK_FILE, repositoryFolder } from "./output-folder.js";
import { must } from "../util/must.js";
import { checkDocument, findUnprintable } from "./yaml-checks.js";

export const ROOT_FILE = "netcompile.yaml";

export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly lineCounter: LineCounter;
}

export interface LoadedDocument {
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  readonly kind: KindName;
  readonly apiVersion: string;
  readonly name: string | undefined;
  readonly value: Record<string, unknown>;
  readonly node: Node;
  readonly source: SourceRef;
}

export interface LoadResult {
  readonly files: ReadonlyMap<string, SourceFile>;
  readonly documents: readonly LoadedDocument[];
  readonly diagnostics: readonly Diagnostic[];
  /** sha256 over every file read (path and bytes), in path order. */
  readonly inputDigest: string;
}

export interface LoadOptions {
  /** Extra repository-relative folders to leave out (e.g. an --out inside the repo). */
  readonly excludeDirs?: readonly string[];
}

export function loadRepository(reader: RepoReader, options: LoadOptions = {}): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, SourceFile>();
  const documents: LoadedDocument[] = [];
  const digest = createHash("sha256");

  const root = reader.readFile(ROOT_FILE, LIMITS.maxFileBytes);
  if (!root.ok) {
    diagnostics.push(
      root.problem === "absent"
        ? diagnostic("NC1007", fileSpan(ROOT_FILE), { dir: reader.description })
        : unreadableInput(ROOT_FILE, root, false),
    );
    return { files, documents, diagnostics, inputDigest: digest.digest("hex") };
  }

  let totalBytes = 0;
  let overTotal = false;
  const readOne = (path: string, bytes: Buffer): void => {
    totalBytes += bytes.length;
    digest.update(`${path}\0${bytes.length}\0`).update(bytes);
    const parsed = parseFile(path, bytes);
    files.set(path, parsed.file);
    diagnostics.push(...parsed.diagnostics);
    documents.push(...parsed.documents);
  };

  readOne(ROOT_FILE, root.bytes);
  const settings = discoverySettings(documents);
  const outputDir = repositoryFolder(settings.outputDir);
  const lockPath = outputDir === "" ? "" : `${outputDir}/${LOCK_FILE}`;
  // The output folder is a build's only when its lock file is a regular file (sizeOf: the disk
  // and git readers agree); without one, its YAML is neither output nor input (NC1045).
  const built = lockPath !== "" && reader.sizeOf(lockPath) !== undefined;
  // A link, folder or special file by the lock's name is neither trusted nor read (NC1047).
  if (lockPath !== "" && !built && reader.exists(lockPath))
    diagnostics.push(diagnostic("NC1047", fileSpan(lockPath), { path: lockPath }));
  const excluded = [
    ...(built ? [outputDir] : []),
    ...(options.excludeDirs ?? []).map(repositoryFolder),
  ].filter((d) => d !== "");
  const ignored = settings.ignore.length ? picomatch(settings.ignore, { dot: true }) : () => false;

  const isYaml = (path: string) => /\.ya?ml$/i.test(path);
  const below = (dir: string, path: string) => path === dir || path.startsWith(`${dir}/`);
  const hidden = (path: string) =>
    path.split("/").some((segment) => segment.startsWith(".") || segment === "node_modules") ||
    excluded.some((dir) => below(dir, path));
  // What spec.ignore and an unbuilt output folder leave out is said (NC1046, NC1045), not skipped.
  const ignoredYaml: string[] = [];
  const inOutput: string[] = [];
  const leftOutOnPurpose = (path: string): boolean => {
    if (!ignored(path)) return false;
    if (isYaml(path)) ignoredYaml.push(path);
    return true;
  };
  const inUnbuiltOutput = (path: string): boolean => {
    if (built || outputDir === "" || !below(outputDir, path)) return false;
    if (isYaml(path)) inOutput.push(path);
    return true;
  };

  // The output tree and --out folders are never input: a built repository's walk spares them.
  const excludedFolder = (dir: string) => excluded.includes(dir);
  // Nothing is skipped silently: a link, special file or unreadable folder where input could be
  // (in an unbuilt output folder too: its links are as suspect as any).
  for (const problem of reader.listProblems(excludedFolder)) {
    if (problem.path === ROOT_FILE || hidden(problem.path) || leftOutOnPurpose(problem.path))
      continue;
    if (problem.folder || isYaml(problem.path))
      diagnostics.push(unreadableInput(problem.path, problem, problem.folder));
  }

  for (const path of reader.listFiles(excludedFolder)) {
    if (path === ROOT_FILE || !isYaml(path) || hidden(path)) continue;
    if (leftOutOnPurpose(path) || inUnbuiltOutput(path)) continue;
    const size = reader.sizeOf(path) ?? 0;
    if (size > LIMITS.maxFileBytes) {
      diagnostics.push(
        diagnostic("NC1014", fileSpan(path), { what: path, size, limit: LIMITS.maxFileBytes }),
      );
      continue;
    }
    if (totalBytes + size > LIMITS.maxTotalBytes) {
      // Reported once, at the first file that does not fit; the rest is not read.
      if (!overTotal)
        diagnostics.push(
          diagnostic("NC1014", fileSpan(path), {
            what: `the repository's YAML files together (up to and including ${path})`,
            size: totalBytes + size,
            limit: LIMITS.maxTotalBytes,
          }),
        );
      overTotal = true;
      continue;
    }
    const read = reader.readFile(path, LIMITS.maxFileBytes);
    if (!read.ok) {
      diagnostics.push(unreadableInput(path, read, false));
      continue;
    }
    readOne(path, read.bytes);
  }
  diagnostics.push(...leftOutInput(documents, outputDir, inOutput, ignoredYaml));

  const overCount = checkCounts(documents);
  if (overCount.length > 0) {
    // Past a count limit nothing else is checked: the later stages' time grows with the counts.
    diagnostics.push(...overCount);
    return { files, documents: [], diagnostics, inputDigest: digest.digest("hex") };
  }
  diagnostics.push(...checkClusterPlacement(documents), ...checkDuplicateNames(documents));
  if (
    !documents.some((d) => d.kind === "Topology") &&
    !diagnostics.some((d) => d.severity === "error")
  ) {
    diagnostics.push(diagnostic("NC1013", fileSpan(ROOT_FILE)));
  }
  return { files, documents, diagnostics, inputDigest: digest.digest("hex") };
}

/**
 * What the walk left out on the repository's word, said rather than skipped: YAML in an output
 * folder no build wrote (NC1045, an error: it could be input that would otherwise never be
 * checked), and YAML matched by spec.ignore (NC1046, info).
 */
function leftOutInput(
  documents: readonly LoadedDocument[],
  outputDir: string,
  inOutput: readonly string[],
  ignoredYaml: readonly string[],
): Diagnostic[] {
  const cluster = documents.find((d) => d.kind === "Cluster" && d.file === ROOT_FILE);
  const at = (path: readonly string[], fallback: string): Span =>
    cluster && isPresentIn(cluster.value, path) ? cluster.source.at(path) : fileSpan(fallback);
  const out: Diagnostic[] = [];
  const sortedSet = (paths: readonly string[]) => [...new Set(paths)].sort();
  const listOf = (paths: readonly string[]) => {
    const sorted = sortedSet(paths);
    const shown = sorted.slice(0, LISTED_PATHS).join(", ");
    return sorted.length > LISTED_PATHS
      ? `${shown} and ${sorted.length - LISTED_PATHS} more`
      : shown;
  };
  if (inOutput.length > 0)
    out.push(
      diagnostic(
        "NC1045",
        at(["spec", "output", "dir"], must(sortedSet(inOutput)[0], "a file in the output folder")),
        {
          dir: outputDir,
          count: sortedSet(inOutput).length,
          files: listOf(inOutput),
          lock: LOCK_FILE,
        },
      ),
    );
  if (ignoredYaml.length > 0)
    out.push(
      diagnostic("NC1046", at(["spec", "ignore"], ROOT_FILE), {
        count: sortedSet(ignoredYaml).length,
        files: listOf(ignoredYaml),
      }),
    );
  return out;
}

/** How many left-out paths a message names before "and N more". */
const LISTED_PATHS = 5;

function isPresentIn(value: unknown, path: readonly string[]): boolean {
  let at: unknown = value;
  for (const key of path) {
    const record = asRecord(at);
    if (!record || !(key in record)) return false;
    at = record[key];
  }
  return true;
}

/** The diagnostic for an input path that cannot be read: each problem its own code. */
export function unreadableInput(
  path: string,
  why: { problem: PathProblem; detail: string; size?: number; at?: string },
  folder: boolean,
): Diagnostic {
  const at = why.at === undefined ? path : why.at.split(sep).join("/");
  const span = fileSpan(at);
  const what = folder ? "folder" : "file";
  switch (why.problem) {
    case "symlink":
      return diagnostic("NC1018", span, {
        path: at,
        what: folder ? "a symbolic link to a folder" : "a symbolic link",
      });
    case "not-regular":
      return diagnostic("NC1019", span, { path: at, what: why.detail });
    case "denied":
      return diagnostic("NC1020", span, { path: at, what });
    case "too-long":
      return diagnostic("NC1021", span, { path: at, what });
    case "too-large":
      return diagnostic("NC1014", span, {
        what: path,
        size: why.size ?? LIMITS.maxFileBytes + 1,
        limit: LIMITS.maxFileBytes,
      });
    case "absent":
      return diagnostic("NC1010", span, { what: path, detail: "the file vanished while reading" });
    case "io":
      return diagnostic("NC1010", span, { what: path, detail: why.detail });
  }
}

interface ParsedFile {
  readonly file: SourceFile;
  readonly documents: LoadedDocument[];
  readonly diagnostics: Diagnostic[];
}

function parseFile(path: string, bytes: Buffer): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const documents: LoadedDocument[] = [];
  const lineCounter = new LineCounter();
  // A byte order mark is not text: columns on line 1 count from the character after it.
  const decoded = bytes.toString("utf8");
  const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
  const file: SourceFile = { path, text, lineCounter };
  // A U+FFFD written in the file is text; only bytes that are not UTF-8 are refused.
  if (text.includes("\uFFFD") && !isUtf8(bytes)) {
    diagnostics.push(diagnostic("NC1044", fileSpan(path), { what: path }));
    return { file, documents, diagnostics };
  }
  const unprintable = findUnprintable(path, text);
  if (unprintable) {
    diagnostics.push(unprintable);
    return { file, documents, diagnostics };
  }

  // Counted before parsing: millions of empty documents take the parser minutes.
  let markers = 0;
  const marker = /^---(?=[ \t\r]|$)/gm;
  while (marker.exec(text) !== null) {
    if (++markers > LIMITS.maxDocuments) {
      diagnostics.push(
        diagnostic("NC1016", fileSpan(path), { file: path, limit: LIMITS.maxDocuments }),
      );
      return { file, documents, diagnostics };
    }
  }

  let docs: Document.Parsed[];
  try {
    // The core schema whatever a %YAML directive says, and no YAML 1.1 types behind known tags.
    docs = parseAllDocuments(text, {
      lineCounter,
      uniqueKeys: true,
      prettyErrors: false,
      schema: "core",
      resolveKnownTags: false,
    }) as Document.Parsed[];
  } catch (error) {
    // The parser recurses per nesting level; absurd nesting exhausts the stack.
    if (error instanceof RangeError) {
      diagnostics.push(diagnostic("NC1015", fileSpan(path), { limit: LIMITS.maxDepth }));
      return { file, documents, diagnostics };
    }
    throw error;
  }
  if (!Array.isArray(docs)) docs = [docs];

  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        if (/call stack/i.test(error.message)) {
          diagnostics.push(diagnostic("NC1015", fileSpan(path), { limit: LIMITS.maxDepth }));
          continue;
        }
        const span = spanOfRange(path, lineCounter, error.pos[0], error.pos[1]);
        if (error.code === "DUPLICATE_KEY") {
          // The error points at the key's first character; the key runs to its colon.
          const rest = text.slice(error.pos[0], text.indexOf("\n", error.pos[0]) >>> 0);
          const key = /^("[^"]*"|'[^']*'|[^:#]+?)\s*:/.exec(rest)?.[1] ?? rest.trim();
          const keySpan = spanOfRange(path, lineCounter, error.pos[0], error.pos[0] + key.length);
          diagnostics.push(diagnostic("NC1002", keySpan, { key: key.replace(/^["']|["']$/g, "") }));
        } else {
          diagnostics.push(diagnostic("NC1001", span, { detail: firstLine(error.message) }));
        }
      }
      return;
    }
    const root = doc.contents as Node | null;
    // An empty document (a trailing ---, or only comments) holds nothing.
    if (root === null || (isScalar(root) && root.value === null)) return;
    const source = new YamlSourceRef(path, lineCounter, root);
    const tooDeep = findTooDeep(root, LIMITS.maxDepth);
    if (tooDeep) {
      const range = tooDeep.range ?? [0, 0];
      diagnostics.push(
        diagnostic("NC1015", spanOfRange(path, lineCounter, range[0], range[0]), {
          limit: LIMITS.maxDepth,
        }),
      );
      return;
    }
    const checked = checkDocument(path, text, lineCounter, doc);
    diagnostics.push(...checked);
    if (checked.some((d) => d.severity === "error")) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: LIMITS.maxAliasCount });
    } catch (error) {
      if (error instanceof ReferenceError || error instanceof RangeError) {
        diagnostics.push(diagnostic("NC1009", source.span, { limit: LIMITS.maxAliasCount }));
        return;
      }
      throw error;
    }
    if (!isMap(root) || value === null || typeof value !== "object" || Array.isArray(value)) {
      diagnostics.push(diagnostic("NC1012", source.span, { type: describeType(value) }));
      return;
    }
    const record = value as Record<string, unknown>;
    const apiVersion = record.apiVersion;
    const kind = record.kind;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      const field = typeof apiVersion !== "string" ? "apiVersion" : "kind";
      const at = field in record ? source.at([field]) : source.span;
      diagnostics.push(diagnostic("NC1003", at, { field }));
      return;
    }
    const known = lookupKind(apiVersion, kind);
    if (!known) {
      diagnostics.push(
        diagnostic("NC1004", source.at(["kind"]), {
          what: `${apiVersion} ${kind}`,
          expected: describeKinds(),
          hint: kindHint(apiVersion, kind),
        }),
      );
      return;
    }
    const metadata = record.metadata;
    const name =
      metadata &&
      typeof metadata === "object" &&
      typeof (metadata as Record<string, unknown>).name === "string"
        ? ((metadata as Record<string, unknown>).name as string)
        : undefined;
    documents.push({
      file: path,
      index,
      kind: known,
      apiVersion,
      name,
      value: record,
      node: root,
      source,
    });
  });
  return { file, documents, diagnostics };
}

/** The first node nested deeper than `limit`, found without recursion. */
function findTooDeep(root: Node, limit: number): Node | undefined {
  const stack: [Node, number][] = [[root, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [node, depth] = top;
    if (depth > limit) return node;
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        const child = isPair(item) ? item.value : item;
        if (child && typeof child === "object" && "range" in child)
          stack.push([child as Node, depth + 1]);
      }
    }
  }
  return undefined;
}

function kindHint(apiVersion: string, kind: string): string {
  const sameKind = KINDS.find((k) => k.kind === kind);
  if (sameKind) return ` (${kind} is ${sameKind.apiVersions.join(" or ")}, not ${apiVersion})`;
  const names = KINDS.map((k) => k.kind);
  const guess = closest(kind, names);
  if (distance(kind.toLowerCase(), guess.toLowerCase()) <= 2) return ` (did you mean ${guess}?)`;
  if (!KINDS.some((k) => k.apiVersions.includes(apiVersion))) {
    return "; to keep other YAML in the repository, list it in the Cluster's spec.ignore";
  }
  return "";
}

/** The repository-wide count limits (documents, IPPools, subnets): an NC1017 naming each. */
function checkCounts(documents: readonly LoadedDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const over = (
    span: Span,
    what: "documents" | "IPPools" | "subnets",
    count: number,
    limitName: "maxDocuments" | "maxPools" | "maxSubnets",
  ) => diagnostic("NC1017", span, { count, what, limit: LIMITS[limitName], limitName });
  if (documents.length > LIMITS.maxDocuments) {
    const at = must(documents[LIMITS.maxDocuments], "the first document past the limit");
    out.push(over(at.source.span, "documents", documents.length, "maxDocuments"));
    return out;
  }
  const pools = documents.filter((d) => d.kind === "IPPool");
  if (pools.length > LIMITS.maxPools) {
    const at = must(pools[LIMITS.maxPools], "the first IPPool past the limit");
    out.push(over(at.source.span, "IPPools", pools.length, "maxPools"));
  }
  // Reported at the Topology whose subnets pass the limit, counting all of them.
  let subnets = 0;
  let past: LoadedDocument | undefined;
  for (const doc of documents) {
    if (doc.kind !== "Topology") continue;
    const list = asRecord(doc.value.spec)?.subnets;
    if (!Array.isArray(list)) continue;
    subnets += list.length;
    if (subnets > LIMITS.maxSubnets) past ??= doc;
  }
  if (past) out.push(over(past.source.at(["spec", "subnets"]), "subnets", subnets, "maxSubnets"));
  return out;
}

function checkClusterPlacement(documents: readonly LoadedDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const clusters = documents.filter((d) => d.kind === "Cluster");
  for (const c of clusters) {
    if (c.file !== ROOT_FILE) out.push(diagnostic("NC1011", c.source.at(["kind"])));
  }
  const inRoot = clusters.filter((c) => c.file === ROOT_FILE);
  if (inRoot.length === 0) out.push(diagnostic("NC1005", fileSpan(ROOT_FILE)));
  const first = inRoot[0];
  for (const extra of inRoot.slice(1)) {
    out.push(
      diagnostic(
        "NC1006",
        extra.source.at(["kind"]),
        {},
        {
          related: first
            ? [{ ...first.source.at(["kind"]), message: "the first Cluster is here" }]
            : [],
        },
      ),
    );
  }
  return out;
}

function checkDuplicateNames(documents: readonly LoadedDocument[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, LoadedDocument>();
  for (const doc of documents) {
    // IPPool names are checked by the pool-duplicate-name rule, with its own id.
    if (doc.name === undefined || doc.kind === "IPPool" || doc.kind === "Cluster") continue;
    const key = `${doc.kind}/${doc.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, doc);
      continue;
    }
    out.push(
      diagnostic(
        "NC1008",
        doc.source.at(["metadata", "name"]),
        { kind: doc.kind, name: doc.name },
        {
          resource: key,
          related: [{ ...first.source.at(["metadata", "name"]), message: "first defined here" }],
        },
      ),
    );
  }
  return out;
}

/** What discovery needs from netcompile.yaml before the schema has run: tolerant reads. */
function discoverySettings(documents: readonly LoadedDocument[]): {
  outputDir: string;
  ignore: string[];
} {
  const cluster = documents.find((d) => d.kind === "Cluster");
  const spec = asRecord(cluster?.value.spec);
  const output = asRecord(spec?.output);
  const outputDir = typeof output?.dir === "string" ? output.dir : DEFAULT_OUTPUT_DIR;
  const ignore = Array.isArray(spec?.ignore)
    ? spec.ignore.filter((g): g is string => typeof g === "string")
    : [];
  return { outputDir, ignore };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return Number.isInteger(value) ? "an integer" : "a number";
  if (typeof value === "boolean") return "a boolean";
  return typeof value;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
