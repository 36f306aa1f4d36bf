/**
 * Reading a live snapshot: a file or a folder of files, JSON or YAML, Lists or single objects,
 * as `kubectl get … -o json|yaml` and `calicoctl get … -o yaml` print them. Files are read
 * through the repository reader (src/load/reader.ts: regular files only, no symbolic links,
 * nothing outside the folder), each size-checked before it is read. Every problem is a
 * diagnostic naming the file (and the line, where there is one); nothing here throws for bad
 * input. Objects of kinds a snapshot is not read for are counted and reported, never dropped
 * silently.
 */
import { isUtf8 } from "node:buffer";
import { lstatSync } from "node:fs";
import { basename, dirname, join, posix } from "node:path";
import { constructFromEvents, parseEvents, type Event } from "js-yaml";
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import type { Diagnostic, Span } from "../diagnostics/types.js";
import { describeType } from "../load/load.js";
import { FsRepoReader, type RepoReader } from "../load/reader.js";
import type { SourceRef } from "../load/source.js";
import { plural } from "../util/text.js";
import { describeLiveKinds, lookupLiveKind, type LiveKind } from "./kinds.js";
import { splitKubectlList } from "./json-list.js";
import { LIVE_LIMITS, type LiveLimits } from "./limits.js";
import {
  JsonPositions,
  JsonSourceRef,
  LineIndex,
  YamlEventSourceRef,
  YamlPositions,
} from "./positions.js";

/** One Kubernetes object of the snapshot, as read (a List's items one by one). */
export interface SnapshotObject {
  readonly kind: LiveKind;
  readonly apiVersion: string;
  readonly name: string | undefined;
  readonly value: Readonly<Record<string, unknown>>;
  /** The file as messages name it. */
  readonly file: string;
  /** The file relative to the snapshot (what import's comments cite). */
  readonly snapshotFile: string;
  readonly source: SourceRef;
}

export interface LoadedSnapshot {
  /** The snapshot as locations name it. */
  readonly path: string;
  /** The snapshot as messages name it (from the working directory). */
  readonly display: string;
  readonly objects: readonly SnapshotObject[];
  /** Files read, relative to the snapshot (a single file: its name). */
  readonly files: readonly string[];
  /** Objects ignored, per "apiVersion kind" (what the summary and NC7005 count). */
  readonly ignored: ReadonlyMap<string, number>;
  readonly diagnostics: readonly Diagnostic[];
  /** False when the snapshot could not be read at all (NC7001): nothing else is known. */
  readonly readable: boolean;
}

export interface SnapshotLocation {
  /** The path on disk (absolute). */
  readonly path: string;
  /** How locations name the snapshot (relative to the repository a report is about). */
  readonly shown: string;
  /** How locations name a file of it, from its absolute path. */
  readonly fileName: (absolute: string) => string;
  /** How the text of messages names the snapshot (as the user gave it). */
  readonly display: string;
}

/** Reads the snapshot at `location`; limits may be lowered for tests. */
export function loadSnapshot(
  location: SnapshotLocation,
  limits: LiveLimits = LIVE_LIMITS,
): LoadedSnapshot {
  const unreadable = (detail: string): LoadedSnapshot => ({
    path: location.shown,
    display: location.display,
    objects: [],
    files: [],
    ignored: new Map(),
    diagnostics: [
      diagnostic("NC7001", fileSpan(location.shown), { path: location.display, detail }),
    ],
    readable: false,
  });
  let stat;
  try {
    stat = lstatSync(location.path);
  } catch {
    return unreadable("it does not exist");
  }
  if (stat.isSymbolicLink())
    return unreadable("it is a symbolic link; name the file or folder itself");
  let reader: RepoReader;
  let relatives: string[];
  let root: string;
  if (stat.isDirectory()) {
    root = location.path;
    reader = new FsRepoReader(root, location.shown);
    relatives = reader.listFiles().filter((f) => !basename(f).startsWith("."));
  } else if (stat.isFile()) {
    root = dirname(location.path);
    reader = new FsRepoReader(root, location.shown);
    relatives = [basename(location.path)];
  } else {
    return unreadable("it is neither a file nor a folder");
  }

  return readSnapshotFiles(
    reader,
    relatives,
    {
      file: (rel) => location.fileName(join(root, rel)),
      label: (rel) => (stat.isDirectory() ? posix.join(location.display, rel) : location.display),
      shown: location.shown,
      display: location.display,
    },
    limits,
  );
}

