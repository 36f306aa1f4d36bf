/** Input limits: each one, when reached, becomes a diagnostic naming it (see SECURITY.md). */
export const LIMITS = {
  /** A single input file. */
  maxFileBytes: 8 * 1024 * 1024,
  /** YAML alias expansions per document (alias bombs). */
  maxAliasCount: 100,
  /** Nesting depth of a document. */
  maxDepth: 64,
  /** Nodes one nodeGroup may expand to. */
  maxGroupCount: 50_000,
  /** Nodes in the whole repository. */
  maxNodes: 50_000,
  /** All YAML files read, together. */
  maxTotalBytes: 64 * 1024 * 1024,
  /** YAML documents in the whole repository. */
  maxDocuments: 20_000,
  /** IPPool resources in the whole repository. */
  maxPools: 1_000,
  /** Subnets over all Topology documents. */
  maxSubnets: 10_000,
  /** One file of a rendered tree that `plan` reads as its base (own output or --against). */
  maxOutputFileBytes: 64 * 1024 * 1024,
  /** A file name (one path component) in bytes: NAME_MAX on Linux, macOS and Windows. */
  maxFileNameBytes: 255,
  /** Policy assertions: schema size times the resources each may match, over all Policies. */
  maxPolicyWork: 20_000_000,
} as const;
