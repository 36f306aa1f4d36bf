/**
 * A kubectl JSON List read item by item gives what JSON.parse of the whole file gives, and
 * anything the split cannot prove the same (items elsewhere, twice, a piece that is not a
 * whole value, a file cut off) is read whole, with the diagnostics a whole read gives.
 */
import { describe, expect, it } from "vitest";
import { exampleCluster, kubeNode, kubectlJson, kubectlList } from "../../bench/snapshot.js";
import { splitKubectlList } from "./json-list.js";
import { parseSnapshotFile } from "./load.js";

const spec = exampleCluster();
const nodes = spec.nodes.slice(0, 5).map((n, i) => kubeNode(spec, n, i));
const text = kubectlJson(kubectlList(nodes));

/** The items as split, each parsed on its own. */
function splitItems(source: string): unknown[] | undefined {
  const bytes = Buffer.from(source);
  const split = splitKubectlList(bytes);
  return split?.items.map(({ start, end }): unknown =>
    JSON.parse(bytes.toString("utf8", start, end)),
  );
}

/** What parseSnapshotFile reads from a file: objects (name and where) and diagnostics. */
function read(source: string) {
  const parsed = parseSnapshotFile("snap/nodes.json", "nodes.json", Buffer.from(source));
  return {
    objects: parsed.objects.map((o) => {
      const at = o.source.at(["metadata", "name"]);
      return `${o.kind} ${o.name} ${at.line}:${at.column}`;
    }),
    ignored: [...parsed.ignored],
    diagnostics: parsed.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`),
  };
}

const lines = text.split("\n");

describe("splitKubectlList", () => {
  it("splits kubectl's List into its items, each the value JSON.parse of the whole gives", () => {
    const whole = JSON.parse(text) as { items: unknown[] };
    expect(splitItems(text)).toEqual(whole.items);
    const split = splitKubectlList(Buffer.from(text))!;
    const { items: _items, ...list } = whole as Record<string, unknown>;
    expect(split.list).toEqual(list);
  });

  it("splits a List of one item, and text after the List's last member", () => {
    const one = kubectlJson(kubectlList(nodes.slice(0, 1)));
    expect(splitItems(one)).toEqual((JSON.parse(one) as { items: unknown[] }).items);
  });

  it("reads whole what it cannot prove: items twice, items not the List's, pieces that are not values", () => {
    // kubectl's layout, but the List's `items` given twice: JSON.parse keeps the last.
    const twice = text.replace(/\n}\n$/, ',\n    "items": []\n}\n');
    expect((JSON.parse(twice) as { items: unknown[] }).items).toEqual([]);
    expect(splitItems(twice)).toBeUndefined();
    // The same layout one level down: the List's `items` is another array.
    const nested = JSON.stringify({ apiVersion: "v1", kind: "List", items: [], x: nodes }, null, 4);
    expect(splitItems(nested)).toBeUndefined();
    // An object alone on its line at eight spaces inside an item: the pieces do not parse.
    const inner = JSON.stringify({ kind: "List", items: [{ a: [{ b: 1 }, { c: 2 }] }] }, null, 2);
    expect(splitItems(inner)).toBeUndefined();
    expect(splitItems(`[\n${text}]`)).toBeUndefined();
    expect(splitItems(text.slice(0, -20))).toBeUndefined();
  });
});

describe("a snapshot file read item by item", () => {
  it("finds the objects and where they are, as the whole read does", () => {
    const got = read(text);
    expect(got.diagnostics).toEqual([]);
    expect(got.objects).toHaveLength(5);
    const at = got.objects[2]!.split(" ").at(-1)!.split(":").map(Number);
    expect(lines[at[0]! - 1]!.slice(at[1]! - 1)).toBe(`"${spec.nodes[2]!.name}",`);
  });

  it("an item that is not JSON: the whole file's diagnostic, at the line and column it breaks", () => {
    const at = lines.findIndex((l) => l.includes(`"${spec.nodes[3]!.name}"`));
    const broken = [...lines];
    broken[at] = broken[at]!.replace(/,$/, ",,");
    const got = read(broken.join("\n"));
    expect(got.objects).toEqual([]);
    expect(got.diagnostics).toEqual([expect.stringMatching(new RegExp(`^NC7004 ${at + 1}:\\d+ `))]);
  });

  it("items given twice: the objects of the last and their places, as JSON.parse reads the file", () => {
    const twice = text.replace(
      /\n}\n$/,
      ',\n    "items": [{"apiVersion": "v1", "kind": "Node", "metadata": {"name": "last"}}]\n}\n',
    );
    const at = twice.split("\n").findIndex((l) => l.includes('"last"'));
    const column = twice.split("\n")[at]!.indexOf('"last"') + 1;
    expect(read(twice).objects).toEqual([`Node last ${at + 1}:${column}`]);
  });
});
