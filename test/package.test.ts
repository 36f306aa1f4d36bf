/**
 * What `npm pack` ships: the CLI (bin/, lib/), its assets, README and LICENSE — never the tests,
 * the rule testers, the sources or the Action (which ships as its own bundle in dist/).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJson } from "./support.js";

const root = join(import.meta.dirname, "..");

describe("the npm package", () => {
  it("lists the files `npm pack` would ship, and none for testing", (ctx) => {
    ctx.skip(
      !existsSync(join(root, "lib", "cli", "start.js")),
      "lib/ is not built (npm ci builds it through prepare; or run npm run build)",
    );
    const [pack] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: root,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      }),
    ) as [{ files: { path: string }[] }];
    const files = pack.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "README.md",
        "package.json",
        "bin/netcompile.js",
        "lib/cli/start.js",
        "lib/netcompile.cjs",
        "lib/netcompile.code-cache",
        "lib/pipeline.js",
        "templates/ippools.yaml.hbs",
        "policies/docs/pool-overlap.md",
        "docs/diagnostics.md",
      ]),
    );
    const forTesting = files.filter((f) =>
      /(^|\/)(test|fixtures|src|dist|bench|scripts)\/|\.test\.|tester|^lib\/action\//.test(f),
    );
    expect(forTesting).toEqual([]);
  });

  it("is built without the rule testers, the tests or the Action (tsconfig.build.json)", () => {
    const listed = execFileSync(
      join(root, "node_modules", ".bin", "tsc"),
      ["-p", "tsconfig.build.json", "--listFilesOnly"],
      { cwd: root, encoding: "utf8" },
    )
      .split("\n")
      .filter((f) => f.startsWith(join(root, "src")));
    expect(listed.length).toBeGreaterThan(50);
    expect(listed.filter((f) => /tester|\.test\.ts$|\/src\/action\//.test(f))).toEqual([]);
  });

  it("carries the Apache-2.0 license package.json names", () => {
    const pkg = parseJson<{ license: string }>(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.license).toBe("Apache-2.0");
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    expect(license).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(license).toContain("END OF TERMS AND CONDITIONS");
  });
});
