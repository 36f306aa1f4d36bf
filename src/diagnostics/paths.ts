/**
 * How a diagnostic's file is shown: relative to the repository, so the formatters put the
 * repository's folder (as the user named it) before it. Files outside the repository (a live
 * snapshot's, `../snapshot/nodes.json`) are normalised, so the user reads a path from the
 * working directory; absolute paths are kept.
 */
import { posix } from "node:path";

export function pathsFrom(pathPrefix: string | undefined): (file: string) => string {
  const prefix = pathPrefix && pathPrefix !== "." ? `${pathPrefix.replace(/\/+$/, "")}/` : "";
  return (file) => {
    if (file.startsWith("/")) return file;
    const joined = `${prefix}${file}`;
    return joined.includes("..") || joined.includes("./") ? posix.normalize(joined) : joined;
  };
}
