import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { iniValue, yamlScalar } from "./quote.js";

/** Strings YAML would read as something else, or that would change a document's structure. */
const TRICKY = [
  ...["yes", "no", "on", "off", "y", "n", "Y", "N", "YES", "No", "On", "OFF"],
  ...["true", "false", "True", "FALSE", "null", "Null", "NULL", "~", ""],
  ...["0", "1480", "007", "-1", "+1", "1e3", "0x1F", "0o17", "0b101", "1_000", "3.14", ".5"],
  ...[".inf", "-.inf", ".NaN", "1:20", "190:20:30"],
  ...["2001-12-14", "2001-12-14t21:59:43.10-05:00", "2024-01-01 10:00"],
  ..."*&!|>%@`'\"#-?:,[]{}".split("").map((c) => `${c}x`),
  ...["a #b", "#comment", "a: b", "a:b", "key: value: x", "- item", "? key", "--- doc", "..."],
  ...["end.", " lead", "trail ", "two\nlines", "tab\there", "cr\rhere"],
  ...["ünïcødé", "名前", "emoji 🚀", "\u2028line", "\u0085nel", "\u00a0nbsp", "\u007fdel"],
  ...[
    "\u0000nul",
    "\u0007bell",
    "\u009fc1",
    "\ufeffbom",
    "a\\b",
    "IPIPCrossSubnet",
    "Cluster/demo",
  ],
];

/** What the scalar reads back as, in block and in flow context, as YAML 1.1 and 1.2. */
function readBack(scalar: string): unknown[] {
  return (["1.1", "1.2"] as const).flatMap((version) => [
    (parse(`k: ${scalar}\n`, { version }) as { k: unknown }).k,
    (parse(`{k: ${scalar}, j: 1}\n`, { version }) as { k: unknown }).k,
  ]);
}

/** Raw in a YAML stream: not allowed (C0 but tab, DEL, C1, BOM, non-characters) or a line break. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is about
const NOT_RAW = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

describe("yamlScalar", () => {
  it.each(TRICKY)("%j reads back as the same string in YAML 1.1 and 1.2, block and flow", (s) => {
    expect(readBack(yamlScalar(s))).toEqual([s, s, s, s]);
  });

  it("leaves plain only what cannot be read as anything else", () => {
    expect(
      ["IPPool/pool-1", "networking.podMTU", "VXLANCrossSubnet", "_x"].map(yamlScalar),
    ).toEqual(["IPPool/pool-1", "networking.podMTU", "VXLANCrossSubnet", "_x"]);
    expect(["1480", "yes", "~", "end."].map(yamlScalar)).toEqual([
      '"1480"',
      '"yes"',
      '"~"',
      '"end."',
    ]);
  });

  it("reads back any string (random, full Unicode)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        expect(readBack(yamlScalar(s))).toEqual([s, s, s, s]);
      }),
      { numRuns: 500 },
    );
  });

  it("never writes a character YAML does not allow raw or YAML 1.1 reads as a line break", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        expect(yamlScalar(s)).not.toMatch(NOT_RAW);
      }),
      { numRuns: 1000 },
    );
    expect(yamlScalar("a\u0085b\u007f\u2028\ufeff")).toBe('"a\\u0085b\\u007f\\u2028\\ufeff"');
  });

  it("writes numbers, booleans and null as YAML's own, and refuses what YAML cannot hold", () => {
    expect([1480, 0, -1.5, true, false, null, undefined].map(yamlScalar)).toEqual([
      "1480",
      "0",
      "-1.5",
      "true",
      "false",
      "null",
      "null",
    ]);
    expect(() => yamlScalar(Number.NaN)).toThrow(TypeError);
    expect(() => yamlScalar({})).toThrow(TypeError);
  });
});

describe("iniValue", () => {
  it("passes a value that stays on its line, and refuses one that would not", () => {
    expect(iniValue("eth0")).toBe("eth0");
    expect(iniValue(1450)).toBe("1450");
    for (const bad of ["a\nb", "a\rb", "a\0b", " lead", "trail ", "", "a\ud800"])
      expect(() => iniValue(bad)).toThrow(TypeError);
  });
});
