import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { UnknownFormatError } from "../util/output.js";
import { formatGithub } from "./format-github.js";
import { formatJson } from "./format-json.js";
import { formatSarif } from "./format-sarif.js";
import { formatText, sourceLinesFrom } from "./format-text.js";
import { DIAGNOSTICS_FORMATS, formatDiagnostics, newDiagnosticsOutput } from "./output.js";
import type { Diagnostic } from "./types.js";
import { parseJson } from "../../test/support.js";

const finding: Diagnostic = {
  code: "pool-overlap",
  severity: "error",
  message: 'IPPool "b" overlaps IPPool "a"',
  file: "pools.yaml",
  line: 2,
  column: 7,
  endLine: 2,
  endColumn: 12,
  resource: "IPPool/b",
  related: [],
};
const sources = sourceLinesFrom(new Map([["pools.yaml", { text: "a: 1\nspec: x.y.z\n" }]]));

describe("the diagnostics formats", () => {
  it("are text, json, sarif and github, in the order usage lists them", () => {
    expect(DIAGNOSTICS_FORMATS).toEqual(["text", "json", "sarif", "github"]);
  });

  it("print, by name, exactly what each formatter prints", () => {
    const ds = [finding, { ...finding, severity: "warning" as const, line: 1 }];
    const rules = [
      {
        id: "pool-overlap",
        shortDescription: "Pools overlap.",
        fullDescription: "Two IPPools overlap.",
        help: { text: "Two IPPools overlap.", markdown: "Two IPPools overlap." },
        defaultLevel: "error" as const,
      },
    ];
    const sarif = { toolVersion: "9.9.9", rules: () => rules };
    const options = { pathPrefix: "repo", sources, sarif };
    expect(formatDiagnostics("text", ds, options)).toBe(
      formatText(ds, sources, pc.createColors(false), { pathPrefix: "repo" }),
    );
    expect(formatDiagnostics("text", ds, options)).toContain("2 | spec: x.y.z");
    expect(formatDiagnostics("json", ds, options)).toBe(formatJson(ds, { pathPrefix: "repo" }));
    expect(formatDiagnostics("sarif", ds, options)).toBe(
      formatSarif(ds, { toolVersion: "9.9.9", rules, pathPrefix: "repo", sources }),
    );
    expect(formatDiagnostics("github", ds, options)).toBe(formatGithub(ds, { pathPrefix: "repo" }));
  });

  it("ask SARIF's descriptors for the codes the results use", () => {
    const asked: string[][] = [];
    formatDiagnostics("sarif", [finding], {
      sarif: { toolVersion: "1", rules: (codes) => (asked.push([...codes]), []) },
    });
    expect(asked).toEqual([["pool-overlap"]]);
    expect(() => formatDiagnostics("sarif", [finding])).toThrow(/tool version/);
  });

  it("write to the sink only on flush, once", () => {
    let out = "";
    const output = newDiagnosticsOutput("json", { write: (s) => (out += s) });
    output.write(finding);
    expect(out).toBe("");
    output.flush();
    expect(parseJson<{ diagnostics: unknown[] }>(out).diagnostics).toHaveLength(1);
  });

  it.each(["xml", "TEXT", "constructor", "__proto__", ""])(
    "refuse the unknown name %j, listing the names there are",
    (name) => {
      expect(() => newDiagnosticsOutput(name, { write: () => undefined })).toThrow(
        new UnknownFormatError("diagnostics", name, ["text", "json", "sarif", "github"]),
      );
      expect(() => formatDiagnostics(name, [])).toThrow(
        `unknown diagnostics format "${name}" (the formats are text, json, sarif, github)`,
      );
    },
  );
});
