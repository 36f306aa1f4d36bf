/**
 * netcompile's JSON Schemas, one module each: ajv compiles these objects, the document types
 * (../documents.ts) are derived from them, and policies/schemas/*.json, the copies editors and
 * users read, are written from them (`npm run schemas`; schemas.test.ts fails while they differ).
 */
import type { KindName } from "../../load/kinds.js";
import { clusterSchema } from "./cluster.js";
import { commonSchema } from "./common.js";
import type { NetcompileSchema } from "./extension.js";
import { ipPoolSchema } from "./ippool.js";
import { policySchema } from "./policy.js";
import { topologySchema } from "./topology.js";

export { clusterSchema, commonSchema, ipPoolSchema, policySchema, topologySchema };

/** Each kind's schema; every one may $ref the common definitions. */
export const KIND_SCHEMAS = {
  Cluster: clusterSchema,
  Topology: topologySchema,
  IPPool: ipPoolSchema,
  Policy: policySchema,
} as const satisfies Record<KindName, NetcompileSchema>;

/** Where each schema ships, relative to the package root. */
export const SCHEMA_FILES: readonly { readonly path: string; readonly schema: NetcompileSchema }[] =
  [
    { path: "policies/schemas/common.schema.json", schema: commonSchema },
    { path: "policies/schemas/cluster.schema.json", schema: clusterSchema },
    { path: "policies/schemas/topology.schema.json", schema: topologySchema },
    { path: "policies/schemas/ippool.schema.json", schema: ipPoolSchema },
    { path: "policies/schemas/policy.schema.json", schema: policySchema },
  ];
