/**
 * Rule id = file name = test file = docs page = registry entry, for model and plan rules alike.
 * This fails when any of them disagree: a rule file not registered, a registered rule without
 * its docs page or test, a docs page for no rule, two rules with one id, a rule listed in the
 * README's table for the other scope, a plan rule the plan does not place.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { PLAN_RULE_ORDER } from "../plan/disruption.js";
import { isLiveRule, isPlanRule } from "./rule.js";
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
/** The headings of the README's tables of plan and of live rules (the model rules' tables come first). */
const PLAN_TABLE = "**What `netcompile plan` finds between two versions**";
const LIVE_TABLE = "**What `netcompile verify` finds against the running cluster**";

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

  it("is listed in the README's rule catalog, with a link to each docs page, plan and live rules in their own tables", () => {
    const readme = readFileSync(join(docsDir, "..", "..", "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("\n## Rules\n"),
      readme.indexOf("\n**Severities.**"),
    );
    const planTable = section.indexOf(PLAN_TABLE);
    const liveTable = section.indexOf(LIVE_TABLE);
    expect(planTable, `the README's Rules section lacks "${PLAN_TABLE}"`).toBeGreaterThan(0);
    expect(liveTable, `the README's Rules section lacks "${LIVE_TABLE}"`).toBeGreaterThan(
      planTable,
    );
    for (const rule of rules) {
      const at = section.indexOf(`[\`${rule.id}\`](policies/docs/${rule.id}.md)`);
      expect(at, `${rule.id} is not in the README's rule catalog`).toBeGreaterThan(0);
      const table = at > liveTable ? "live" : at > planTable ? "plan" : "model";
      const scope = isPlanRule(rule) ? "plan" : isLiveRule(rule) ? "live" : "model";
      expect(table, `${rule.id} is in the wrong table`).toBe(scope);
    }
  });

  it.each(rules.map((r) => [r.id, r] as const))(
    "%s's docs page is titled with the id, gives its scope and says why, what and how to fix, roll out or act",
    (id, rule) => {
      const page = readFileSync(join(docsDir, `${id}.md`), "utf8");
      const [title, , meta] = page.split("\n");
      expect(title).toBe(`# ${id}`);
      expect(meta, `${id}.md's third line gives severity and scope`).toContain(
        isPlanRule(rule) ? "**Scope:** plan" : "**Default severity:**",
      );
      if (isLiveRule(rule)) expect(meta).toContain("**Scope:** live");
      const last = !isPlanRule(rule)
        ? "## How to fix"
        : rule.meta.notesOnly
          ? "## What to do"
          : rule.meta.acknowledgeable
            ? "## How to roll it out"
            : "## How to fix";
      for (const heading of ["## Why", "## Example", last]) {
        expect(page, `${id}.md lacks "${heading}"`).toContain(`\n${heading}\n`);
      }
    },
  );

  it("makes every Calico and operator rule say whether it can be waived; their verdicts are errors, and their pages say so", () => {
    for (const rule of rules) {
      if (isPlanRule(rule)) continue;
      if (rule.meta.category === "calico" || rule.meta.category === "operator") {
        expect(typeof rule.meta.waivable, `${rule.id} must set waivable`).toBe("boolean");
      }
      const page = readFileSync(join(docsDir, `${rule.id}.md`), "utf8");
      const says = page.split("\n")[2]!.includes("**Cannot be waived:**");
      expect(says, `${rule.id}.md's third line and its waivable flag`).toBe(
        rule.meta.waivable === false,
      );
      if (rule.meta.waivable === false) {
        expect(["calico", "operator"], `${rule.id}'s category`).toContain(rule.meta.category);
        expect(rule.meta.defaultSeverity, `${rule.id}'s severity`).toBe("error");
      }
    }
  });

  it("gives every plan rule its place in the plan's list of disruptions, and nothing else", () => {
    expect([...PLAN_RULE_ORDER].sort()).toEqual(rules.filter(isPlanRule).map((r) => r.id));
  });
});
