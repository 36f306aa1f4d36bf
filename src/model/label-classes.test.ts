import { describe, expect, it } from "vitest";
import { HOSTNAME_LABEL } from "./defaults.js";
import { nodesSelectedBy, nodesSelectedByAny } from "./label-classes.js";
import { parseSelector, type Selector } from "./selector.js";

function selector(text: string): Selector {
  const parsed = parseSelector(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.selector;
}

const node = (name: string, labels: Record<string, string>) =>
  Object.freeze({ name, labels: Object.freeze({ ...labels, [HOSTNAME_LABEL]: name }) });

/** Two zones, interleaved, and one node in zone a with a label of its own. */
const nodes = Object.freeze([
  node("a-1", { zone: "a" }),
  node("b-1", { zone: "b" }),
  node("a-2", { zone: "a" }),
  node("a-3", { zone: "a", gpu: "true" }),
  node("b-2", { zone: "b" }),
]);
const names = (list: readonly { name: string }[]) => list.map((n) => n.name);
const oneByOne = (s: Selector) => names(nodes.filter((n) => s.matches(n.labels)));

describe("nodesSelectedBy", () => {
  it.each([
    'zone == "a"',
    'zone == "b"',
    "has(gpu)",
    'zone == "a" && !has(gpu)',
    "all()",
    `${HOSTNAME_LABEL} in {"b-1", "a-3"}`,
    `${HOSTNAME_LABEL} == "a-2" || zone == "b"`,
  ])("selects what evaluating %s node by node selects, in the nodes' order", (text) => {
    const s = selector(text);
    expect(names(nodesSelectedBy(s, nodes))).toEqual(oneByOne(s));
  });

  it("tells apart nodes whose other labels differ, not only their hostname", () => {
    // a-3 shares zone a with a-1 and a-2: one answer per class would select it with them.
    expect(names(nodesSelectedBy(selector('zone == "a" && !has(gpu)'), nodes))).toEqual([
      "a-1",
      "a-2",
    ]);
  });

  it("reads the hostname label node by node when a selector reads it", () => {
    expect(names(nodesSelectedBy(selector(`${HOSTNAME_LABEL} == "a-2"`), nodes))).toEqual(["a-2"]);
  });

  it("selects what any of several selectors selects, and nothing for none", () => {
    const either = nodesSelectedByAny([selector("has(gpu)"), selector('zone == "b"')], nodes);
    expect(names(either)).toEqual(["b-1", "a-3", "b-2"]);
    expect(nodesSelectedByAny([], nodes)).toEqual([]);
  });
});

describe("nodesSelectedBy over a node group", () => {
  it("puts a node in the class of the node before it only when every other label agrees", () => {
    const group = Object.freeze([
      node("w-1", { zone: "a", role: "worker" }),
      node("w-2", { zone: "a", role: "worker" }),
      node("w-3", { zone: "a", role: "edge" }), // one label differs from the node before it
      node("w-4", { zone: "a", team: "worker" }), // as many labels, another key
      node("w-5", { zone: "a", role: "worker" }),
      // As many labels as w-5, the same but for a key in place of the hostname label.
      { name: "x", labels: Object.freeze({ zone: "a", role: "worker", other: "x" }) },
    ]);
    for (const text of ['role == "worker"', "has(other)", "has(team)"]) {
      const s = selector(text);
      expect(names(nodesSelectedBy(s, group)), text).toEqual(
        names(group.filter((n) => s.matches(n.labels))),
      );
    }
    expect(names(nodesSelectedBy(selector("has(other)"), group))).toEqual(["x"]);
    expect(names(nodesSelectedBy(selector('role == "worker"'), group))).toEqual([
      "w-1",
      "w-2",
      "w-5",
      "x",
    ]);
  });
});
