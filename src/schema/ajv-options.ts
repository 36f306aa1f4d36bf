/**
 * How netcompile's schemas are compiled: scripts/write-schemas.ts compiles them with these
 * options into validators.generated.ts, and the tests compile them at run time the same way.
 */
import type { Ajv, Options } from "ajv";

export const AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  verbose: true,
} as const satisfies Options;

/** Keywords the schemas use beyond JSON Schema's. */
export function defineKeywords(ajv: Ajv): void {
  // What a pattern means, in words: shown instead of the regular expression.
  ajv.addKeyword({ keyword: "x-hint", schemaType: "string" });
}