/**
 * Reads the snapshot files a reader holds (a folder, or files held in memory by tests), named
 * in messages by `fileName` (from their path relative to the snapshot).
 */
export function loadSnapshotFrom(
  reader: RepoReader,
  fileName: (relative: string) => string,
  shown: string,
  limits: LiveLimits = LIVE_LIMITS,
): LoadedSnapshot {
  const relatives = reader.listFiles().filter((f) => !basename(f).startsWith("."));
  const names = { file: fileName, label: fileName, shown, display: shown };
  return readSnapshotFiles(reader, relatives, names, limits);
}

/** How a file of the snapshot is named: in locations (`file`), in the text of messages (`label`). */
interface FileNames {
  readonly file: (relative: string) => string;
  readonly label: (relative: string) => string;
  readonly shown: string;
  readonly display: string;
}

/** The files a snapshot folder is read for. */
const SNAPSHOT_FILE = /\.(json|ya?ml)$/i;

function readSnapshotFiles(
  reader: RepoReader,
  relatives: readonly string[],
  names: FileNames,
  limits: LiveLimits,
): LoadedSnapshot {
  const { shown } = names;
  // Nothing is skipped silently: a link, special file or unreadable folder in the snapshot.
  const diagnostics: Diagnostic[] = reader
    .listProblems()
    .filter((p) => !basename(p.path).startsWith("."))
    .map((p) =>
      diagnostic("NC7001", fileSpan(names.file(p.path)), {
        path: names.label(p.path),
        detail:
          p.problem === "symlink" || p.problem === "not-regular"
            ? `it is ${p.detail}${p.folder ? " to a folder" : ""}, not a regular file; it is not read`
            : `${p.detail}; it is not read`,
      }),
    );
  const objects: SnapshotObject[] = [];
  const ignored = new Map<string, number>();
  const ignoredIn = new Map<string, { label: string; counts: Map<string, number> }>();
  const files: string[] = [];
  let total = 0;
  const notSnapshot: string[] = [];
  let stopped = false;
  for (const relative of relatives) {
    const file = names.file(relative);
    const label = names.label(relative);
    if (!SNAPSHOT_FILE.test(relative)) {
      notSnapshot.push(relative);
      continue;
    }
    if (files.length >= limits.maxFiles) {
      diagnostics.push(over(file, relatives.length, "files", limits.maxFiles, "maxFiles"));
      break;
    }
    const size = reader.sizeOf(relative);
    if (size === undefined) {
      diagnostics.push(
        diagnostic("NC7001", fileSpan(file), { path: label, detail: "it is not a regular file" }),
      );
      continue;
    }
    if (size > limits.maxFileBytes) {
      diagnostics.push(
        diagnostic("NC7002", fileSpan(file), { file: label, size, limit: limits.maxFileBytes }),
      );
      continue;
    }
    if (total + size > limits.maxTotalBytes) {
      diagnostics.push(
        over(
          file,
          total + size,
          "bytes in its files (up to and including this one)",
          limits.maxTotalBytes,
          "maxTotalBytes",
        ),
      );
      break;
    }
    const read = reader.readFile(relative, limits.maxFileBytes);
    if (!read.ok) {
      diagnostics.push(
        read.problem === "too-large"
          ? diagnostic("NC7002", fileSpan(file), {
              file: label,
              size: read.size ?? limits.maxFileBytes + 1,
              limit: limits.maxFileBytes,
            })
          : diagnostic("NC7001", fileSpan(file), {
              path: label,
              detail: `it cannot be read (${read.detail})`,
            }),
      );
      continue;
    }
    const bytes = read.bytes;
    total += bytes.length;
    files.push(relative);
    const parsed = parseSnapshotFile(file, relative, bytes, limits, label);
    diagnostics.push(...parsed.diagnostics);
    for (const [what, count] of parsed.ignored) {
      ignored.set(what, (ignored.get(what) ?? 0) + count);
      const perFile = ignoredIn.get(file) ?? { label, counts: new Map<string, number>() };
      perFile.counts.set(what, count);
      ignoredIn.set(file, perFile);
    }
    for (const o of parsed.objects) {
      if (objects.length >= limits.maxObjects) {
        diagnostics.push(
          over(file, objects.length + 1, "objects", limits.maxObjects, "maxObjects"),
        );
        stopped = true;
        break;
      }
      objects.push(o);
    }
    if (stopped) break;
  }
  for (const [file, perFile] of ignoredIn) {
    for (const [what, count] of perFile.counts) {
      diagnostics.push(
        diagnostic("NC7005", fileSpan(file), {
          count,
          what: `${what} object${count === 1 ? "" : "s"} in ${perFile.label}`,
          expected: describeLiveKinds(),
        }),
      );
    }
  }
  if (notSnapshot.length > 0) {
    diagnostics.push(
      diagnostic("NC7005", fileSpan(shown), {
        count: notSnapshot.length,
        what: `file${notSnapshot.length === 1 ? "" : "s"} not named *.json, *.yaml or *.yml (${notSnapshot.slice(0, 3).join(", ")}${notSnapshot.length > 3 ? ", …" : ""})`,
        expected: "JSON and YAML files",
      }),
    );
  }
  return {
    path: shown,
    display: names.display,
    objects,
    files,
    ignored,
    diagnostics,
    readable: true,
  };
}

