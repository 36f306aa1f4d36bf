import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  catalog,
  formatMessage,
  type DiagnosticCode,
  type MessageData,
  type Placeholders,
} from "./catalog.js";
import { diagnostic, fileSpan } from "./make.js";

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

  it("uses NCnnnn codes in the categories docs/diagnostics.md lists, and 7xxx for live snapshots", () => {
    for (const code of codes) {
      expect(code).toMatch(/^NC[1235679]\d{3}$/);
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
    // @ts-expect-error -- a missing placeholder fails tsc; at run time it throws.
    expect(() => formatMessage("NC2001", { field: "x" })).toThrow(/needs "hint"/);
    expect(formatMessage("NC2001", { field: "x", hint: "" })).toBe('unknown field "x"');
  });

  it("types each code's data from its template (tsc checks every call)", () => {
    expectTypeOf<Placeholders<"a {x} b {y}{z}">>().toEqualTypeOf<"x" | "y" | "z">();
    expectTypeOf<MessageData<"NC3013">>().toEqualTypeOf<{
      readonly gateway: string | number;
      readonly subnet: string | number;
      readonly cidr: string | number;
    }>();
    const span = fileSpan("f.yaml");
    // @ts-expect-error -- a placeholder the message does not have fails tsc.
    diagnostic("NC3012", span, { gateway: "x", cidr: "10.0.0.0/8" });
    // @ts-expect-error -- so does a missing one (which throws at run time).
    expect(() => diagnostic("NC3012", span, {})).toThrow(/needs "gateway"/);
    // A code without placeholders takes no data.
    expect(diagnostic("NC3011", span).message).toBe(catalog.NC3011.message);
  });

  it("keeps the data beside the message, so tests assert code and data, not prose", () => {
    const d = diagnostic("NC3012", fileSpan("f.yaml"), { gateway: "nowhere" });
    expect(d).toMatchObject({ code: "NC3012", data: { gateway: "nowhere" } });
    expect(d.message).toBe('gateway "nowhere" is not an IP address');
  });

  it("has data placeholders made of word characters only (what formatMessage fills)", () => {
    for (const code of codes) {
      const template: string = catalog[code].message;
      const braces = template.match(/[{}]/g)?.length ?? 0;
      const placeholders = template.match(/\{\w+\}/g)?.length ?? 0;
      expect(braces, code).toBe(placeholders * 2);
    }
  });

  it("is listed in docs/diagnostics.md, code by code, with its severity, title and data", () => {
    const doc = readFileSync(join(srcDir, "..", "docs", "diagnostics.md"), "utf8");
    const rows = doc.split("\n").filter((line) => /^\| NC\d{4} \|/.test(line));
    const expected = codes.map((code) => {
      const entry = catalog[code];
      const names = [
        ...new Set([...(entry.message as string).matchAll(/\{(\w+)\}/g)].map((m) => m[1])),
      ];
      const data = names.map((n) => `\`${n}\``).join(", ") || "—";
      return `| ${code} | ${entry.severity} | ${entry.title} | ${data} |`;
    });
    expect(rows).toEqual(expected);
  });
});
