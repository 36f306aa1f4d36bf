/** Every code links to its documentation, and the page is in the repository. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "../diagnostics/catalog.js";
import { DOCS_BASE_URL } from "../version.js";
import { absoluteLinks, codeSections, docsPath, docsUrl, helpFor, plainText } from "./docs.js";
import { rules } from "./rules/index.js";

const root = join(import.meta.dirname, "..", "..");

describe("documentation links", () => {
  it.each(rules.map((r) => r.id))("rule %s links to its page", (id) => {
    expect(docsUrl(id)).toBe(`${DOCS_BASE_URL}policies/docs/${id}.md`);
    expect(existsSync(join(root, docsPath(id)!))).toBe(true);
  });

  it("an NC code links to its section of docs/diagnostics.md", () => {
    for (const code of Object.keys(catalog))
      expect(docsUrl(code)).toBe(`${DOCS_BASE_URL}docs/diagnostics.md#${code.toLowerCase()}`);
  });

  it("an organisation Policy, or anything else, has none", () => {
    expect(docsUrl("nodes-have-a-role")).toBeUndefined();
    expect(docsUrl("toString")).toBeUndefined();
  });
});

describe("help, for SARIF", () => {
  it("docs/diagnostics.md has one section per NC code, in catalog order, titled as the catalog", () => {
    const sections = codeSections();
    expect([...sections.keys()]).toEqual(Object.keys(catalog));
    for (const [code, body] of sections) {
      const title = /^\*\*(.+?)\.\*\*/.exec(body)?.[1];
      expect(title?.toLowerCase(), code).toBe(
        catalog[code as keyof typeof catalog].title.toLowerCase(),
      );
    }
  });

  it.each([...rules.map((r) => r.id), ...Object.keys(catalog)])(
    "%s has help from its page",
    (code) => {
      const help = helpFor(code)!;
      expect(help.description.length, code).toBeGreaterThan(20);
      expect(help.description).not.toMatch(/\n|\*\*|`/);
      expect(help.text).not.toMatch(/\*\*|```/);
      expect(help.markdown.length).toBeGreaterThan(help.description.length);
      // Links lead to the repository's pages on the web, never to a file beside the help.
      for (const [, target] of help.markdown.matchAll(/\]\(([^)\s]+)\)/g))
        expect(target, code).toMatch(/^https:\/\//);
    },
  );

  it("a rule page's relative links become links on DOCS_BASE_URL", () => {
    expect(
      absoluteLinks(
        "see [a](pool-overlap.md), [b](../../docs/PERFORMANCE.md#x) and [c](https://c.example)",
        "policies/docs/subnet-overlap.md",
      ),
    ).toBe(
      `see [a](${DOCS_BASE_URL}policies/docs/pool-overlap.md), [b](${DOCS_BASE_URL}docs/PERFORMANCE.md#x) and [c](https://c.example)`,
    );
    expect(
      plainText("## Why\n\n**Bold** `code` and [a link](https://x.example)\n```yaml\nk: v\n```"),
    ).toBe("Why\n\nBold code and a link (https://x.example)\nk: v");
  });
});
