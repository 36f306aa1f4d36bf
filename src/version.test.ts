import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATOR, VERSION } from "./version.js";
import { parseJson } from "../test/support.js";

describe("the version", () => {
  it("is package.json's", () => {
    const pkg = parseJson<{ version: string }>(
      readFileSync(join(import.meta.dirname, "..", "package.json"), "utf8"),
    );
    expect(VERSION).toBe(pkg.version);
    expect(GENERATOR).toBe(`netcompile/${pkg.version}`);
  });
});
