import pc from "picocolors";
import { describe, expect, it } from "vitest";
import { sourceLinesFrom } from "../diagnostics/format-text.js";
import { formatPlanJson } from "./format-json.js";
import { formatPlanMarkdown, MARKDOWN_LIMITS } from "./format-markdown.js";
import { formatPlanText } from "./format-text.js";
import { formatPlan, newPlanOutput, PLAN_FORMATS } from "./output.js";
import { failedPlan, note } from "./plan.js";
import { parseJson } from "../../test/support.js";

const plan = failedPlan(
  { kind: "none", ref: undefined, commit: undefined, description: "nothing", analysis: "none" },
  [note("NC6008", { count: 1 })],
  [
    {
      code: "NC2004",
      severity: "error",
      message: "bad",
      file: "pools.yaml",
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 4,
      related: [],
    },
  ],
);
const sources = sourceLinesFrom(new Map([["pools.yaml", { text: "bad: 1\n" }]]));

describe("the plan formats", () => {
  it("are text, markdown and json, in the order usage lists them", () => {
    expect(PLAN_FORMATS).toEqual(["text", "markdown", "json"]);
  });

  it("print, by name, exactly what each formatter prints", () => {
    const colors = pc.createColors(false);
    expect(formatPlan("text", plan, { sources, pathPrefix: "repo" })).toBe(
      formatPlanText(plan, { colors, sources, pathPrefix: "repo" }),
    );
    expect(formatPlan("text", plan, { sources })).toContain("1 | bad: 1");
    expect(formatPlan("markdown", plan)).toBe(
      formatPlanMarkdown(plan, { limit: MARKDOWN_LIMITS.comment }),
    );
    expect(formatPlan("markdown", plan, { markdownLimit: 4096 })).toBe(
      formatPlanMarkdown(plan, { limit: 4096 }),
    );
    expect(formatPlan("json", plan)).toBe(formatPlanJson(plan));
  });

  it("print a plan when it is written", () => {
    let out = "";
    const output = newPlanOutput("json", { write: (s) => (out += s) });
    output.write(plan);
    expect(parseJson<{ version: number }>(out).version).toBe(1);
    output.flush();
    expect(parseJson<{ version: number }>(out).version).toBe(1);
  });

  it("refuse an unknown name, listing the names there are", () => {
    expect(() => formatPlan("html", plan)).toThrow(
      'unknown plan format "html" (the formats are text, markdown, json)',
    );
  });
});
