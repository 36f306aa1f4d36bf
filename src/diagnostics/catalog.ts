/**
 * Every pipeline diagnostic code, its category and message template. Codes are unique (a
 * test checks) and keyed by code, never by English text. Placeholders are `{name}`.
 * 1xxx load/YAML, 2xxx schema, 3xxx resolve and settings (incl. waivers and Policy documents),
 * 5xxx render/emit, 6xxx plan, 9xxx internal.
 */
import type { Severity } from "./types.js";

export interface CatalogEntry {
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
}

export const catalog = {
  NC1001: { severity: "error", title: "YAML syntax error", message: "{detail}" },
  NC1002: {
    severity: "error",
    title: "duplicate key",
    message: 'duplicate key "{key}" in a mapping',
  },
  NC1003: {
    severity: "error",
    title: "document without apiVersion or kind",
    message: "document has no {field}; every document must say what it is (apiVersion and kind)",
  },
  NC1004: {
    severity: "error",
    title: "unknown kind",
    message: "{what} is not a kind netcompile reads; expected one of: {expected}{hint}",
  },
  NC1005: {
    severity: "error",
    title: "no Cluster",
    message:
      "netcompile.yaml holds no Cluster document (apiVersion: netcompile.dev/v1alpha1, kind: Cluster)",
  },
  NC1006: {
    severity: "error",
    title: "several Clusters",
    message: "a repository holds exactly one Cluster; this is another one",
  },
  NC1007: {
    severity: "error",
    title: "missing netcompile.yaml",
    message:
      "no netcompile.yaml at the repository root {dir}; it marks the repository and holds the Cluster",
  },
  NC1008: {
    severity: "error",
    title: "duplicate resource name",
    message: '{kind} "{name}" is defined more than once',
  },
  NC1009: {
    severity: "error",
    title: "too many aliases",
    message: "document expands too many YAML aliases (limit {limit}); write the values out",
  },
  NC1010: { severity: "error", title: "unreadable file", message: "cannot read {what}: {detail}" },
  NC1011: {
    severity: "error",
    title: "Cluster outside netcompile.yaml",
    message: "the Cluster belongs in netcompile.yaml at the repository root",
  },
  NC1012: {
    severity: "error",
    title: "document is not a mapping",
    message:
      "document is {type}; a resource must be a mapping with apiVersion, kind, metadata and spec",
  },
  NC1013: {
    severity: "error",
    title: "no Topology",
    message: "the repository holds no Topology document; netcompile needs the nodes and subnets",
  },
  NC1014: {
    severity: "error",
    title: "file too large",
    message: "{what} is {size} bytes; the limit is {limit} bytes",
  },
  NC1015: {
    severity: "error",
    title: "nesting too deep",
    message: "document nests deeper than {limit} levels",
  },
  NC2001: { severity: "error", title: "unknown field", message: 'unknown field "{field}"{hint}' },
  NC2002: {
    severity: "error",
    title: "wrong type",
    message: "{path} must be {expected}, not {actual}",
  },
  NC2003: {
    severity: "error",
    title: "missing field",
    message: 'missing required field "{field}"{where}',
  },
  NC2004: {
    severity: "error",
    title: "value not allowed",
    message: "{path} must be one of {allowed}, not {actual}{hint}",
  },
  NC2005: { severity: "error", title: "invalid value", message: "{path} {detail}" },
  NC3001: {
    severity: "error",
    title: "node group does not fit",
    message: 'node group "{group}" needs {count} addresses from {first}, but {reason}',
  },
  NC3002: {
    severity: "error",
    title: "unknown subnet",
    message: 'no subnet named "{subnet}"{hint}',
  },
  NC3003: { severity: "error", title: "invalid setting", message: "{detail}" },
  NC3004: {
    severity: "error",
    title: "malformed waiver",
    message: 'waiver "{text}" does not read "<rule-id>: <reason>": {detail}',
  },
  NC3005: {
    severity: "warning",
    title: "waiver matches nothing",
    message: 'waiver for "{rule}" matches no finding on {resource}{hint}; remove it',
  },
  NC3006: {
    severity: "error",
    title: "invalid Policy selector",
    message:
      'Policy "{policy}": spec.match.selector does not parse at character {position}: {reason}',
  },
  NC3007: {
    severity: "error",
    title: "invalid Policy assertion",
    message: 'Policy "{policy}": spec.assert is not a usable JSON Schema: {detail}',
  },
  NC3008: {
    severity: "error",
    title: "Policy id taken",
    message:
      'Policy "{policy}" has the id of a built-in rule; a Policy\'s id is its metadata.name, so choose another name',
  },
  NC5001: {
    severity: "error",
    title: "rendered output failed its check",
    message:
      "rendered {file} does not pass its own check: {detail} (this is a netcompile bug; please report it)",
  },
  NC5002: {
    severity: "error",
    title: "cannot write output",
    message: "cannot write {what}: {detail}",
  },
  NC5003: {
    severity: "error",
    title: "output is stale",
    message: "{file} {state}; run `netcompile build` and commit the result",
  },
  NC5004: {
    severity: "error",
    title: "output directory not ours",
    message:
      "{dir} exists and has no netcompile.lock.json; refusing to replace a directory netcompile did not write (use --force)",
  },
  NC6001: {
    severity: "error",
    title: "disruptive change not acknowledged",
    message:
      "{change} is disruptive and not acknowledged: {breaks}. To accept it, add to the Cluster's spec.acknowledgements: {ack}",
  },
  NC6002: {
    severity: "warning",
    title: "acknowledgement matches no change",
    message: "acknowledgement of {change} matches no change in this plan{hint}; remove it",
  },
  NC6003: {
    severity: "warning",
    title: "change cannot be acknowledged",
    message: "acknowledgement of {change} has no effect: {why}",
  },
  NC6004: {
    severity: "warning",
    title: "base does not validate",
    message:
      "the base ({base}) has {count} error(s), the first: {first}; the plan compares with what could be read from it",
  },
  NC6005: {
    severity: "info",
    title: "analysis incomplete",
    message: "the base is a rendered tree: {what} could not be read from it, so {consequence}",
  },
  NC6006: {
    severity: "info",
    title: "no base",
    message: "{why}: everything is an add",
  },
  NC6007: {
    severity: "error",
    title: "cannot read the base",
    message: "cannot read the base {base}: {detail}",
  },
  NC6008: {
    severity: "error",
    title: "no plan",
    message: "the repository does not validate ({count} error(s)): no plan until they are fixed",
  },
  NC9001: {
    severity: "error",
    title: "internal error",
    message:
      "internal error: {detail} — this is a bug in netcompile; please report it with the command you ran (--debug shows the stack)",
  },
} as const satisfies Record<string, CatalogEntry>;

export type DiagnosticCode = keyof typeof catalog;

/** Fills `{name}` placeholders; a placeholder without data is a bug and throws. */
export function formatMessage(
  code: DiagnosticCode,
  data: Readonly<Record<string, string | number>>,
): string {
  const template: string = catalog[code].message;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`diagnostic ${code} needs "${key}"`);
    return String(value);
  });
}
