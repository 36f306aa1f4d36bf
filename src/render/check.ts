/**
 * Every rendered file is checked before anything is written: a template bug becomes an NC5001
 * diagnostic, never a broken file in the cluster or on a host. Manifests are read back (by the
 * block YAML reader when they are in its subset, else by `yaml`) and their IPPools validated
 * against the schema; host files are read by stricter, single-pass readers of the formats their
 * templates write (INI, and netplan's YAML subset).
 * A host file rendered as pieces (pieces.ts) is decided from its pieces, each distinct item
 * text read once; when that does not say "fine", the whole file is read, and decides.
 */
import { parseAllDocuments } from "yaml";
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { blockYamlPiecesFine, parseBlockYaml, parseBlockYamlStream } from "./block-yaml.js";
import { iniPiecesFine, iniProblem } from "./ini.js";
import { piecesOf } from "./pieces.js";
import { validateIPPoolSchema } from "../schema/validate.js";
import type { RenderedFile } from "./types.js";

/** A rendered IPPool against the schema netcompile reads IPPools with (precompiled). */
function validateIPPool(value: unknown): string | undefined {
  if (validateIPPoolSchema(value)) return undefined;
  return validateIPPoolSchema.errors
    ?.map((e) => `${e.instancePath || "/"} ${e.message}`)
    .join("; ");
}

/** Parses a rendered YAML stream back; returns the documents, or a reason it is broken. */
export function parseRenderedYaml(content: string): { docs: unknown[]; error?: string } {
  const docs = parseAllDocuments(content, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) return { docs: [], error: error.message.split("\n")[0] ?? "YAML error" };
  }
  return {
    docs: list.flatMap((d) => {
      const value: unknown = d.toJS({ maxAliasCount: 0 });
      return value === null || value === undefined ? [] : [value];
    }),
  };
}

/**
 * A manifests file's documents, or the reason it is broken: read with parseBlockYamlStream when
 * the file is in the subset it reads (the same documents `yaml` gives, block-yaml.test.ts),
 * else parsed by `yaml`, which decides and words the diagnostic as it always has.
 */
function readManifests(content: string): { docs: unknown[]; error?: string } {
  const fast = parseBlockYamlStream(content);
  return fast.error === undefined ? fast : parseRenderedYaml(content);
}

export function checkRenderedFiles(files: readonly RenderedFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Hosts share many files' text (calico mode: two thirds of the files are three texts): each
  // text is read once per reader. null: fine.
  const verdicts = {
    netplan: new Map<string, string | null>(),
    yaml: new Map<string, string | null>(),
    ini: new Map<string, string | null>(),
  };
  const once = (
    seen: Map<string, string | null>,
    content: string,
    read: (content: string) => string | undefined,
  ): string | undefined => {
    let verdict = seen.get(content);
    if (verdict === undefined) seen.set(content, (verdict = read(content) ?? null));
    return verdict ?? undefined;
  };
  for (const file of files) {
    const fail = (detail: string) =>
      out.push(diagnostic("NC5001", fileSpan(file.path), { file: file.path, detail }));
    if (file.path.startsWith("manifests/")) {
      const { docs, error } = readManifests(file.content);
      if (error) {
        fail(error);
        continue;
      }
      for (const doc of docs) {
        const problem = kubernetesObjectProblem(doc);
        if (problem) fail(problem);
        else if ((doc as { kind: string }).kind === "IPPool") {
          const invalid = validateIPPool(doc);
          if (invalid) fail(invalid);
        }
      }
    } else if (YAML_FILE.test(file.path)) {
      const netplan = NETPLAN_FILE.test(file.path);
      const check = netplan ? netplanProblem : hostYamlProblem;
      const pieces = piecesOf(file);
      if (pieces && blockYamlPiecesFine(pieces, check)) continue;
      const problem = once(netplan ? verdicts.netplan : verdicts.yaml, file.content, check);
      if (problem) fail(problem);
    } else if (file.path.startsWith("hosts/")) {
      const pieces = piecesOf(file);
      if (pieces && iniPiecesFine(pieces)) continue;
      const problem = once(verdicts.ini, file.content, iniProblem);
      if (problem) fail(problem);
    }
  }
  return out;
}

const YAML_FILE = /\.ya?ml$/;
const NETPLAN_FILE = /^hosts\/[^/]+\/netplan\//;

/**
 * Host YAML (netplan) files are read with parseBlockYaml, not parsed back with `yaml`: they are
 * printed from the typed host model through one template whose values all pass `yamlScalar`,
 * so they stay in the small subset parseBlockYaml reads, and it reads the same value `yaml`
 * does for every file it accepts (src/render/block-yaml.test.ts). A file outside the subset is
 * refused: the same NC5001 as a file `yaml` cannot parse.
 */
function hostYamlProblem(content: string): string | undefined {
  return parseBlockYaml(content).error;
}

/** A netplan file is, besides, one netplan version 2 document. */
function netplanProblem(content: string): string | undefined {
  const { value, error } = parseBlockYaml(content);
  if (error !== undefined) return error;
  const network = (value as { network?: { version?: unknown } } | null | undefined)?.network;
  return network?.version === 2 ? undefined : "is not one netplan version 2 document";
}

/** A Kubernetes object has apiVersion, kind and metadata.name (strings); undefined when fine. */
export function kubernetesObjectProblem(doc: unknown): string | undefined {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return "a document is not a mapping";
  const o = doc as Record<string, unknown>;
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string")
    return "a document has no apiVersion or kind";
  const metadata = o.metadata as Record<string, unknown> | undefined;
  if (!metadata || typeof metadata.name !== "string" || metadata.name === "")
    return `${o.kind} has no metadata.name`;
  return undefined;
}

export { iniLineProblem, iniProblem } from "./ini.js";
