/**
 * The CLI's bundle carries every template precompiled (src/render/precompile.ts), renders what
 * the sources render, and follows templates/ beside it when a user has edited a template there
 * (the package ships templates/ beside lib/): the edited file is compiled, not the bundle's code.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleCli, CLI_BUNDLE } from "../scripts/bundle-cli.js";
import { loadBundle, type Cli } from "../src/cli/start.js";
import { templateHash } from "../src/render/engine.js";
import { cli } from "./support.js";

const root = join(import.meta.dirname, "..");
const basic = join(root, "fixtures", "examples", "basic");
let pkg: string;
let bundle: string;

beforeAll(async () => {
  pkg = mkdtempSync(join(tmpdir(), "netcompile-bundle-"));
  for (const entry of ["templates", "policies", "docs/diagnostics.md", "package.json"])
    cpSync(join(root, entry), join(pkg, entry), { recursive: true });
  mkdirSync(join(pkg, "lib"));
  bundle = join(pkg, CLI_BUNDLE);
  // No lib/cli/train-code-cache.js beside it: no code cache is made.
  await bundleCli(bundle);
});
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

/** `netcompile ...argv` run by a fresh load of the bundle (its templates not yet made). */
async function bundled(argv: readonly string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const { exports } = loadBundle<Cli>(bundle, undefined);
  const code = await exports.run(argv, {
    stdout: { write: (s: string) => (stdout += s).length > 0 },
    stderr: { write: () => true },
    cwd: root,
    env: { NO_COLOR: "1" },
  });
  return { code, stdout };
}

describe("the CLI's bundle", () => {
  it("carries every template precompiled, each with the hash of its source", () => {
    const text = readFileSync(bundle, "utf8");
    const templates = readdirSync(join(root, "templates")).filter((f) => f.endsWith(".hbs"));
    expect(templates.length).toBeGreaterThan(10);
    for (const file of templates) {
      const hash = templateHash(readFileSync(join(root, "templates", file), "utf8"));
      expect(text, file).toContain(`"${file.slice(0, -".hbs".length)}": { sha256: "${hash}"`);
    }
  });

  it("renders what the sources render, and an edited template as it now reads", async () => {
    const fromSource = await cli(["render", "--repo", basic], root);
    expect(fromSource.code).toBe(0);
    expect(await bundled(["render", "--repo", basic])).toEqual({
      code: 0,
      stdout: fromSource.stdout,
    });

    const ippools = join(pkg, "templates", "ippools.yaml.hbs");
    const added = "# edited beside lib/\n";
    writeFileSync(ippools, added + readFileSync(ippools, "utf8"));
    const edited = await bundled(["render", "--repo", basic]);
    expect(edited.code).toBe(0);
    expect(edited.stdout).toContain(`\n${added}`);
    expect(edited.stdout.replace(added, "")).toBe(fromSource.stdout);
  });
});
