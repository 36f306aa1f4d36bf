/**
 * The official SARIF 2.1.0 schema (OASIS), as @microsoft/jest-sarif ships it — test data only.
 * It is draft-04, so ajv-draft-04 compiles it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { expect } from "vitest";

const schema = JSON.parse(
  readFileSync(
    createRequire(import.meta.url).resolve(
      "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json",
    ),
    "utf8",
  ),
) as object;
// unicodeRegExp off: the schema's "language" pattern is not valid as a unicode RegExp.
const ajv = new Ajv04.default({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats.default(ajv);
const validateSarif = ajv.compile(schema);

export function expectValidSarif(text: string): void {
  const ok = validateSarif(JSON.parse(text));
  expect(validateSarif.errors ?? [], "SARIF schema errors").toEqual([]);
  expect(ok).toBe(true);
}

export interface Log {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: Rule[] } };
    originalUriBaseIds?: Record<string, { uri?: string; uriBaseId?: string }>;
    results: Result[];
  }[];
}
export interface Rule {
  id: string;
  shortDescription?: { text?: string };
  fullDescription?: { text?: string };
  help?: { text?: string; markdown?: string };
  helpUri?: string;
  defaultConfiguration?: { level?: string };
}
export interface Location {
  physicalLocation?: {
    artifactLocation: { uri: string; uriBaseId?: string };
    region: { startLine: number; startColumn?: number };
  };
  logicalLocations?: { fullyQualifiedName?: string }[];
}
export interface Result {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations?: Location[];
  relatedLocations?: (Location & { id: number })[];
  partialFingerprints?: Record<string, string>;
}

/**
 * What GitHub's code scanning needs of a SARIF file ("SARIF support for code scanning"): every
 * rule with a short and a full description, help (text and markdown), a help link and a
 * level; every result with a known rule, a message, one location (a relative URI against a
 * declared base id and a line from 1, or a logical location), related locations linked from the
 * message text, and a primaryLocationLineHash. Returns the problems, `where: what`.
 */
export function codeScanningProblems(text: string): string[] {
  const problems: string[] = [];
  const log = JSON.parse(text) as Log;
  if (log.version !== "2.1.0") problems.push(`version ${log.version}`);
  log.runs.forEach((run, r) => {
    if (!run.tool.driver.name) problems.push(`runs[${r}]: no tool name`);
    const bases = run.originalUriBaseIds ?? {};
    run.tool.driver.rules.forEach((rule) => {
      const at = `rule ${rule.id}`;
      if (!rule.shortDescription?.text) problems.push(`${at}: no shortDescription`);
      if (!rule.fullDescription?.text) problems.push(`${at}: no fullDescription`);
      if (!rule.help?.text || !rule.help.markdown)
        problems.push(`${at}: no help text and markdown`);
      for (const [, target] of (rule.help?.markdown ?? "").matchAll(/\]\(([^)\s]+)\)/g))
        if (!/^https?:\/\//.test(target!)) problems.push(`${at}: help links to ${target}`);
      if (!["error", "warning", "note"].includes(rule.defaultConfiguration?.level ?? ""))
        problems.push(`${at}: no default level`);
    });
    const ruleIds = run.tool.driver.rules.map((x) => x.id);
    const checkLocation = (where: string, loc: Location) => {
      const physical = loc.physicalLocation;
      if (!physical) {
        if (!loc.logicalLocations?.length) problems.push(`${where}: neither physical nor logical`);
        return;
      }
      const { uri, uriBaseId } = physical.artifactLocation;
      if (/^[a-z][a-z0-9+.-]*:/i.test(uri)) {
        if (!uri.startsWith("file:///")) problems.push(`${where}: uri ${uri}`);
      } else {
        if (!uriBaseId || !(uriBaseId in bases)) problems.push(`${where}: base of ${uri}`);
        if (uri.split("/").includes("..")) problems.push(`${where}: uri climbs: ${uri}`);
      }
      if (!(physical.region.startLine >= 1)) problems.push(`${where}: no line`);
    };
    run.results.forEach((result, i) => {
      const at = `result ${i} (${result.ruleId})`;
      if (!ruleIds.includes(result.ruleId)) problems.push(`${at}: unknown rule`);
      if (result.ruleIndex !== undefined && ruleIds[result.ruleIndex] !== result.ruleId)
        problems.push(`${at}: ruleIndex`);
      if (!result.message.text) problems.push(`${at}: no message`);
      if (result.locations?.length !== 1) problems.push(`${at}: not one location`);
      result.locations?.forEach((l) => checkLocation(at, l));
      const linked = [...result.message.text.matchAll(/(?<!\\)\[(?:[^\]\\]|\\.)*\]\((\d+)\)/g)]
        .map((m) => Number(m[1]))
        .sort();
      const ids = (result.relatedLocations ?? []).map((l) => l.id).sort();
      if (linked.join() !== ids.join())
        problems.push(`${at}: message links ${linked.join()} but related ${ids.join()}`);
      result.relatedLocations?.forEach((l) => checkLocation(`${at} related ${l.id}`, l));
      if (!/^[0-9a-f]+:\d+$/.test(result.partialFingerprints?.primaryLocationLineHash ?? ""))
        problems.push(`${at}: no primaryLocationLineHash`);
    });
  });
  return problems;
}

export function expectCodeScanningSarif(text: string): void {
  expectValidSarif(text);
  expect(codeScanningProblems(text), "code scanning's requirements").toEqual([]);
}
