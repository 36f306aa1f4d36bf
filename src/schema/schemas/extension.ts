/**
 * The JSON Schema dialect of netcompile's schemas: draft-07 plus `x-hint`, what a pattern
 * means in words (shown instead of the regular expression; ajv knows it as a keyword).
 */
import type { ExtendedJSONSchema } from "json-schema-to-ts";

export type SchemaExtension = {
  readonly "x-hint": string;
};

export type NetcompileSchema = ExtendedJSONSchema<SchemaExtension>;
