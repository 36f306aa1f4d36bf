/** Input limits: each one, when reached, becomes a diagnostic naming it (see SECURITY.md). */
export const LIMITS = {
  /** A single input file. */
  maxFileBytes: 8 * 1024 * 1024,
  /** YAML alias expansions per document (alias bombs). */
  maxAliasCount: 100,
  /** Nesting depth of a document. */
  maxDepth: 64,
  /** Nodes one nodeGroup may expand to. */
  maxGroupCount: 100_000,
  /** Nodes in the whole repository. */
  maxNodes: 100_000,
} as const;
