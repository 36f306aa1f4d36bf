/**
 * SARIF 2.1.0 (OASIS), for code scanning. A formatter only prints: the rule descriptors (their
 * description and help come from the docs pages) are handed in. Deterministic: no timestamps,
 * results in diagnostic order, no absolute path unless the repository is outside the working
 * directory.
 *
 * - ruleId is the rule id or NC code (stable); ruleIndex points into tool.driver.rules, where
 *   every rule has a shortDescription, a fullDescription, help (text and markdown) and helpUri.
 * - URIs: `base: "repository"` (the CLI) writes each file relative to the repository root, with
 *   uriBaseId REPOROOT, and run.originalUriBaseIds gives REPOROOT as the repository named from
 *   the working directory (%SRCROOT%); `base: "working-directory"` (the Action) writes them
 *   relative to the workspace, which is how code scanning resolves them against the checkout.
 * - A file that does not exist (a missing output file, say) is no physical location: the result
 *   is located on its resource (or the repository) only, never on a path that leads nowhere.
 * - Related locations are linked from the message text (`[text](id)`, brackets escaped).
 * - partialFingerprints: `primaryLocationLineHash` hashes the code and the text of the primary
 *   line (not its number), `netcompile/v1` the code, file, resource and message; each counts
 *   identical results, so a finding keeps its identity when lines above it move.
 * - A waived finding keeps its level and carries an accepted in-source suppression with the
 *   waiver's reason.
 */
import { createHash } from "node:crypto";
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { SourceLines } from "./format-text.js";
import { shownPath } from "./paths.js";
import type { Diagnostic, Severity, Span } from "./types.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** The uriBaseId of files written relative to the repository root. */
export const REPOSITORY_BASE = "REPOROOT";
/** The uriBaseId of the folder netcompile ran in (the Action: the workspace, the checkout). */
export const WORKING_DIRECTORY_BASE = "%SRCROOT%";

export interface SarifRule {
  readonly id: string;
  /** One line: the rule's description or the catalog title. */
  readonly shortDescription: string;
  /** A paragraph: what the rule finds. */
  readonly fullDescription: string;
  readonly help: { readonly text: string; readonly markdown: string };
  /** The rule's documentation page. */
  readonly helpUri?: string;
  readonly defaultLevel: Severity;
  readonly tags?: readonly string[];
}

export interface SarifOptions {
  readonly toolVersion: string;
  /** Where to learn about the tool (its home page). */
  readonly informationUri?: string;
  /** Descriptors for every code that appears in the diagnostics. */
  readonly rules: readonly SarifRule[];
  /** The repository as the user named it, from the working directory (or the workspace). */
  readonly pathPrefix?: string;
  /** What URIs are relative to (see above): the repository root unless told otherwise. */
  readonly base?: "repository" | "working-directory";
  /** The repository's files, for the hash of each result's line. */
  readonly sources?: SourceLines;
  /** Whether a file (as diagnostics name it) exists; all do unless told otherwise. */
  readonly exists?: (file: string) => boolean;
}

/** The logical location of a finding about the repository as a whole. */
const REPOSITORY_LOCATION = { fullyQualifiedName: "repository", kind: "module" } as const;

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

interface ArtifactLocation {
  readonly uri?: string;
  readonly uriBaseId?: string;
  readonly description?: { readonly text: string };
}

