/**
 * eachItem renders a block once per shared list and gives each host a range of it: the text
 * must be exactly what `each` prints, and a block that reads anything but its item (whose text
 * would then depend on the host) must be refused when the template is compiled.
 */
import { describe, expect, it } from "vitest";
import { compileTemplate, renderTemplate, renderTemplatePieces } from "./engine.js";
import { peerList } from "./host-model.js";
import { bytesOf, fileFromPieces, joinPieces, piecesOf, SharedText } from "./pieces.js";

const render = (source: string, context: object) => compileTemplate(source, source)(context);

describe("eachItem", () => {
  const items = [{ name: "a" }, { name: "b" }, { name: "c" }];

  it("prints what each prints, for an array and for a PeerList less one entry", () => {
    const each = "head\n{{#each list}}- {{q name}}\n{{/each}}tail\n";
    const eachItem = "head\n{{#eachItem list}}- {{q name}}\n{{/eachItem}}tail\n";
    expect(render(eachItem, { list: items })).toBe(render(each, { list: items }));
    for (const skip of [-1, 0, 1, 2])
      expect(render(eachItem, { list: peerList(items, skip) })).toBe(
        render(each, { list: items.filter((_, i) => i !== skip) }),
      );
    expect(render(eachItem, { list: peerList([]) })).toBe("head\ntail\n");
  });

  it.each([
    ["a parent value", "{{#eachItem list}}{{q ../x}}{{/eachItem}}"],
    ["@index", "{{#eachItem list}}{{q @index}}{{/eachItem}}"],
    ["@root", "{{#eachItem list}}{{q @root.x}}{{/eachItem}}"],
    ["a nested eachItem", "{{#eachItem list}}{{#eachItem sub}}x{{/eachItem}}{{/eachItem}}"],
    ["an else", "{{#eachItem list}}x{{else}}y{{/eachItem}}"],
    [
      "a parent value in a helper's argument",
      "{{#eachItem list}}{{#if ../x}}y{{/if}}{{/eachItem}}",
    ],
  ])("refuses a block that reads %s", (_, source) => {
    expect(() => compileTemplate("bad", source)).toThrow(/eachItem/);
  });

  it("the templates' host files as pieces join into what renderTemplate prints", () => {
    const peers = peerList(
      [
        {
          node: "a",
          vtepAddress: "1.1.1.1",
          mac: "m",
          underlayAddress: "2.2.2.2",
          destination: "d",
        },
        {
          node: "b",
          vtepAddress: "1.1.1.2",
          mac: "n",
          underlayAddress: "2.2.2.3",
          destination: "e",
        },
      ],
      0,
    );
    const context = { node: "x", name: "nc-vxlan", dropInDir: "d", fileName: "f", peers };
    const pieces = renderTemplatePieces("networkd-vxlan-peers.conf", context);
    expect(joinPieces(pieces)).toBe(renderTemplate("networkd-vxlan-peers.conf", context));
    expect(pieces.some((p) => typeof p !== "string")).toBe(true);
    const file = fileFromPieces("hosts/x/f", pieces);
    expect(piecesOf(file)).toEqual(pieces);
    expect(Buffer.concat([...bytesOf(file)!])).toEqual(Buffer.from(file.content));
    expect(Object.isFrozen(file)).toBe(true);
  });
});

describe("SharedText", () => {
  it("slices characters and bytes of any range, with non-ASCII text", () => {
    const texts = ["a\n", "é😀\n", "", "ß\n"];
    const shared = new SharedText(texts);
    for (let a = 0; a <= texts.length; a++)
      for (let b = a; b <= texts.length; b++) {
        expect(shared.slice(a, b)).toBe(texts.slice(a, b).join(""));
        expect(shared.bytes(a, b)).toEqual(Buffer.from(texts.slice(a, b).join("")));
      }
  });
});
