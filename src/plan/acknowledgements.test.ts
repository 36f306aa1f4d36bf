import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { acknowledgementSnippet, acknowledgementYaml } from "./acknowledgements.js";
import type { ChangeKey } from "./types.js";

/** Values a change can carry that YAML would read as something else if printed plain. */
const VALUES = ["1480", "yes", "off", "null", "~", "2001-12-14", "*ref", "&a", "!tag", "|x", ">x"];
const MORE = ["%x", "@x", "`x", "a #b", "a: b", "a, b", "{x}", "ünïcødé", "", "IPIPCrossSubnet"];

describe("acknowledgement entries", () => {
  it.each([...VALUES, ...MORE])(
    "with %j: the snippet and the block entry are YAML that reads back as the change",
    (value) => {
      const key: ChangeKey = {
        resource: "IPPool/p",
        field: "spec.x",
        from: value,
        to: `${value}2`,
      };
      const entry = { ...key, reason: "..." };
      expect(parse(acknowledgementSnippet(key))).toEqual(entry);
      const block = parse(acknowledgementYaml(key)) as Record<string, string>[];
      expect(block).toEqual([{ ...key, reason: "<why this disruption is acceptable now>" }]);
    },
  );

  it("prints names plain and numbers quoted, so a pasted entry compares as the same text", () => {
    expect(
      acknowledgementSnippet({
        resource: "Cluster/demo",
        field: "networking.podMTU",
        from: "1480",
        to: "1450",
      }),
    ).toBe(
      '{resource: Cluster/demo, field: networking.podMTU, from: "1480", to: "1450", reason: "..."}',
    );
  });
});
