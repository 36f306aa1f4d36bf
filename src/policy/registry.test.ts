/**
 * Rule id = file name = test file = docs page = registry entry. This fails when any of them
 * disagree: a rule file not registered, a registered rule without its docs page or test, a
 * docs page for no rule, two rules with one id.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { rules } from "./rules/index.js";

const rulesDir = join(import.meta.dirname, "rules");
const docsDir = join(import.meta.dirname, "..", "..", "policies", "docs");

const ruleFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && f !== "index.ts")
  .map((f) => f.slice(0, -".ts".length))
  .sort();
const testFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => f.slice(0, -".test.ts".length))
  .sort();
const docPages = readdirSync(docsDir)
  .filter((f) => f.endsWith(".md") && f !== "README.md")
  .map((f) => f.slice(0, -".md".length))
  .sort();
const ids = rules.map((r) => r.id);

describe("the rule registry", () => {
  it("lists every rule file once, in id order", () => {
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(ruleFiles);
  });

  it.each(rules.map((r) => [r.id, r] as const))(
    "%s is exported from its own file",
    async (id, rule) => {
      const url = pathToFileURL(join(rulesDir, `${id}.ts`)).href;
      const module = (await import(/* @vite-ignore */ url)) as { rule: unknown };
      expect(module.rule).toBe(rule);
    },
  );

  it("has a test file for every rule and no other", () => {
    expect(testFiles).toEqual(ids);
  });

  it("has a docs page for every rule and no other", () => {
    expect(docPages).toEqual(ids);
  });

  it("is listed in the README's rule catalog, with a link to each docs page", () => {
    const readme = readFileSync(join(docsDir, "..", "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## Rules\n"));
    for (const id of ids) expect(section).toContain(`[\`${id}\`](policies/docs/${id}.md)`);
  });

  it.each(ids)("%s's docs page is titled with the id and says why, what and how to fix", (id) => {
    const page = readFileSync(join(docsDir, `${id}.md`), "utf8");
    expect(page.split("\n")[0]).toBe(`# ${id}`);
    for (const heading of ["## Why", "## Example", "## How to fix"]) {
      expect(page, `${id}.md lacks "${heading}"`).toContain(`\n${heading}\n`);
    }
  });
});
