/**
 * The file a build writes at the root of its output folder (emit/lock.ts writes it). The loader
 * leaves an output folder out of the input only when it is there: a folder without it is no
 * build's, and its YAML is said (NC1045), never skipped.
 */
export const LOCK_FILE = "netcompile.lock.json";