function over(
  file: string,
  count: number,
  what: string,
  limit: number,
  limitName: string,
): Diagnostic {
  return diagnostic("NC7003", fileSpan(file), { count, what, limit, limitName });
}

interface ParsedFile {
  readonly objects: SnapshotObject[];
  readonly ignored: Map<string, number>;
  readonly diagnostics: Diagnostic[];
}

/** One document's root value and how to find positions in it. */
interface RootDocument {
  readonly value: unknown;
  readonly source: SourceRef;
  /** A List item's source. */
  readonly item: (index: number, count: number) => SourceRef;
}

/** Parses one snapshot file (JSON first when it looks like JSON, else YAML) into objects. */
export function parseSnapshotFile(
  file: string,
  snapshotFile: string,
  bytes: Buffer,
  limits: Pick<LiveLimits, "maxDepth"> = LIVE_LIMITS,
  /** How the text of messages names the file. */
  label: string = file,
): ParsedFile {
  const out: ParsedFile = { objects: [], ignored: new Map(), diagnostics: [] };
  // A U+FFFD written in the file is text; only bytes that are not UTF-8 are refused.
  if (!isUtf8(bytes)) {
    out.diagnostics.push(
      diagnostic("NC7004", fileSpan(file), { file: label, detail: "it is not UTF-8 text" }),
    );
    return out;
  }
  const items = readKubectlList(file, snapshotFile, bytes);
  if (items) return items;
  const roots = parseRoots(file, label, bytes.toString("utf8"), limits, out.diagnostics);
  for (const root of roots) collectObjects(file, snapshotFile, root, out);
  return out;
}

/**
 * A kubectl JSON List, each item parsed, slimmed and dropped before the next (json-list.ts);
 * undefined when the file is not one, or a piece of it does not parse: it is then read whole.
 */
