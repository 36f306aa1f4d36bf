/**
 * Where a finding points. Rules report at the field that is wrong; when that field was left
 * out (a Calico default applies), at the key of the nearest field that is written.
 */
import type { Span } from "../diagnostics/types.js";
import type { SourceRef } from "../load/source.js";
import type { PoolFacts } from "../model/facts.js";
import type { Model, Node, Pool } from "../model/types.js";

type Path = readonly (string | number)[];

export function sameSpan(a: Span, b: Span): boolean {
  return (
    a.file === b.file &&
    a.line === b.line &&
    a.column === b.column &&
    a.endLine === b.endLine &&
    a.endColumn === b.endColumn
  );
}

/** True when `path` is written in the YAML (SourceRef.at falls back to an ancestor otherwise). */
export function isPresent(source: SourceRef, path: Path): boolean {
  if (path.length === 0) return true;
  return !sameSpan(source.at(path), source.at(path.slice(0, -1)));
}

/**
 * The span of the value at `path` when it is written; otherwise the key of its nearest written
 * ancestor (e.g. `spec:` for an IPPool field left to Calico's default); otherwise `fallback`
 * (e.g. a node's name), or the whole object.
 */
export function fieldSpan(source: SourceRef, path: Path, fallback?: Path): Span {
  if (isPresent(source, path)) return source.at(path);
  for (let n = path.length - 1; n >= 1; n--) {
    const ancestor = path.slice(0, n);
    if (isPresent(source, ancestor)) return source.keyAt(ancestor);
  }
  if (fallback && isPresent(source, fallback)) return source.at(fallback);
  return source.span;
}

/** The field of a node group entry that produced a member's field. */
const GROUP_FIELD: Readonly<Record<string, string>> = {
  name: "namePrefix",
  address: "firstAddress",
  addressV6: "firstAddressV6",
  labels: "labels",
  interface: "interface",
  subnet: "subnet",
};

/**
 * A node's field: its own for a node written out, the group entry's for a node-group member
 * (`name` -> `namePrefix`, `address` -> `firstAddress`).
 */
export function nodeFieldSpan(
  node: Node,
  field: "name" | "address" | "addressV6" | "labels" | "interface",
): Span {
  if (node.group === undefined) return fieldSpan(node.source, [field], ["name"]);
  return fieldSpan(node.source, [GROUP_FIELD[field] ?? field], ["namePrefix"]);
}

/** Where a pool's encapsulation is decided: ipipMode or vxlanMode as written, else `spec:`. */
export function encapsulationSpan(pool: Pool): Span {
  for (const field of ["ipipMode", "vxlanMode"]) {
    if (isPresent(pool.source, ["spec", field])) return pool.source.at(["spec", field]);
  }
  return fieldSpan(pool.source, ["spec", "ipipMode"]);
}

/** The mode field a pool sets to CrossSubnet, ipipMode first as encapsulationSpan looks. */
export function crossSubnetField(pool: Pool): "ipipMode" | "vxlanMode" | undefined {
  if (pool.ipipMode === "CrossSubnet") return "ipipMode";
  if (pool.vxlanMode === "CrossSubnet") return "vxlanMode";
  return undefined;
}

/** A stable key for "the same place in the source" (group members share their entry's). */
export function spanKey(span: Span): string {
  return `${span.file}:${span.line}:${span.column}:${span.endLine}:${span.endColumn}`;
}

/**
 * Where an acknowledgement goes (the Cluster's `spec.acknowledgements`, or `spec:`): where a
 * plan rule points when the change's own place is gone from the repository.
 */
export function acknowledgementSpan(model: Model): Span {
  return model.cluster.source.keyAt(["spec", "acknowledgements"]);
}

/** A subnet's MTU: its own `mtu` when written, else the Cluster's `networking.underlayMTU`. */
export function subnetMTUSpan(model: Model, name: string): Span {
  const subnet = model.topology.subnets.find((s) => s.name === name);
  if (subnet?.mtuExplicit) return subnet.source.at(["mtu"]);
  return model.cluster.source.at(["spec", "networking", "underlayMTU"]);
}

/** The mode field of a pool of the repository that turns its encapsulation on (VXLAN first). */
export function poolModeSpan(pool: PoolFacts | undefined): Span | undefined {
  if (!pool?.source) return undefined;
  return pool.source.at(["spec", pool.vxlanMode !== "Never" ? "vxlanMode" : "ipipMode"]);
}
