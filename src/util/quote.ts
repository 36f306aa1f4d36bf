/**
 * The one way values reach generated text. YAML: every scalar goes through `yamlScalar` (the
 * templates' `q` helper, the plan's acknowledgement entries), so no value can change a
 * document's structure and each reads back as itself. INI (networkd): `iniValue` refuses what
 * would break its line.
 */

/** A YAML flow scalar for any JSON value: strings double-quoted (JSON escaping is valid YAML). */
export function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return isPlainSafe(value) ? value : JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot render ${value} into YAML`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  throw new TypeError(`yamlScalar takes a scalar, not ${typeof value}`);
}

// Words YAML 1.1 or 1.2 would read as something other than a string.
const RESERVED = /^(y|n|yes|no|true|false|on|off|null|~)$/i;

/**
 * Plain (unquoted) only for strings that cannot be read as anything else in YAML 1.1 or 1.2;
 * the rendered-YAML reader (render/block-yaml.ts) accepts a plain string by the same test.
 */
export function isPlainSafe(value: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(value) && !RESERVED.test(value) && !/[.]$/.test(value);
}

/** A value for a systemd INI line: no line breaks, no leading/trailing space, no NUL. */
export function iniValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string")
    throw new TypeError(`iniValue takes a string, not ${typeof value}`);
  if (/[\r\n\0]/.test(value) || value !== value.trim() || value === "") {
    throw new TypeError(`value ${JSON.stringify(value)} cannot be written into an INI file`);
  }
  return value;
}
