/**
 * The official SARIF 2.1.0 schema (OASIS), as @microsoft/jest-sarif ships it — test data only.
 * It is draft-04, so ajv-draft-04 compiles it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { expect } from "vitest";

const schema = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve(
      "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
    ),
    "utf8",
  ),
) as object;
// unicodeRegExp off: the schema's "language" pattern is not valid as a unicode RegExp.
const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validateSarif = ajv.compile(schema);

export function expectValidSarif(text: string): void {
  const ok = validateSarif(JSON.parse(text));
  expect(validateSarif.errors ?? [], "SARIF schema errors").toEqual([]);
  expect(ok).toBe(true);
}
