import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalog, formatMessage, type DiagnosticCode } from "./catalog.js";

const srcDir = join(import.meta.dirname, "..");
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")
        ? [readFileSync(join(dir, e.name), "utf8")]
        : [],
  );
}

describe("the diagnostic catalog", () => {
  const codes = Object.keys(catalog) as DiagnosticCode[];

  it("uses NCnnnn codes in the categories of DESIGN.md", () => {
    for (const code of codes) {
      expect(code).toMatch(/^NC[123569]\d{3}$/);
    }
  });

  it("has no two entries with the same title", () => {
    const titles = codes.map((c) => catalog[c].title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it("has no code that nothing in the source emits", () => {
    const text = sources(srcDir)
      .join("\n")
      .replace(/export const catalog = \{[\s\S]*?\n\} as const/, "");
    const unused = codes.filter((code) => !text.includes(`"${code}"`));
    expect(unused).toEqual([]);
  });

  it("refuses to format a message with a placeholder left empty", () => {
    expect(() => formatMessage("NC2001", { field: "x" })).toThrow(/needs "hint"/);
    expect(formatMessage("NC2001", { field: "x", hint: "" })).toBe('unknown field "x"');
  });
});
