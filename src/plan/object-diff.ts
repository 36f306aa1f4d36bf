/**
 * Kubernetes object diff: the objects of two sets of rendered manifests, matched by
 * apiVersion/kind/namespace/name, compared field by field. Unchanged fields are hidden.
 */
import { parseRenderedYaml } from "../render/check.js";
import type { RenderedFile } from "../render/types.js";
import type { FieldChange, ObjectChange } from "./types.js";

interface K8sObject {
  readonly address: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly file: string;
  readonly value: Record<string, unknown>;
}

export function objectAddress(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
): string {
  return `${apiVersion}/${kind}/${namespace === undefined ? "" : `${namespace}/`}${name}`;
}

export function diffObjects(
  before: readonly RenderedFile[],
  after: readonly RenderedFile[],
): ObjectChange[] {
  const a = objectsOf(before);
  const b = objectsOf(after);
  const out: ObjectChange[] = [];
  for (const [address, now] of b) {
    const was = a.get(address);
    if (!was) {
      out.push(change(now, "create", leaves(undefined, now.value, "create")));
      continue;
    }
    const fields = diffValues(was.value, now.value);
    if (fields.length) out.push(change(now, "update", fields));
  }
  for (const [address, was] of a) {
    if (!b.has(address)) out.push(change(was, "delete", leaves(was.value, undefined, "delete")));
  }
  return out.sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

function change(o: K8sObject, action: ObjectChange["action"], fields: FieldChange[]): ObjectChange {
  return {
    type: "object",
    address: o.address,
    action,
    count: 1,
    disruptive: false,
    reasons: [],
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    file: o.file,
    fields,
  };
}

function objectsOf(files: readonly RenderedFile[]): Map<string, K8sObject> {
  const out = new Map<string, K8sObject>();
  for (const file of files) {
    if (!file.path.startsWith("manifests/")) continue;
    const { docs } = parseRenderedYaml(file.content);
    for (const doc of docs) {
      if (!isRecord(doc)) continue;
      const meta = isRecord(doc.metadata) ? doc.metadata : {};
      const apiVersion = typeof doc.apiVersion === "string" ? doc.apiVersion : "";
      const kind = typeof doc.kind === "string" ? doc.kind : "";
      const name = typeof meta.name === "string" ? meta.name : "";
      const namespace = typeof meta.namespace === "string" ? meta.namespace : undefined;
      const address = objectAddress(apiVersion, kind, namespace, name);
      out.set(address, { address, apiVersion, kind, namespace, name, file: file.path, value: doc });
    }
  }
  return out;
}

/** The identity fields every object has; they never differ between matched objects. */
const IDENTITY = new Set(["apiVersion", "kind"]);

export function diffValues(before: unknown, after: unknown, path = ""): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) =>
      path === "" && IDENTITY.has(k) ? [] : diffValues(before[k], after[k], join(path, k)),
    );
  }
  if (Array.isArray(before) && Array.isArray(after) && !isScalarList(before, after)) {
    const key = listKey(before, after);
    if (key) {
      const byKey = (list: unknown[]) =>
        new Map(list.map((item) => [String((item as Record<string, unknown>)[key]), item]));
      const a = byKey(before);
      const b = byKey(after);
      const names = [...new Set([...a.keys(), ...b.keys()])];
      return names.flatMap((n) => diffValues(a.get(n), b.get(n), `${path}[${key}=${n}]`));
    }
    const n = Math.max(before.length, after.length);
    const out: FieldChange[] = [];
    for (let i = 0; i < n; i++) out.push(...diffValues(before[i], after[i], `${path}[${i}]`));
    return out;
  }
  if (before === undefined && after !== undefined) return leaves(undefined, after, "create", path);
  if (after === undefined && before !== undefined) return leaves(before, undefined, "delete", path);
  return sameValue(before, after) ? [] : [{ path, before, after }];
}

/** Every leaf of a value that exists on one side only. */
function leaves(
  before: unknown,
  after: unknown,
  action: "create" | "delete",
  path = "",
): FieldChange[] {
  const value = action === "create" ? after : before;
  if (isRecord(value) && Object.keys(value).length > 0) {
    return Object.keys(value)
      .sort()
      .flatMap((k) =>
        path === "" && IDENTITY.has(k)
          ? []
          : action === "create"
            ? leaves(undefined, value[k], action, join(path, k))
            : leaves(value[k], undefined, action, join(path, k)),
      );
  }
  if (Array.isArray(value) && value.length > 0 && !isScalarList(value, value)) {
    const key = listKey(value, value);
    return value.flatMap((item, i) => {
      const p = `${path}[${key ? `${key}=${String((item as Record<string, unknown>)[key])}` : i}]`;
      return action === "create"
        ? leaves(undefined, item, action, p)
        : leaves(item, undefined, action, p);
    });
  }
  return [{ path, before, after }];
}

/** Lists of objects with a unique string `name` compare by name (Kubernetes' merge key). */
function listKey(a: unknown[], b: unknown[]): string | undefined {
  for (const list of [a, b]) {
    const names = new Set<string>();
    for (const item of list) {
      if (!isRecord(item) || typeof item.name !== "string" || names.has(item.name))
        return undefined;
      names.add(item.name);
    }
  }
  return "name";
}

/** Lists of scalars compare whole: `[a, b] -> [a, b, c]` reads better than index by index. */
function isScalarList(a: unknown[], b: unknown[]): boolean {
  return [...a, ...b].every((v) => v === null || typeof v !== "object");
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

/** `a.b`, or `a["app.kubernetes.io/name"]` for keys that are not plain words. */
function join(path: string, key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === "" ? key : `${path}.${key}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
