import { describe, expect, it } from "vitest";
import { podMTUWithin } from "./mtu.js";

describe("podMTUWithin", () => {
  it("leaves the whole underlay MTU without encapsulation", () => {
    expect(podMTUWithin(1500, [])).toEqual({ encapsulation: undefined, overhead: 0, mtu: 1500 });
  });

  it.each([
    [["ipip"], "ipip", 20, 1480],
    [["vxlan"], "vxlan", 50, 1450],
    [["vxlan-v6"], "vxlan-v6", 70, 1430],
  ] as const)("%j costs its own header", (used, encapsulation, overhead, mtu) => {
    expect(podMTUWithin(1500, used)).toEqual({ encapsulation, overhead, mtu });
  });

  it("takes the largest header of several, in any order", () => {
    for (const used of [
      ["ipip", "vxlan", "vxlan-v6"],
      ["vxlan-v6", "vxlan", "ipip"],
      ["vxlan", "vxlan-v6"],
    ] as const) {
      expect(podMTUWithin(9000, used)).toEqual({
        encapsulation: "vxlan-v6",
        overhead: 70,
        mtu: 8930,
      });
    }
    expect(podMTUWithin(1500, new Set(["vxlan", "ipip"] as const)).mtu).toBe(1450);
  });
});
