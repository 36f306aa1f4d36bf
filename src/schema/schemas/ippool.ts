/**
 * Calico's IPPool (projectcalico.org/v3) as Calico's CRD has it: src/schema/validate.test.ts
 * compares it field by field with the CRD, where it deliberately differs too: the v1 fields
 * `ipip` and `nat-outgoing` and the empty modes, which Calico v3.31.7 reads its own way and the
 * policy rules report (policies/schemas/ippool.schema.json is written from this module).
 * Edit here, then `npm run schemas`; a test fails while the JSON file differs.
 */
import type { NetcompileSchema } from "./extension.js";

export const ipPoolSchema = {
  $id: "https://netcompile.dev/schemas/v1alpha1/ippool.json",
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "Calico IPPool (projectcalico.org/v3)",
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
      required: ["cidr"],
      properties: {
        allowedUses: {
          type: "array",
          maxItems: 10,
          items: { type: "string", enum: ["Workload", "Tunnel", "LoadBalancer"] },
        },
        assignmentMode: { type: "string", enum: ["Automatic", "Manual"] },
        blockSize: { type: "integer", minimum: 0, maximum: 128 },
        cidr: { type: "string", maxLength: 48 },
        disableBGPExport: { type: "boolean" },
        disabled: { type: "boolean" },
        // "" is Never to Calico (clientv3 fills it in): the ipip-mode rules say so.
        ipipMode: { type: "string", enum: ["Never", "Always", "CrossSubnet", ""] },
        // The v1 spelling of ipipMode (v3.31.7's CRD has it; rules decide where Calico takes it).
        ipip: {
          type: ["object", "null"],
          additionalProperties: false,
          properties: { enabled: { type: "boolean" }, mode: { type: "string" } },
        },
        namespaceSelector: { type: "string", maxLength: 1024 },
        natOutgoing: { type: "boolean" },
        // The v1 spelling of natOutgoing (v3.31.7's CRD has it too).
        "nat-outgoing": { type: "boolean" },
        nodeSelector: { type: "string", maxLength: 1024 },
        vxlanMode: { type: "string", enum: ["Never", "Always", "CrossSubnet", ""] },
      },
    },
    status: { type: "object" },
  },
} as const satisfies NetcompileSchema;
