/**
 * The TypeScript types of schema-valid documents, derived from the schema objects themselves
 * (json-schema-to-ts `FromSchema`): ajv compiles the same objects, so a document that passed
 * validation has exactly this type, and a schema change the model does not follow fails `tsc`.
 */
import type { FromExtendedSchema } from "json-schema-to-ts";
import type { LoadedDocument } from "../load/load.js";
import type { KindName } from "../load/kinds.js";
import type { NetcompileSchema, SchemaExtension } from "./schemas/extension.js";
import type {
  clusterSchema,
  commonSchema,
  ipPoolSchema,
  policySchema,
  topologySchema,
} from "./schemas/index.js";

type Of<S extends NetcompileSchema> = FromExtendedSchema<
  SchemaExtension,
  S,
  { references: [typeof commonSchema] }
>;

export type ClusterDocument = Of<typeof clusterSchema>;
export type TopologyDocument = Of<typeof topologySchema>;
export type IPPoolDocument = Of<typeof ipPoolSchema>;
export type PolicyDocument = Of<typeof policySchema>;

export type ClusterSpec = NonNullable<ClusterDocument["spec"]>;
export type TopologySpec = TopologyDocument["spec"];
export type IPPoolSpec = IPPoolDocument["spec"];
export type PolicySpec = PolicyDocument["spec"];
/** `metadata` as the schemas allow it (a Topology's is optional, and so is its name). */
export type DocumentMetadata = NonNullable<TopologyDocument["metadata"]>;

/** What a document of each kind holds once its schema accepted it. */
export interface DocumentValues extends Record<KindName, unknown> {
  readonly Cluster: ClusterDocument;
  readonly Topology: TopologyDocument;
  readonly IPPool: IPPoolDocument;
  readonly Policy: PolicyDocument;
}

/** A loaded document its kind's schema accepted, with its value typed by that schema. */
export type ValidDocument<K extends KindName = KindName> = K extends KindName
  ? Omit<LoadedDocument, "kind" | "value"> & {
      readonly kind: K;
      readonly value: DocumentValues[K];
    }
  : never;
