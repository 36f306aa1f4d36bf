/**
 * netcompile's JSON Schemas, one module each: ajv compiles these objects, the document types
 * (../documents.ts) are derived from them, and policies/schemas/*.json, the copies editors and
 * users read, are written from them, bundled so that each stands alone (bundle.ts; `npm run
 * schemas`; schemas.test.ts fails while they differ). `netcompile schema KIND` prints one.
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

/** Where each kind's self-contained schema ships, relative to the package root. */
export const SCHEMA_PATHS = {
  Cluster: "policies/schemas/cluster.schema.json",
  Topology: "policies/schemas/topology.schema.json",
  IPPool: "policies/schemas/ippool.schema.json",
  Policy: "policies/schemas/policy.schema.json",
} as const satisfies Record<KindName, string>;

/** Every schema file and the object it is written from (bundled: see bundle.ts). */
export const SCHEMA_FILES: readonly { readonly path: string; readonly schema: NetcompileSchema }[] =
  [
    { path: "policies/schemas/common.schema.json", schema: commonSchema },
    ...(Object.keys(KIND_SCHEMAS) as KindName[]).map((kind) => ({
      path: SCHEMA_PATHS[kind],
      schema: KIND_SCHEMAS[kind],
    })),
  ];
