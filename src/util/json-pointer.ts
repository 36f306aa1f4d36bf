/**
 * JSON Pointers (RFC 6901) as ajv reports an error's `instancePath`, turned into the path of
 * keys and indexes a YAML node is found by, and that path as messages show it.
 */

/** Keys and array indexes from the document root: `["spec", "nodes", 2, "address"]`. */
export type JsonPath = (string | number)[];

/** `/spec/nodes/2/address` -> `["spec", "nodes", 2, "address"]`; "" is the document itself. */
export function pointerToPath(pointer: string): JsonPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** `["spec", "nodes", 2, "address"]` -> `spec.nodes[2].address`. */
export function pathText(path: readonly (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}
