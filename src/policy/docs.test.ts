/** Every code links to its documentation, and the page is in the repository. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalog } from "../diagnostics/catalog.js";
import { DOCS_BASE_URL } from "../version.js";
import { docsPath, docsUrl } from "./docs.js";
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
