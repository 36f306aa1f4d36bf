import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { didYouMean, naturalCompare, plural, withThousands } from "./text.js";

describe("plural", () => {
  it("counts in words: one without s, any other number with, thousands separated", () => {
    expect([0, 1, 2, 1000, 1234567].map((n) => plural(n, "node"))).toEqual([
      "0 nodes",
      "1 node",
      "2 nodes",
      "1,000 nodes",
      "1,234,567 nodes",
    ]);
    expect(plural(3, "disruptive change")).toBe("3 disruptive changes");
  });
});

describe("withThousands", () => {
  it("groups digits by three without locale data, and leaves small numbers alone", () => {
    expect([0, 999, 1000, 65536, 1048576, -1234].map(withThousands)).toEqual([
      "0",
      "999",
      "1,000",
      "65,536",
      "1,048,576",
      "-1,234",
    ]);
  });
});

describe("didYouMean", () => {
  const fields = ["ipipMode", "vxlanMode", "natOutgoing", "nodeSelector"];

  it("names the candidate a typo is close to, as written in the candidates", () => {
    expect(didYouMean("ipipmode", fields)).toBe('; did you mean "ipipMode"?');
    expect(didYouMean("vxlanMod", fields)).toBe('; did you mean "vxlanMode"?');
    expect(didYouMean("natOutgoign", fields)).toBe('; did you mean "natOutgoing"?');
  });

  it("says nothing when nothing is close, or there is nothing to choose from", () => {
    expect(didYouMean("blockSize", fields)).toBe("");
    expect(didYouMean("x", [])).toBe("");
  });

  it("allows more edits for longer words: a third of the length, at least two", () => {
    expect(didYouMean("ab", ["cd"])).toBe('; did you mean "cd"?');
    expect(didYouMean("abc", ["xyz"])).toBe("");
    expect(didYouMean("nodeselectorxx", ["nodeSelector"])).toBe('; did you mean "nodeSelector"?');
  });
});

describe("naturalCompare", () => {
  it("orders numbers inside names by value", () => {
    expect(["w-10", "w-9", "w-1", "w-2a", "w-2"].sort(naturalCompare)).toEqual([
      "w-1",
      "w-2",
      "w-2a",
      "w-9",
      "w-10",
    ]);
    expect(["b", "a10", "a9"].sort(naturalCompare)).toEqual(["a9", "a10", "b"]);
  });

  it("tells apart the same number written with leading zeros (fewer first)", () => {
    expect(["n-007", "n-7", "n-07"].sort(naturalCompare)).toEqual(["n-7", "n-07", "n-007"]);
  });

  it("is a total order: antisymmetric, 0 only for equal strings, transitive", () => {
    const name = fc.stringMatching(/^[a-c0-3-]{0,6}$/);
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        expect(Math.sign(naturalCompare(a, b)) + Math.sign(naturalCompare(b, a))).toBe(0);
        expect(naturalCompare(a, b) === 0).toBe(a === b);
        if (naturalCompare(a, b) < 0 && naturalCompare(b, c) < 0)
          expect(naturalCompare(a, c)).toBeLessThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});
