/**
 * Schema stage: every document is checked against its kind's JSON Schema (ajv, allErrors),
 * and every ajv error is mapped to the span of the YAML node it is about.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { KindName } from "../load/kinds.js";
import { describeType, type LoadedDocument } from "../load/load.js";
import type {
  ClusterDocument,
  IPPoolDocument,
  PolicyDocument,
  TopologyDocument,
  ValidDocument,
} from "./documents.js";
import { KIND_SCHEMAS } from "./schemas/index.js";
import * as generated from "./validators.generated.js";
import { pathText, pointerToPath } from "../util/json-pointer.js";
import { didYouMean } from "../util/text.js";

interface Validators {
  readonly Cluster: ValidateFunction<ClusterDocument>;
  readonly Topology: ValidateFunction<TopologyDocument>;
  readonly IPPool: ValidateFunction<IPPoolDocument>;
  readonly Policy: ValidateFunction<PolicyDocument>;
}

/**
 * ajv's standalone code for each kind (validators.generated.ts), compiled from these very schema
 * objects by `npm run schemas` (schemas.test.ts fails while it differs), so the types derived from
 * them (documents.ts) are what the guards check, and no schema is compiled at each start.
 */
const VALIDATORS = generated as unknown as Validators;

/** A kind's JSON Schema (the object policies/schemas/<kind>.schema.json is written from). */
export function schemaFor<K extends KindName>(kind: K): (typeof KIND_SCHEMAS)[K] {
  return KIND_SCHEMAS[kind];
}

export interface SchemaResult {
  readonly diagnostics: readonly Diagnostic[];
  /** The documents their kind's schema accepted, typed by it; the resolve stage reads these. */
  readonly documents: readonly ValidDocument[];
  /** The documents their kind's schema refused: left out of the model. */
  readonly rejected: readonly LoadedDocument[];
}

export function validateDocuments(documents: readonly LoadedDocument[]): SchemaResult {
  const table = VALIDATORS;
  const diagnostics: Diagnostic[] = [];
  const valid: ValidDocument[] = [];
  const rejected: LoadedDocument[] = [];
  for (const doc of documents) {
    const typed = accept(doc, table);
    if (typed) valid.push(typed);
    else {
      rejected.push(doc);
      diagnostics.push(...mapErrors(doc, table[doc.kind].errors ?? []));
    }
  }
  return { diagnostics, documents: valid, rejected };
}

/** The document typed by its kind's schema, when that schema accepts it. */
function accept(doc: LoadedDocument, table: Validators): ValidDocument | undefined {
  const { value } = doc;
  switch (doc.kind) {
    case "Cluster":
      return table.Cluster(value) ? { ...doc, kind: doc.kind, value } : undefined;
    case "Topology":
      return table.Topology(value) ? { ...doc, kind: doc.kind, value } : undefined;
    case "IPPool":
      return table.IPPool(value) ? { ...doc, kind: doc.kind, value } : undefined;
    case "Policy":
      return table.Policy(value) ? { ...doc, kind: doc.kind, value } : undefined;
  }
}

function mapErrors(doc: LoadedDocument, errors: readonly ErrorObject[]): Diagnostic[] {
  const resource = doc.name === undefined ? doc.kind : `${doc.kind}/${doc.name}`;
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  const typeErrors = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword === "enum" && typeErrors.has(error.instancePath)) continue;
    const d = mapError(doc, error, resource);
    const key = `${d.line}:${d.column}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function mapError(doc: LoadedDocument, error: ErrorObject, resource: string): Diagnostic {
  const path = pointerToPath(error.instancePath);
  const where = path.length ? pathText(path) : "the document";
  const extras = { resource };
  switch (error.keyword) {
    case "additionalProperties": {
      const field = String(error.params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
      return diagnostic(
        "NC2001",
        doc.source.keyAt([...path, field]),
        { field, hint: suggestion(field, known, where) },
        extras,
      );
    }
    case "required": {
      const field = String(error.params.missingProperty);
      const span = path.length ? doc.source.keyAt(path) : doc.source.span;
      return diagnostic(
        "NC2003",
        span,
        { field, where: path.length ? ` in ${where}` : "" },
        extras,
      );
    }
    case "type":
      return diagnostic(
        "NC2002",
        doc.source.at(path),
        {
          path: where,
          expected: article(String(error.params.type)),
          actual: describeType(error.data),
        },
        extras,
      );
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      const actual = typeof error.data === "string" ? `"${error.data}"` : describeType(error.data);
      const hint = typeof error.data === "string" ? didYouMean(error.data, allowed) : "";
      return diagnostic(
        "NC2004",
        doc.source.at(path),
        { path: where, allowed: allowed.map((a) => `"${a}"`).join(", "), actual, hint },
        extras,
      );
    }
    default: {
      const hint = (error.parentSchema as { "x-hint"?: string } | undefined)?.["x-hint"];
      const detail = error.keyword === "pattern" && hint ? hint : (error.message ?? error.keyword);
      return diagnostic("NC2005", doc.source.at(path), { path: where, detail }, extras);
    }
  }
}

function suggestion(field: string, known: readonly string[], where: string): string {
  const guess = didYouMean(field, known);
  return (
    guess || (known.length ? ` in ${where}; expected one of: ${known.join(", ")}` : ` in ${where}`)
  );
}

function article(type: string): string {
  const named: Record<string, string> = {
    object: "a mapping",
    array: "a list",
    string: "a string",
    integer: "an integer",
    number: "a number",
    boolean: "a boolean (true or false)",
  };
  return named[type] ?? type;
}

/** The IPPool schema's validator (render/check.ts reads rendered IPPools back with it). */
export const validateIPPoolSchema: ValidateFunction = VALIDATORS.IPPool;
