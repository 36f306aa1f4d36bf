/**
 * Where a code is documented, and its help: a built-in rule's page (policies/docs/<id>.md) or an
 * NC code's section of docs/diagnostics.md (`### NCnnnn`). Organisation Policies have no page
 * here. Text diagnostics end with the link and SARIF gives it as helpUri, both built on
 * DOCS_BASE_URL (version.ts); SARIF's help is the page itself, its links made absolute on the
 * same base so that none points at a document the package does not ship.
 */
import { posix } from "node:path";
import { readAsset } from "../assets.js";
import { catalog } from "../diagnostics/catalog.js";
import { DOCS_BASE_URL } from "../version.js";
import { rules } from "./rules/index.js";
import { must } from "../util/must.js";

const builtin = new Set(rules.map((r) => r.id));
const DIAGNOSTICS_PAGE = "docs/diagnostics.md";

/** The code's documentation as a path in the repository (with an anchor for an NC code). */
export function docsPath(code: string): string | undefined {
  if (builtin.has(code)) return `policies/docs/${code}.md`;
  if (Object.hasOwn(catalog, code)) return `${DIAGNOSTICS_PAGE}#${code.toLowerCase()}`;
  return undefined;
}

/** The code's documentation as a URL, or undefined (an organisation Policy). */
export function docsUrl(code: string): string | undefined {
  const path = docsPath(code);
  return path === undefined ? undefined : `${DOCS_BASE_URL}${path}`;
}

export interface Help {
  /** The first paragraph, as plain text. */
  readonly description: string;
  readonly markdown: string;
  readonly text: string;
}

/** A built-in rule's or an NC code's help, from its page; undefined for anything else. */
export function helpFor(code: string): Help | undefined {
  if (builtin.has(code)) {
    const page = `policies/docs/${code}.md`;
    // The page without its title and severity line: SARIF shows the rule's name and level.
    const body = readAsset(page)
      .replace(/^# .*\n+/, "")
      .replace(/^\*\*Default severity:\*\*.*\n+/, "");
    return help(body, page);
  }
  if (Object.hasOwn(catalog, code)) {
    const section = codeSections().get(code);
    return section === undefined ? undefined : help(section, DIAGNOSTICS_PAGE);
  }
  return undefined;
}

let sections: Map<string, string> | undefined;

/** docs/diagnostics.md's `### NCnnnn` sections, by code, without their heading. */
export function codeSections(): ReadonlyMap<string, string> {
  if (!sections) {
    sections = new Map();
    const parts = readAsset(DIAGNOSTICS_PAGE).split(/^### (NC\d{4})[ \t]*\n/m);
    for (let i = 1; i + 1 < parts.length; i += 2) {
      const code = must(parts[i], "a section's code");
      const body = must(parts[i + 1], `the section of ${code}`);
      sections.set(code, must(body.split(/^#{1,3} /m)[0], `the section of ${code}`).trim());
    }
  }
  return sections;
}

function help(markdown: string, page: string): Help {
  const absolute = absoluteLinks(markdown.trim(), page);
  const firstParagraph = absolute.split(/\n\s*\n/)[0] ?? "";
  return {
    description: plainText(firstParagraph).replace(/\s*\n\s*/g, " "),
    markdown: absolute,
    text: plainText(absolute),
  };
}

/** Relative links made absolute on DOCS_BASE_URL, from the page they are on. */
export function absoluteLinks(markdown: string, page: string): string {
  return markdown.replace(/\]\(([^)\s]+)\)/g, (whole, target: string) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return whole;
    const [path, anchor] = target.split("#", 2) as [string, string | undefined];
    const resolved = path === "" ? page : posix.normalize(posix.join(posix.dirname(page), path));
    return `](${DOCS_BASE_URL}${resolved}${anchor === undefined ? "" : `#${anchor}`})`;
  });
}

/** Markdown as plain text: emphasis and code marks dropped, links as "text (url)". */
export function plainText(markdown: string): string {
  return markdown
    .split("\n")
    .filter((line) => !/^\s*```/.test(line))
    .map((line) => line.replace(/^#{1,6} +/, ""))
    .join("\n")
    .replace(/\[([^\]]*)\]\(([^)\s]+)\)/g, "$1 ($2)")
    .replace(/\*\*([^*]+)\*\*/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .trim();
}
