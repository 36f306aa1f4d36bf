/**
 * The one way values reach generated text. YAML: every scalar goes through `yamlScalar` (the
 * templates' `q` helper, the plan's acknowledgement entries), so no value can change a
 * document's structure and each reads back as itself — in YAML 1.2 (netcompile's `yaml`) and in
 * YAML 1.1 (go-yaml in Kubernetes tools, libyaml in netplan). INI (networkd): `iniValue` refuses what
 * would break its line.
 */

/**
 * A YAML flow scalar for any JSON value: strings plain when nothing could misread them, else
 * double-quoted with JSON's escapes (valid YAML 1.1 and 1.2) plus `\uXXXX` for what JSON leaves
 * raw but YAML does not allow raw or reads as a line break (NOT_RAW). A lone surrogate is not a
 * character — UTF-8 cannot carry it and no YAML reader accepts its escape — so it is refused.
 */
export function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value))
      throw new TypeError(`value ${JSON.stringify(value)} holds a lone surrogate`);
    return isPlainSafe(value) ? value : JSON.stringify(value).replace(NOT_RAW, unicodeEscape);
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`cannot render ${value} into YAML`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  throw new TypeError(`yamlScalar takes a scalar, not ${typeof value}`);
}

/**
 * What YAML's printable set excludes (YAML 1.2 §5.1: DEL, C1, U+FFFE, U+FFFF; go-yaml also
 * refuses the BOM inside a stream) and what YAML 1.1 reads as a line break inside a quoted
 * scalar (NEL, LS, PS), folding it into a space. JSON.stringify escapes only C0.
 */
const NOT_RAW = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unicodeEscape(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`;
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

/**
 * A value for a systemd INI line: no line breaks, no leading/trailing space, no NUL, no lone
 * surrogate (written as UTF-8 it would silently become U+FFFD).
 */
export function iniValue(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value !== "string")
    throw new TypeError(`iniValue takes a string, not ${typeof value}`);
  if (
    /[\r\n\0]/.test(value) ||
    LONE_SURROGATE.test(value) ||
    value !== value.trim() ||
    value === ""
  ) {
    throw new TypeError(`value ${JSON.stringify(value)} cannot be written into an INI file`);
  }
  return value;
}
