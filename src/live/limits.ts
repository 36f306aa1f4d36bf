/**
 * Limits on a live snapshot; each one, when reached, is a diagnostic naming it (SECURITY.md).
 * Measured: `kubectl get nodes -o json` of a 5,000-node cluster is about 76 MB (15 KB a node,
 * most of it status.images and managedFields; bench/snapshot.ts writes one), so one file may be
 * larger than anything in a repository.
 */
export const LIVE_LIMITS = {
  /** One snapshot file: room for `kubectl get nodes -o json` of about 15,000 nodes. */
  maxFileBytes: 256 * 1024 * 1024,
  /** All snapshot files together. */
  maxTotalBytes: 512 * 1024 * 1024,
  /** Files read from a snapshot folder. */
  maxFiles: 1_000,
  /** Kubernetes objects (List items count one each) over all files. */
  maxObjects: 500_000,
  /** Nesting depth of a document (YAML; JSON is checked by the same number). */
  maxDepth: 64,
} as const;

export type LiveLimitName = keyof typeof LIVE_LIMITS;

/** The limits as numbers (tests lower them). */
export type LiveLimits = { readonly [K in LiveLimitName]: number };
