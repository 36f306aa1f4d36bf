/**
 * Where a code is documented: a built-in rule's page (policies/docs/<id>.md) or an NC code's
 * section of docs/diagnostics.md. Organisation Policies have no page here. Text diagnostics end
 * with this link and SARIF gives it as helpUri; both build it on DOCS_BASE_URL (version.ts).
 */
import { catalog } from "../diagnostics/catalog.js";
import { DOCS_BASE_URL } from "../version.js";
import { rules } from "./rules/index.js";

const builtin = new Set(rules.map((r) => r.id));

/** The code's documentation as a path in the repository (with an anchor for an NC code). */
export function docsPath(code: string): string | undefined {
  if (builtin.has(code)) return `policies/docs/${code}.md`;
  if (Object.hasOwn(catalog, code)) return `docs/diagnostics.md#${code.toLowerCase()}`;
  return undefined;
}

/** The code's documentation as a URL, or undefined (an organisation Policy). */
export function docsUrl(code: string): string | undefined {
  const path = docsPath(code);
  return path === undefined ? undefined : `${DOCS_BASE_URL}${path}`;
}
