/**
 * Every rendered manifest is parsed back and checked before anything is written: a
 * template bug becomes an NC5001 diagnostic, never a broken file in the cluster.
 */
import { Ajv, type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";
import { readJsonAsset } from "../assets.js";
import { diagnostic, fileSpan } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { RenderedFile } from "./types.js";

let ippoolValidator: ValidateFunction | undefined;

function validateIPPool(value: unknown): string | undefined {
  if (!ippoolValidator) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addSchema(readJsonAsset("policies/schemas/common.schema.json"));
    ippoolValidator = ajv.compile(readJsonAsset("policies/schemas/ippool.schema.json"));
  }
  if (ippoolValidator(value)) return undefined;
  return ippoolValidator.errors?.map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
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
    docs: list
      .map((d) => d.toJS({ maxAliasCount: 0 }))
      .filter((v) => v !== null && v !== undefined),
  };
}

export function checkRenderedFiles(files: readonly RenderedFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const file of files) {
    const fail = (detail: string) =>
      out.push(diagnostic("NC5001", fileSpan(file.path), { file: file.path, detail }));
    if (file.path.startsWith("manifests/")) {
      const { docs, error } = parseRenderedYaml(file.content);
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
    } else if (/\.ya?ml$/.test(file.path)) {
      const netplan = /^hosts\/[^/]+\/netplan\//.test(file.path);
      const problem = cached(netplan ? "netplan" : "yaml", file.content, hostYamlProblem);
      if (problem) fail(problem);
    } else if (file.path.startsWith("hosts/")) {
      const problem = cached("ini", file.content, iniProblem);
      if (problem) fail(problem);
    }
  }
  return out;
}

/**
 * Host files' verdicts by content: many nodes share a file's exact bytes (the networkd files
 * marking Calico's devices unmanaged), and `plan` checks the base's and the current tree, which
 * mostly agree. Re-parsing identical bytes gives the same verdict, so each is checked once per
 * process. Bounded: cleared when it grows past MAX_CACHED.
 */
const MAX_CACHED = 200_000;
const verdicts = new Map<string, string | undefined>();

function cached(
  kind: "netplan" | "yaml" | "ini",
  content: string,
  check: (content: string, kind: "netplan" | "yaml" | "ini") => string | undefined,
): string | undefined {
  const key = `${kind}\0${content}`;
  if (verdicts.has(key)) return verdicts.get(key);
  const verdict = check(content, kind);
  if (verdicts.size >= MAX_CACHED) verdicts.clear();
  verdicts.set(key, verdict);
  return verdict;
}

function hostYamlProblem(content: string, kind: "netplan" | "yaml" | "ini"): string | undefined {
  const { docs, error } = parseRenderedYaml(content);
  if (error) return error;
  if (kind === "netplan") {
    const network = (docs[0] as { network?: { version?: unknown } } | undefined)?.network;
    if (docs.length !== 1 || network?.version !== 2) return "is not one netplan version 2 document";
  }
  return undefined;
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

/**
 * A systemd / NetworkManager INI file is comments, [Section] headers and Key=Value lines, and
 * starts with a section; undefined when fine. (The real parsers are run by the host tests.)
 */
export function iniProblem(content: string): string | undefined {
  let section: string | undefined;
  const lines = content.split("\n");
  if (lines.at(-1) !== "") return "does not end with a newline";
  for (const [i, line] of lines.entries()) {
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([A-Za-z][A-Za-z0-9-]*)\]$/.exec(line);
    if (header) section = header[1];
    else if (!/^[A-Za-z][A-Za-z0-9-]*=\S(.*\S)?$/.test(line))
      return `line ${i + 1} is not Key=Value: ${JSON.stringify(line)}`;
    else if (section === undefined) return `line ${i + 1} is outside any [Section]`;
  }
  return section === undefined ? "has no [Section]" : undefined;
}
