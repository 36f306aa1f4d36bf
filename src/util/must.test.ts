import { describe, expect, it } from "vitest";
import { must } from "./must.js";

describe("must", () => {
  it("returns a value that is there, falsy ones included", () => {
    expect(must(0, "a count")).toBe(0);
    expect(must("", "a name")).toBe("");
    expect(must(null, "a node")).toBeNull();
  });

  it("throws an error naming what is missing", () => {
    expect(() => must(new Map<string, number>().get("a"), 'node "a"')).toThrow(
      'node "a" is missing',
    );
  });
});
