/**
 * Upstream reference files (Calico's release manifests and CRDs at the version netcompile
 * targets) that some tests compare with. They are never copied into the repository: a test reads
 * them from the folder named by NETCOMPILE_CALICO_REFERENCE, else from `../shared/reference`
 * beside the repository (where this project's CI keeps them). When a file is in neither, the
 * test that needs it reports itself skipped with the reason; the facts netcompile relies on
 * from these files are also asserted by its own tests, which always run.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

export const REFERENCE_ENV = "NETCOMPILE_CALICO_REFERENCE";

/** The folder reference files are looked up in. */
export function referenceDir(): string {
  return process.env[REFERENCE_ENV] ?? join(import.meta.dirname, "..", "..", "shared", "reference");
}

/** The path of a reference file, or why it is missing (a skip reason). */
export function referenceFile(
  name: string,
):
  | { readonly path: string; readonly missing?: undefined }
  | { readonly path?: undefined; readonly missing: string } {
  const path = join(referenceDir(), name);
  if (existsSync(path)) return { path };
  return {
    missing: `upstream reference ${name} not found in ${referenceDir()} (set ${REFERENCE_ENV} to a folder holding it)`,
  };
}
