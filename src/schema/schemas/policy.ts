/**
 * The Policy schema (policies/schemas/policy.schema.json is written from this module).
 * Edit here, then `npm run schemas`; a test fails while the JSON file differs.
 */
import type { NetcompileSchema } from "./extension.js";
import { PROVIDERS } from "./common.js";

export const policySchema = {
  $id: "https://netcompile.dev/schemas/v1alpha1/policy.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "netcompile Policy",
  description:
    "An organisation rule as data: the resources it matches and a JSON Schema each must satisfy. Its id is metadata.name. See policies/docs/README.md.",
  type: "object",
  additionalProperties: false,
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { $ref: "common.json#/definitions/metadata" },
    spec: {
      type: "object",
      additionalProperties: false,
      required: ["match", "assert", "message"],
      properties: {
        description: {
          description: "Why the organisation has this rule; the rule's help in SARIF output.",
          type: "string",
        },
        severity: {
          description:
            "Severity of a finding (default error); the Cluster's spec.rules can override it by the Policy's name.",
          enum: ["info", "warning", "error"],
        },
        message: {
          description: "What a finding says; netcompile appends which field failed the assertion.",
          type: "string",
          minLength: 1,
        },
        match: {
          description:
            "Which resources the Policy checks; every condition given must hold. {} matches every resource of every kind.",
          type: "object",
          additionalProperties: false,
          properties: {
            kinds: {
              description:
                "Kinds to check (default: all). Node includes node-group members; Topology is all Topology documents merged.",
              type: "array",
              minItems: 1,
              uniqueItems: true,
              items: { enum: ["Cluster", "Topology", "IPPool", "Node", "Subnet"] },
            },
            selector: {
              description:
                "A Calico selector over the resource's labels (a node's include kubernetes.io/hostname and topology.kubernetes.io/zone; subnets have none). At most 1,024 characters, as an IPPool's nodeSelector.",
              type: "string",
              maxLength: 1024,
            },
            providers: {
              description: "Check only when the Cluster's provider is one of these.",
              type: "array",
              minItems: 1,
              uniqueItems: true,
              items: { enum: PROVIDERS },
            },
          },
        },
        assert: {
          description:
            "A JSON Schema (draft-07, evaluated by ajv) every matched resource must satisfy, as netcompile resolved it: Calico's defaults filled in, node groups expanded.",
          type: "object",
        },
      },
    },
  },
} as const satisfies NetcompileSchema;
