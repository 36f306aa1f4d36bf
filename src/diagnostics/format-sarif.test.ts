/** SARIF output: valid against the official 2.1.0 schema, stable ids and fingerprints. */
import { describe, expect, it } from "vitest";
import { expectValidSarif } from "../../test/sarif-schema.js";
import { formatSarif, type SarifRule } from "./format-sarif.js";
import type { Diagnostic } from "./types.js";

const finding: Diagnostic = {
  code: "pool-overlap",
  severity: "error",
  message: 'IPPool "b": cidr 10.1.0.0/16 overlaps IPPool "a" (10.0.0.0/8)',
  file: "pools.yaml",
  line: 14,
  column: 9,
  endLine: 14,
  endColumn: 20,
  resource: "IPPool/b",
  related: [
    { file: "pools.yaml", line: 6, column: 9, endLine: 6, endColumn: 19, message: 'IPPool "a"' },
  ],
};
const rules: SarifRule[] = [
  {
    id: "pool-overlap",
    shortDescription: "Two IPPools overlap.",
    helpMarkdown: "# pool-overlap\n",
    defaultLevel: "error",
    tags: ["calico-parity"],
  },
  { id: "NC2001", shortDescription: "unknown field", defaultLevel: "error" },
  { id: "unused-rule", shortDescription: "Not in the results.", defaultLevel: "info" },
];
interface SarifResult {
  level: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
}
const sarif = (ds: Diagnostic[], prefix = "repo") =>
  JSON.parse(formatSarif(ds, { toolVersion: "0.1.0", rules, pathPrefix: prefix })) as {
    runs: [{ tool: { driver: { rules: { id: string }[] } }; results: SarifResult[] }];
  };

describe("SARIF output", () => {
  it("is valid SARIF 2.1.0, with and without findings", () => {
    expectValidSarif(formatSarif([], { toolVersion: "0.1.0", rules }));
    const waived: Diagnostic = {
      ...finding,
      severity: "info",
      waived: { reason: "accepted", file: "pools.yaml", line: 5, column: 27 },
    };
    expectValidSarif(
      formatSarif([finding, waived], { toolVersion: "0.1.0", rules, pathPrefix: "my repo" }),
    );
  });

  it("lists the rules the results use, by stable id, with help and default level", () => {
    const log = sarif([finding]);
    const [run] = log.runs;
    expect(run.tool.driver.rules).toEqual([
      {
        id: "pool-overlap",
        shortDescription: { text: "Two IPPools overlap." },
        help: { text: "# pool-overlap\n", markdown: "# pool-overlap\n" },
        defaultConfiguration: { level: "error" },
        properties: { tags: ["calico-parity"] },
      },
    ]);
    expect(run.results[0]).toMatchObject({
      ruleId: "pool-overlap",
      ruleIndex: 0,
      level: "error",
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "repo/pools.yaml" },
            region: { startLine: 14, startColumn: 9, endLine: 14, endColumn: 20 },
          },
          logicalLocations: [{ fullyQualifiedName: "IPPool/b", kind: "resource" }],
        },
      ],
      relatedLocations: [{ id: 1, message: { text: 'IPPool "a"' } }],
    });
  });

  it("keeps a finding's fingerprint when lines move, and tells identical findings apart", () => {
    const fp = (d: Diagnostic[]) =>
      sarif(d).runs[0].results.map((r) => r.partialFingerprints["netcompile/v1"]);
    const [before] = fp([finding]);
    const [after] = fp([{ ...finding, line: 40, endLine: 40 }]);
    expect(after).toBe(before);
    expect(before).toMatch(/^[0-9a-f]{32}$/);
    const twice = fp([finding, finding]);
    expect(twice[0]).toBe(before);
    expect(twice[1]).not.toBe(before);
    const [otherMessage] = fp([{ ...finding, message: "something else" }]);
    expect(otherMessage).not.toBe(before);
  });

  it("marks a waived finding as an accepted in-source suppression and keeps its level", () => {
    const waived = {
      ...finding,
      waived: { reason: "migration NET-142", file: "pools.yaml", line: 5, column: 27 },
    };
    expect(sarif([waived]).runs[0].results[0]).toMatchObject({
      level: "error",
      suppressions: [{ kind: "inSource", status: "accepted", justification: "migration NET-142" }],
    });
  });

  it("maps info to note, and encodes paths as URIs", () => {
    const info = { ...finding, severity: "info" as const, file: "dir with space/p.yaml" };
    const result = sarif([info], ".").runs[0].results[0]!;
    expect(result.level).toBe("note");
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe(
      "dir%20with%20space/p.yaml",
    );
  });
});
