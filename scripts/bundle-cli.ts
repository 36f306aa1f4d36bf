/**
 * Bundles the CLI into lib/netcompile.cjs and makes its code cache lib/netcompile.code-cache,
 * which bin/netcompile.js starts from through lib/cli/start.js (`npm run build`, after tsc).
 *
 * One file instead of some 250 modules (lib/ and the dependencies') halves the start-up every
 * command pays: about 0.4 s of CPU to 0.2 s for `netcompile --version`. The code cache then saves
 * compiling that file and what the commands call (src/cli/start.ts says why it is CommonJS).
 * It reads templates/ and policies/ beside the package, as lib/ does, and carries the templates
 * precompiled too (src/render/precompile.ts: used while templates/ holds what they were made
 * from); lib/licenses.txt carries the licenses of the bundled packages.
 */
import { execFileSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { licenses, NODE_BUNDLE } from "../src/action/package-dist.js";
import { packageRoot } from "../src/assets.js";
import { precompiledTemplates } from "../src/render/precompile.js";

export const CLI_BUNDLE = "lib/netcompile.cjs";
export const CLI_CODE_CACHE = "lib/netcompile.code-cache";

/**
 * Writes the bundle (and licenses.txt beside it) to `outFile`, and its code cache beside it when
 * lib/cli/train-code-cache.js is built beside it and `examples` (the example repositories) exists.
 */
export async function bundleCli(
  outFile = join(packageRoot, CLI_BUNDLE),
  examples = join(packageRoot, "fixtures", "examples"),
): Promise<void> {
  const result = await build({
    absWorkingDir: packageRoot,
    entryPoints: ["src/cli/main.ts"],
    outfile: outFile,
    ...NODE_BUNDLE,
    // A classic script, which V8 can cache; start.ts runs it as Node runs a CommonJS file.
    format: "cjs",
    banner: {
      js: 'const __netcompileModuleUrl = require("node:url").pathToFileURL(__filename).href;',
    },
    define: { "import.meta.url": "__netcompileModuleUrl" },
    logLevel: "warning",
    plugins: [precompiledTemplates(packageRoot)],
  });
  const lib = dirname(outFile);
  writeFileSync(join(lib, "licenses.txt"), licenses(packageRoot, result.metafile, CLI_BUNDLE));
  const cache = join(lib, "netcompile.code-cache");
  rmSync(cache, { force: true });
  const trainer = join(lib, "cli", "train-code-cache.js");
  if (existsSync(trainer) && existsSync(examples)) {
    // A Node of its own, without this script's loaders: the cache is for `node bin/netcompile.js`.
    execFileSync(process.execPath, [trainer, outFile, cache, examples], { stdio: "inherit" });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleCli();
}
