/**
 * Self-contained schemas for editors and users: the schema modules reference the common
 * definitions by a URL under netcompile.dev, which ajv resolves from the modules it holds but
 * which serves nothing, so yaml-language-server (or any validator) reading a file could resolve
 * none of them. A bundled schema carries the common definitions it needs under `definitions`,
 * refers to them as `#/definitions/...`, and has no `$id`: it works offline, from any path.
 */
import { commonSchema } from "./common.js";
import type { NetcompileSchema } from "./extension.js";
import { must } from "../../util/must.js";

const COMMON_REF = /^common\.json#\/definitions\/([\w-]+)$/;

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** `schema` with every common definition it reaches inlined, and no reference outside it. */
export function bundleSchema(schema: NetcompileSchema): Record<string, unknown> {
  const needed = new Set<string>();
  const definitions = commonSchema.definitions as unknown as Record<string, Json>;
  const rewrite = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, Json> = {};
    for (const [key, item] of Object.entries(value as Record<string, Json>)) {
      const common = key === "$ref" && typeof item === "string" ? COMMON_REF.exec(item) : null;
      if (common) {
        const name = must(common[1], "the definition's name");
        if (!needed.has(name)) {
          needed.add(name);
          rewrite(must(definitions[name], `definition ${name}`)); // what it reaches is needed too
        }
        out[key] = `#/definitions/${name}`;
      } else out[key] = rewrite(item);
    }
    return out;
  };
  const {
    $id: _id,
    definitions: own,
    ...rest
  } = schema as Record<string, Json> & {
    definitions?: Record<string, Json>;
  };
  const body = rewrite(rest) as Record<string, Json>;
  const ownDefinitions = own ? (rewrite(own) as Record<string, Json>) : {};
  const all = { ...ownDefinitions };
  for (const name of [...needed].sort())
    all[name] = rewrite(must(definitions[name], `definition ${name}`));
  return Object.keys(all).length ? { ...body, definitions: all } : body;
}