function readKubectlList(
  file: string,
  snapshotFile: string,
  bytes: Buffer,
): ParsedFile | undefined {
  const split = splitKubectlList(bytes);
  const kind = split?.list.kind;
  if (!split || typeof kind !== "string" || !/List$/.test(kind)) return undefined;
  const out: ParsedFile = { objects: [], ignored: new Map(), diagnostics: [] };
  const json = new JsonPositions(file, () => bytes.toString("utf8"));
  const count = split.items.length;
  for (const [index, { start, end }] of split.items.entries()) {
    let item: unknown;
    try {
      item = JSON.parse(bytes.toString("utf8", start, end));
    } catch {
      return undefined;
    }
    const source = new JsonSourceRef(json, () => json.item(index, count));
    addObject(file, snapshotFile, item, source, out);
  }
  return out;
}

function parseRoots(
  file: string,
  label: string,
  text: string,
  limits: Pick<LiveLimits, "maxDepth">,
  diagnostics: Diagnostic[],
): RootDocument[] {
  const first = text.search(/\S/);
  if (first >= 0 && (text[first] === "{" || text[first] === "[")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // A .json file is JSON: say where it breaks (a snapshot cut off by a timeout ends early).
      // Anything else may be YAML in flow style (a trailing comma is YAML): read it as YAML.
      if (/\.json$/i.test(file)) {
        diagnostics.push(jsonError(file, label, text, error));
        return [];
      }
      value = undefined;
    }
    if (value !== undefined) {
      const json = new JsonPositions(file, text);
      const root = json.root();
      return [
        {
          value,
          source: new JsonSourceRef(json, () => root),
          item: (index, count) => new JsonSourceRef(json, () => json.item(index, count)),
        },
      ];
    }
  }
  let events: Event[];
  let values: unknown[];
  try {
    events = parseEvents(text, { filename: file, maxDepth: limits.maxDepth });
    values = constructFromEvents(events, { source: text, filename: file, maxAliases: 0 });
  } catch (error) {
    diagnostics.push(syntaxError(file, label, error));
    return [];
  }
  const yaml = new YamlPositions(file, text, events);
  const roots = yaml.documentRoots();
  const out: RootDocument[] = [];
  values.forEach((value, i) => {
    const at = roots[i];
    // An empty document (a trailing ---, or only comments) holds nothing.
    if (at === undefined || value === null || value === undefined) return;
    out.push({
      value,
      source: new YamlEventSourceRef(yaml, at),
      item: (index) => new YamlEventSourceRef(yaml, at, ["items", index]),
    });
  });
  return out;
}

/** JSON.parse's error at its position (V8 gives an offset for most errors, none for some). */
function jsonError(file: string, label: string, text: string, error: unknown): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
  const cut = offset !== undefined && text.slice(offset).trim() === "";
  const detail = cut
    ? "it ends before its JSON does (a snapshot cut off while it was written?)"
    : message.replace(/ in JSON at position \d+.*$/, "").replace(/, ".*" is not valid JSON$/s, "");
  const span =
    offset === undefined ? fileSpan(file) : new LineIndex(file, text).span(offset, offset + 1);
  return diagnostic("NC7004", span, { file: label, detail: `JSON: ${detail}` });
}

function syntaxError(file: string, label: string, error: unknown): Diagnostic {
  const mark = (error as { mark?: { line?: number; column?: number } } | undefined)?.mark;
  const reason = (error as { reason?: string } | undefined)?.reason;
  const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
  const depth = /depth|call stack/i.test(message);
  const span: Span =
    mark && typeof mark.line === "number" && typeof mark.column === "number"
      ? {
          file,
          line: mark.line + 1,
          column: mark.column + 1,
          endLine: mark.line + 1,
          endColumn: mark.column + 2,
        }
      : fileSpan(file);
  const detail = depth
    ? `it nests deeper than ${LIVE_LIMITS.maxDepth} levels`
    : /alias/i.test(message)
      ? "it uses YAML aliases (*name), which kubectl and calicoctl never print"
      : (reason ?? message).replace(/\s*\(\d+:\d+\)$/, "");
  return diagnostic("NC7004", span, { file: label, detail });
}

