/**
 * What keeps a Policy's assertion — a JSON Schema a repository writes — within a bounded cost
 * (ajv's own documentation treats schemas as trusted for resource use; these are not):
 *
 * - `pattern` and `patternProperties` run on RE2 (re2js, pure JavaScript): linear in the input
 *   whatever the pattern, so `^(a+)+$` cannot backtrack for hours. What RE2 cannot run in linear
 *   time (backreferences, lookahead) fails to compile, and the Policy is refused (NC3007).
 *   netcompile's own schemas keep JavaScript's engine.
 * - `uniqueItems` compares canonical JSON texts in a set (linear) instead of ajv's pairwise deep
 *   comparison (quadratic: 20,000 nodes took 155 s).
 * - `policyWork`: the schema's size times the resources it may match, summed over all Policies,
 *   has a limit (LIMITS.maxPolicyWork), checked before anything runs (NC3025).
 */
import type { Ajv, SchemaValidateFunction } from "ajv";
import { RE2JS } from "re2js";
import type { Model } from "../model/types.js";

/** ajv's `code.regExp` engine: RE2 for a pattern written in JSON Schema's (ECMA-262) syntax. */
export const linearRegExp = Object.assign(
  (pattern: string): { test(text: string): boolean; toString(): string } => {
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(RE2JS.translateRegExp(pattern));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `pattern ${JSON.stringify(pattern)} cannot run on netcompile's linear-time regular expression engine (RE2: no backreferences or lookaround): ${reason}`,
      );
    }
    return { test: (text) => compiled.test(text), toString: () => `re2:${pattern}` };
  },
  { code: "re2js" },
);

/** Replaces ajv's quadratic `uniqueItems` with a linear one giving the same answer and error. */
export function useLinearUniqueItems(ajv: Ajv): void {
  ajv.removeKeyword("uniqueItems");
  const validate: SchemaValidateFunction = function uniqueItems(schema: boolean, data: unknown) {
    if (!schema || !Array.isArray(data)) return true;
    const seen = new Map<string, number>();
    for (let i = 0; i < data.length; i++) {
      const key = canonicalJson(data[i]);
      const j = seen.get(key);
      if (j !== undefined) {
        validate.errors = [
          {
            keyword: "uniqueItems",
            params: { i, j },
            message: `must NOT have duplicate items (items ## ${i} and ${j} are identical)`,
          },
        ];
        return false;
      }
      seen.set(key, i);
    }
    return true;
  };
  ajv.addKeyword({ keyword: "uniqueItems", schemaType: "boolean", errors: true, validate });
}

/** JSON with object keys sorted: equal texts exactly when JSON Schema calls two values equal. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** How many values a schema holds (keywords, subschemas, constants): its size. */
export function schemaSize(schema: unknown): number {
  let size = 0;
  const stack: unknown[] = [schema];
  while (stack.length > 0) {
    const value = stack.pop();
    size++;
    if (Array.isArray(value)) stack.push(...(value as unknown[]));
    else if (value !== null && typeof value === "object")
      stack.push(...(Object.values(value) as unknown[]));
  }
  return size;
}

/**
 * The resources a Policy of these kinds may match, before its selector: the Topology counts its
 * nodes, subnets and node groups too, since an assertion can walk every one of them.
 */
export function resourcesOf(model: Model, kinds: readonly string[]): number {
  const { topology } = model;
  const per: Readonly<Record<string, number>> = {
    Cluster: 1,
    Topology: 1 + topology.nodes.length + topology.subnets.length + topology.nodeGroups.length,
    IPPool: model.pools.length,
    Node: topology.nodes.length,
    Subnet: topology.subnets.length,
  };
  return kinds.reduce((n, kind) => n + (per[kind] ?? 0), 0);
}
