/**
 * Immutability for the resolved model. `Object.freeze` does not reach into a Map or a Set, so
 * the model's maps and sets are FrozenMap and FrozenSet: read-only views over a private copy,
 * with no mutators at all (and no way to reach the copy), frozen themselves.
 */

/** Set while FrozenMap.adopt constructs: the map handed over is kept instead of copied. */
let adopting = false;

/** A read-only map: a frozen view over a private copy of `entries`. */
export class FrozenMap<K, V> implements ReadonlyMap<K, V> {
  readonly #map: Map<K, V>;

  constructor(entries: Iterable<readonly [K, V]> = []) {
    this.#map = adopting && entries instanceof Map ? (entries as Map<K, V>) : new Map(entries);
    adopting = false;
    Object.freeze(this);
  }

  /** A view over `map` itself, without a copy: the caller hands it over and keeps no reference. */
  static adopt<K, V>(map: Map<K, V>): FrozenMap<K, V> {
    adopting = true;
    try {
      return new FrozenMap(map);
    } finally {
      adopting = false;
    }
  }

  get size(): number {
    return this.#map.size;
  }
  get(key: K): V | undefined {
    return this.#map.get(key);
  }
  has(key: K): boolean {
    return this.#map.has(key);
  }
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.#map) callback.call(thisArg, value, key, this);
  }
  entries(): MapIterator<[K, V]> {
    return this.#map.entries();
  }
  keys(): MapIterator<K> {
    return this.#map.keys();
  }
  values(): MapIterator<V> {
    return this.#map.values();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#map[Symbol.iterator]();
  }
  get [Symbol.toStringTag](): string {
    return "FrozenMap";
  }
  /** util.inspect (console, test output) shows the entries, as it does a Map's. */
  [Symbol.for("nodejs.util.inspect.custom")](): Map<K, V> {
    return new Map(this.#map);
  }
}

/** A read-only set: a frozen view over a private copy of `values`. */
export class FrozenSet<T> implements ReadonlySet<T> {
  readonly #set: Set<T>;

  constructor(values: Iterable<T> = []) {
    this.#set = new Set(values);
    Object.freeze(this);
  }

  get size(): number {
    return this.#set.size;
  }
  has(value: T): boolean {
    return this.#set.has(value);
  }
  forEach(callback: (value: T, key: T, set: ReadonlySet<T>) => void, thisArg?: unknown): void {
    for (const value of this.#set) callback.call(thisArg, value, value, this);
  }
  entries(): SetIterator<[T, T]> {
    return this.#set.entries();
  }
  keys(): SetIterator<T> {
    return this.#set.keys();
  }
  values(): SetIterator<T> {
    return this.#set.values();
  }
  [Symbol.iterator](): SetIterator<T> {
    return this.#set[Symbol.iterator]();
  }
  get [Symbol.toStringTag](): string {
    return "FrozenSet";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): Set<T> {
    return new Set(this.#set);
  }
}

/** Readonly all the way down, for data copied from a document (a Policy's spec). */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A frozen deep copy of JSON-like data (what YAML parses to): the original is left alone. */
export function frozenCopy<T>(value: T): DeepReadonly<T> {
  return deepFreeze(structuredClone(value)) as DeepReadonly<T>;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
