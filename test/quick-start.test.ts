/**
 * The README's Quick start is what CI runs on a fresh clone with nothing beside it (.ci/run,
 * through .ci/quick-start): these tests pin that the extraction finds the commands, so a
 * change to the README's form cannot make CI run nothing and pass.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeDir, testdir } from "./support.js";

const root = join(import.meta.dirname, "..");
const extract = (readme: string) =>
  spawnSync("bash", [join(root, ".ci", "quick-start"), readme], { encoding: "utf8" });

describe("the README's Quick start", () => {
  it("is the commands .ci/run runs on a fresh clone: install, the example, the whole suite", () => {
    const r = extract(join(root, "README.md"));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("npm ci && npm run example\nnpm test\n");
  });

  it("names only npm scripts that package.json has", () => {
    const { scripts } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const commands = extract(join(root, "README.md")).stdout;
    for (const [, name] of commands.matchAll(/npm run ([\w:-]+)/g))
      expect(scripts, `npm run ${name}`).toHaveProperty(name ?? "");
  });

  it("is found only in its own section's sh block (other blocks are not run)", () => {
    const dir = testdir({
      "README.md": [
        "# x",
        "## Quick start",
        "```sh",
        "echo one   # a comment",
        "```",
        "```yaml",
        "k: v",
        "```",
        "## Next",
        "```sh",
        "echo two",
        "```",
        "",
      ].join("\n"),
    });
    try {
      expect(extract(join(dir, "README.md")).stdout).toBe("echo one\n");
    } finally {
      removeDir(dir);
    }
  });
});
