/**
 * Definitions the other schemas share by $ref (policies/schemas/common.schema.json is written from this module).
 * Edit here, then `npm run schemas`; a test fails while the JSON file differs.
 */
import type { NetcompileSchema } from "./extension.js";

/** The cloud or platform a Cluster runs on (Cluster spec.provider, Policy spec.match.providers). */
export const PROVIDERS = ["aws", "azure", "gcp", "openstack", "bare-metal", "other"] as const;

export const commonSchema = {
  $id: "https://netcompile.dev/schemas/v1alpha1/common.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  definitions: {
    stringMap: { type: "object", additionalProperties: { type: "string" } },
    metadata: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: { type: "string", minLength: 1, maxLength: 253 },
        labels: { $ref: "common.json#/definitions/stringMap" },
        annotations: { $ref: "common.json#/definitions/stringMap" },
      },
    },
    optionalNameMetadata: {
      type: "object",
      additionalProperties: false,
      properties: {
        name: { type: "string", minLength: 1, maxLength: 253 },
        labels: { $ref: "common.json#/definitions/stringMap" },
        annotations: { $ref: "common.json#/definitions/stringMap" },
      },
    },
  },
} as const satisfies NetcompileSchema;
