/**
 * Writes policies/schemas/*.json from the schema modules in src/schema/schemas/ (the one
 * source), each bundled to stand alone: `npm run schemas`. Formatted by prettier with the repository's settings, so the
 * files pass `prettier --check` and a test can compare them byte for byte.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, resolveConfig } from "prettier";
import { packageRoot } from "../src/assets.js";
import { bundleSchema } from "../src/schema/schemas/bundle.js";
import { SCHEMA_FILES } from "../src/schema/schemas/index.js";

/** Each schema file's path (relative to the package root) and the text it should hold. */
export async function schemaFileTexts(): Promise<{ path: string; text: string }[]> {
  return Promise.all(
    SCHEMA_FILES.map(async ({ path, schema }) => {
      const filepath = join(packageRoot, path);
      const options = (await resolveConfig(filepath)) ?? {};
      // Compact input: prettier keeps on one line what fits, as a hand-formatted file would.
      const text = await format(JSON.stringify(bundleSchema(schema)), { ...options, filepath });
      return { path, text };
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { path, text } of await schemaFileTexts()) {
    writeFileSync(join(packageRoot, path), text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
