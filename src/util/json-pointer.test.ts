import { describe, expect, it } from "vitest";
import { pathText, pointerToPath } from "./json-pointer.js";

describe("pointerToPath", () => {
  it("splits a pointer into keys and indexes; the empty pointer is the document", () => {
    expect(pointerToPath("")).toEqual([]);
    expect(pointerToPath("/spec/nodes/2/address")).toEqual(["spec", "nodes", 2, "address"]);
  });

  it("unescapes ~1 and ~0 (in that order), and keeps number-like keys that are not indexes", () => {
    expect(pointerToPath("/metadata/annotations/a~1b~0c")).toEqual([
      "metadata",
      "annotations",
      "a/b~c",
    ]);
    expect(pointerToPath("/x/~01")).toEqual(["x", "~1"]);
    expect(pointerToPath("/labels/01/-1/0")).toEqual(["labels", "01", "-1", 0]);
    expect(pointerToPath("/a//b")).toEqual(["a", "", "b"]);
  });
});

describe("pathText", () => {
  it("writes keys dotted and indexes in brackets", () => {
    expect(pathText(["spec", "nodes", 2, "address"])).toBe("spec.nodes[2].address");
    expect(pathText([0, "name"])).toBe("[0].name");
    expect(pathText([])).toBe("");
  });
});