export function formatSarif(diagnostics: readonly Diagnostic[], options: SarifOptions): string {
  const prefix = options.pathPrefix ?? ".";
  const fromRepository = (options.base ?? "repository") === "repository";
  const exists = options.exists ?? (() => true);
  // RFC 3986: each segment percent-encoded, so `#`, `?` and a first segment's `:` stay path.
  const uri = (file: string): string => file.split("/").map(encodeURIComponent).join("/");
  const artifact = (file: string): ArtifactLocation => {
    if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
    // A file outside the repository (a live snapshot's) is named from where netcompile ran.
    if (fromRepository && !file.startsWith("../")) {
      return { uri: uri(file), uriBaseId: REPOSITORY_BASE };
    }
    const shown = shownPath(prefix, file);
    return isAbsolute(shown)
      ? { uri: pathToFileURL(shown).href }
      : { uri: uri(shown), uriBaseId: WORKING_DIRECTORY_BASE };
  };
  const location = (span: Span) => ({
    physicalLocation: {
      artifactLocation: artifact(span.file),
      region: {
        startLine: span.line,
        startColumn: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
      },
    },
  });

  const used = new Set(diagnostics.map((d) => d.code));
  const rules = options.rules.filter((r) => used.has(r.id)).sort((a, b) => cmp(a.id, b.id));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const lineHashes = counter();
  const identities = counter();

  const results = diagnostics.map((d) => {
    const identity = [d.code, d.file, d.resource ?? "", d.message].join("\0");
    const lineHash = hash(
      `${d.code}\0${options.sources?.line(d.file, d.line)?.trim() ?? identity}`,
      16,
    );
    const related = d.related.filter((r) => exists(r.file));
    const logical = d.resource
      ? { logicalLocations: [{ fullyQualifiedName: d.resource, kind: "resource" }] }
      : {};
    // Code scanning wants a location on every result: the resource, or the repository itself.
    const here = exists(d.file)
      ? [{ ...location(d), ...logical }]
      : [d.resource ? logical : { logicalLocations: [REPOSITORY_LOCATION] }];
    const ruleIndex = index.get(d.code);
    return {
      ruleId: d.code,
      ...(ruleIndex === undefined ? {} : { ruleIndex }),
      level: LEVEL[d.severity],
      message: { text: messageText(d.message, related) },
      locations: here,
      ...(related.length
        ? {
            relatedLocations: related.map((r, i) => ({
              id: i + 1,
              ...location(r),
              message: { text: escapeMessage(r.message) },
            })),
          }
        : {}),
      partialFingerprints: {
        primaryLocationLineHash: `${lineHash}:${lineHashes(`${d.file}\0${lineHash}`)}`,
        "netcompile/v1": hash(`${identity}\0${identities(identity) - 1}`, 32),
      },
      ...(d.waived
        ? {
            suppressions: [
              {
                kind: "inSource",
                status: "accepted",
                justification: d.waived.reason,
                ...(exists(d.waived.file)
                  ? {
                      location: location({
                        file: d.waived.file,
                        line: d.waived.line,
                        column: d.waived.column,
                        endLine: d.waived.line,
                        endColumn: d.waived.column,
                      }),
                    }
                  : {}),
              },
            ],
          }
        : {}),
    };
  });

  const log = {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "netcompile",
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.shortDescription },
              fullDescription: { text: r.fullDescription },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              help: { text: r.help.text, markdown: r.help.markdown },
              defaultConfiguration: { level: LEVEL[r.defaultLevel] },
              ...(r.tags?.length ? { properties: { tags: [...r.tags] } } : {}),
            })),
          },
        },
        originalUriBaseIds: uriBases(prefix, fromRepository),
        columnKind: "utf16CodeUnits",
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** What the base ids stand for: the working directory is left to the consumer (no absolute path). */
function uriBases(prefix: string, fromRepository: boolean): Record<string, ArtifactLocation> {
  const workingDirectory = {
    description: {
      text: fromRepository
        ? "The folder netcompile ran in."
        : "The workspace: the root of the repository's checkout.",
    },
  };
  const folder = prefix === "" || prefix === "." ? "./" : `${prefix.replace(/\/+$/, "")}/`;
  const repository: ArtifactLocation = isAbsolute(prefix)
    ? { uri: pathToFileURL(folder).href }
    : {
        uri: folder.split("/").map(encodeURIComponent).join("/"),
        uriBaseId: WORKING_DIRECTORY_BASE,
      };
  return {
    [WORKING_DIRECTORY_BASE]: workingDirectory,
    [REPOSITORY_BASE]: {
      ...repository,
      description: { text: "The repository: the folder holding netcompile.yaml." },
    },
  };
}

/** The message, its brackets escaped, then a link to each related location. */
function messageText(message: string, related: readonly { readonly message: string }[]): string {
  const links = related.map((r, i) => `[${escapeMessage(r.message)}](${i + 1})`);
  return links.length
    ? `${escapeMessage(message)} (see ${links.join("; ")})`
    : escapeMessage(message);
}

/** SARIF message text: `\`, `[` and `]` are escaped, so only netcompile's links are links. */
function escapeMessage(text: string): string {
  return text.replace(/[\\[\]]/g, (ch) => `\\${ch}`);
}

/** How many times each key has come so far, this one included (1, 2, …). */
function counter(): (key: string) => number {
  const seen = new Map<string, number>();
  return (key) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n;
  };
}

function hash(text: string, length: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
