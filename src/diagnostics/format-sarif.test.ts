/** SARIF output: valid against the official 2.1.0 schema, stable ids and fingerprints. */
import { describe, expect, it } from "vitest";
import { expectValidSarif } from "../../test/sarif-schema.js";
import { formatSarif, type SarifOptions, type SarifRule } from "./format-sarif.js";
import { sourceLinesFrom } from "./format-text.js";
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
const describe_ = (id: string, level: SarifRule["defaultLevel"], tags?: string[]): SarifRule => ({
  id,
  shortDescription: `${id} in short.`,
  fullDescription: `${id} in full.`,
  help: { text: `${id} help`, markdown: `**${id}** help` },
  helpUri: `https://example.com/${id}`,
  defaultLevel: level,
  ...(tags ? { tags } : {}),
});
const rules: SarifRule[] = [
  describe_("pool-overlap", "error", ["calico-parity"]),
  describe_("NC2001", "error"),
  describe_("unused-rule", "info"),
];
interface SarifResult {
  level: string;
  message: { text: string };
  partialFingerprints: Record<string, string>;
  locations?: {
    physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string } };
    logicalLocations?: unknown[];
  }[];
}
interface SarifLog {
  runs: [
    {
      tool: { driver: { rules: { id: string }[] } };
      originalUriBaseIds: Record<string, { uri?: string; uriBaseId?: string }>;
      results: SarifResult[];
    },
  ];
}
const sarif = (ds: Diagnostic[], prefix = "repo", more: Partial<SarifOptions> = {}) =>
  JSON.parse(
    formatSarif(ds, { toolVersion: "0.1.0", rules, pathPrefix: prefix, ...more }),
  ) as SarifLog;

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

  it("lists the rules the results use, by stable id, with descriptions, help and default level", () => {
    const log = sarif([finding]);
    const [run] = log.runs;
    expect(run.tool.driver.rules).toEqual([
      {
        id: "pool-overlap",
        shortDescription: { text: "pool-overlap in short." },
        fullDescription: { text: "pool-overlap in full." },
        helpUri: "https://example.com/pool-overlap",
        help: { text: "pool-overlap help", markdown: "**pool-overlap** help" },
        defaultConfiguration: { level: "error" },
        properties: { tags: ["calico-parity"] },
      },
    ]);
    expect(run.results[0]).toMatchObject({
      ruleId: "pool-overlap",
      ruleIndex: 0,
      level: "error",
      message: { text: `${finding.message} (see [IPPool "a"](1))` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: "pools.yaml", uriBaseId: "REPOROOT" },
            region: { startLine: 14, startColumn: 9, endLine: 14, endColumn: 20 },
          },
          logicalLocations: [{ fullyQualifiedName: "IPPool/b", kind: "resource" }],
        },
      ],
      relatedLocations: [
        {
          id: 1,
          message: { text: 'IPPool "a"' },
          physicalLocation: { artifactLocation: { uri: "pools.yaml", uriBaseId: "REPOROOT" } },
        },
      ],
    });
  });

  it("writes URIs relative to the repository root, and says where the root is", () => {
    expect(sarif([finding], "clusters/prod").runs[0].originalUriBaseIds).toEqual({
      "%SRCROOT%": { description: { text: "The folder netcompile ran in." } },
      REPOROOT: {
        uri: "clusters/prod/",
        uriBaseId: "%SRCROOT%",
        description: { text: "The repository: the folder holding netcompile.yaml." },
      },
    });
    expect(sarif([finding], ".").runs[0].originalUriBaseIds.REPOROOT).toMatchObject({
      uri: "./",
      uriBaseId: "%SRCROOT%",
    });
    // A repository outside the working directory is named absolutely, never as ../ or ext/.
    expect(sarif([finding], "/srv/net work").runs[0].originalUriBaseIds.REPOROOT).toEqual({
      uri: "file:///srv/net%20work/",
      description: { text: "The repository: the folder holding netcompile.yaml." },
    });
    expect(
      sarif([finding], "/srv/net").runs[0].results[0]!.locations![0]!.physicalLocation!
        .artifactLocation,
    ).toEqual({ uri: "pools.yaml", uriBaseId: "REPOROOT" });
  });

  it("writes URIs relative to the workspace for the Action (code scanning resolves them so)", () => {
    const log = sarif([finding], "clusters/prod", { base: "working-directory" });
    expect(log.runs[0].results[0]!.locations![0]!.physicalLocation!.artifactLocation).toEqual({
      uri: "clusters/prod/pools.yaml",
      uriBaseId: "%SRCROOT%",
    });
  });

  it("names a file outside the repository (a live snapshot's) from where netcompile ran", () => {
    const live = {
      ...finding,
      related: [{ ...finding.related[0]!, file: "../live/nodes.json" }],
    };
    const related = (prefix: string, more: Partial<SarifOptions> = {}) =>
      (
        sarif([live], prefix, more).runs[0].results[0] as unknown as {
          relatedLocations: { physicalLocation: { artifactLocation: unknown } }[];
        }
      ).relatedLocations[0]!.physicalLocation.artifactLocation;
    expect(related("input")).toEqual({ uri: "live/nodes.json", uriBaseId: "%SRCROOT%" });
    expect(related("input", { base: "working-directory" })).toEqual({
      uri: "live/nodes.json",
      uriBaseId: "%SRCROOT%",
    });
    expect(related("/srv/net")).toEqual({ uri: "file:///srv/live/nodes.json" });
  });

  it("locates a finding on a file that does not exist on its resource, or on the repository", () => {
    const missing = { ...finding, file: "rendered/manifests/ippools.yaml" };
    const exists = (file: string) => file === "pools.yaml";
    const [onResource] = sarif([missing], "repo", { exists }).runs[0].results;
    expect(onResource!.locations).toEqual([
      { logicalLocations: [{ fullyQualifiedName: "IPPool/b", kind: "resource" }] },
    ]);
    const [nowhere] = sarif([{ ...missing, resource: undefined }], "repo", { exists }).runs[0]
      .results;
    expect(nowhere!.locations).toEqual([
      { logicalLocations: [{ fullyQualifiedName: "repository", kind: "module" }] },
    ]);
  });

  it("escapes brackets in messages, so only the links to related locations are links", () => {
    const tricky = {
      ...finding,
      message: "name [x](1) and \\ back",
      related: [{ ...finding.related[0]!, message: "the [other]" }],
    };
    expect(sarif([tricky]).runs[0].results[0]!.message.text).toBe(
      "name \\[x\\](1) and \\\\ back (see [the \\[other\\]](1))",
    );
  });

  it("hashes the primary line's text for primaryLocationLineHash: moving lines keeps it", () => {
    const at = (text: string, line: number) =>
      sarif([{ ...finding, line, endLine: line }], "repo", {
        sources: sourceLinesFrom(new Map([["pools.yaml", { text }]])),
      }).runs[0].results[0]!.partialFingerprints.primaryLocationLineHash;
    const before = at("a\n  cidr: 10.1.0.0/16\n", 2);
    expect(before).toMatch(/^[0-9a-f]{16}:1$/);
    expect(at("new line\na\n    cidr: 10.1.0.0/16\n", 3)).toBe(before);
    expect(at("a\n  cidr: 10.2.0.0/16\n", 2)).not.toBe(before);
    const twice = sarif([finding, finding]).runs[0].results.map(
      (r) => r.partialFingerprints.primaryLocationLineHash,
    );
    expect(twice[1]).toBe(twice[0]!.replace(/:1$/, ":2"));
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
    expect(result.locations![0]!.physicalLocation!.artifactLocation.uri).toBe(
      "dir%20with%20space/p.yaml",
    );
  });
});
