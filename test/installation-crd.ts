/**
 * The Tigera operator's Installation CRD (operator.tigera.io_installations.yaml, a reference
 * file: test/reference.ts) as a validator. Its openAPIV3Schema is made to reject unknown fields
 * as the API server's strict field validation does (a structural schema alone only prunes
 * them, which hides a misspelt field). Tests that need it skip with `installationCRD.missing`.
 */
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import { parse } from "yaml";
import { referenceFile } from "./reference.js";

export const installationCRD = referenceFile("operator.tigera.io_installations.yaml");

let validator: ValidateFunction | undefined;

/** The CRD's complaints about `value` (none: valid). Throws when the reference is missing. */
export function validateInstallation(value: unknown): string[] {
  if (!validator) {
    if (!installationCRD.path) throw new Error(installationCRD.missing);
    const crd = parse(readFileSync(installationCRD.path, "utf8")) as {
      spec: { versions: { name: string; schema: { openAPIV3Schema: unknown } }[] };
    };
    const schema = crd.spec.versions.find((v) => v.name === "v1")!.schema.openAPIV3Schema;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    validator = ajv.compile(rejectUnknownFields(schema) as object);
  }
  if (validator(value)) return [];
  return (validator.errors ?? []).map(
    (e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
  );
}

function rejectUnknownFields(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rejectUnknownFields);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === "properties"
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([k, v]) => [
              k,
              rejectUnknownFields(v),
            ]),
          )
        : rejectUnknownFields(value);
  }
  const preserves = out["x-kubernetes-preserve-unknown-fields"] === true;
  if (out.properties && out.additionalProperties === undefined && !preserves)
    out.additionalProperties = false;
  return out;
}