function collectObjects(
  file: string,
  snapshotFile: string,
  root: RootDocument,
  out: ParsedFile,
): void {
  const value = root.value;
  if (!isRecord(value)) {
    out.diagnostics.push(diagnostic("NC7012", root.source.span, { what: describeType(value) }));
    return;
  }
  const kind = value.kind;
  if (typeof kind === "string" && /List$/.test(kind) && Array.isArray(value.items)) {
    const items = value.items as unknown[];
    items.forEach((item, index) => {
      addObject(file, snapshotFile, item, root.item(index, items.length), out);
    });
    return;
  }
  addObject(file, snapshotFile, value, root.source, out);
}

function addObject(
  file: string,
  snapshotFile: string,
  value: unknown,
  source: SourceRef,
  out: ParsedFile,
): void {
  if (!isRecord(value)) {
    out.diagnostics.push(diagnostic("NC7012", source.span, { what: describeType(value) }));
    return;
  }
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    const missing = typeof apiVersion !== "string" ? "apiVersion" : "kind";
    out.diagnostics.push(
      diagnostic("NC7012", source.span, { what: `a mapping without ${missing}` }),
    );
    return;
  }
  const metadata = isRecord(value.metadata) ? value.metadata : undefined;
  const name =
    typeof metadata?.name === "string" && metadata.name !== "" ? metadata.name : undefined;
  const live = lookupLiveKind(apiVersion, kind, name);
  if (!live) {
    const what = `${apiVersion} ${kind}${kind === "ConfigMap" && name ? ` ${name}` : ""}`;
    out.ignored.set(what, (out.ignored.get(what) ?? 0) + 1);
    return;
  }
  out.objects.push({
    kind: live,
    apiVersion,
    name,
    value: slim(live, value),
    file,
    snapshotFile,
    source,
  });
}

/**
 * Only the fields netcompile reads of each kind (the README's table), so that the rest of a
 * large snapshot — a node's images, managedFields, conditions — is garbage as soon as its file
 * is read, instead of weighing on every collection afterwards.
 */
function slim(kind: LiveKind, value: Record<string, unknown>): Record<string, unknown> {
  if (kind === "IPPool") return value;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const spec = isRecord(value.spec) ? value.spec : {};
  const status = isRecord(value.status) ? value.status : {};
  const meta = pick(metadata, ["name", "namespace", "labels"]);
  meta.annotations = isRecord(metadata.annotations)
    ? calicoAnnotations(metadata.annotations)
    : undefined;
  switch (kind) {
    case "Node":
      return {
        metadata: meta,
        spec: pick(spec, ["podCIDR", "podCIDRs", "providerID"]),
        status: pick(status, ["addresses"]),
      };
    case "CalicoNode":
      return {
        metadata: meta,
        spec: pick(spec, [
          "bgp",
          "ipv4VXLANTunnelAddr",
          "ipv6VXLANTunnelAddr",
          "addresses",
          "orchRefs",
        ]),
        status: pick(status, ["podCIDRs"]),
      };
    case "BlockAffinity":
      return { metadata: meta, spec };
    case "CalicoConfig":
      return { metadata: meta, data: value.data };
  }
}

/** The members of `from` named by `keys` (names netcompile chooses, never `__proto__`), in that order. */
function pick(from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in from) out[k] = from[k];
  return out;
}

/** Calico's annotations (projectcalico.org/…), in their order; the rest of a node's is never read. */
function calicoAnnotations(annotations: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(annotations))
    if (k.startsWith("projectcalico.org/")) out[k] = annotations[k];
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** "40 Node, 3 IPPool, …" for a summary line. */
export function countText(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([what, n]) => plural(n, what)).join(", ");
}
