import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DOCS_BASE_URL, GENERATOR, REPOSITORY_URL, VERSION } from "./version.js";
import { parseJson } from "../test/support.js";

describe("the version", () => {
  it("is package.json's", () => {
    const pkg = parseJson<{ version: string }>(
      readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"),
    );
    expect(VERSION).toBe(pkg.version);
    expect(GENERATOR).toBe(`netcompile/${pkg.version}`);
  });

  it("and the repository URL, which documentation links are built on, is package.json's", () => {
    const pkg = parseJson<{ repository: unknown; homepage: string }>(
      readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"),
    );
    expect(pkg.repository).toEqual({ type: "git", url: `git+${REPOSITORY_URL}.git` });
    expect(pkg.homepage).toBe(`${REPOSITORY_URL}#readme`);
    expect(DOCS_BASE_URL).toBe(`${REPOSITORY_URL}/blob/main/`);
  });
});
