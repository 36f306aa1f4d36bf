/**
 * Output formats chosen by name, after kubeconform's pkg/output: a registry maps each name to a
 * factory, `write` takes one item (a diagnostic, a plan) and `flush` prints what is left (a
 * summary, a whole document). Formatters only print; what to print is decided before them.
 */

/** Where an output writes: a stream (stdout, stderr) or a string being built. */
export interface Sink {
  write(chunk: string): unknown;
}

export interface Output<T> {
  /** One item; a format that streams prints it at once, the others keep it for `flush`. */
  write(item: T): void;
  /** Prints what is left. Called once, after the last `write`. */
  flush(): void;
}

/** A format name no registry knows: a usage error that lists the names there are. */
export class UnknownFormatError extends Error {
  constructor(
    readonly kind: string,
    readonly format: string,
    readonly formats: readonly string[],
  ) {
    super(`unknown ${kind} format "${format}" (the formats are ${formats.join(", ")})`);
  }
}

/** The registry's entry for `format` (own keys only: "constructor" is not a format). */
export function chooseFormat<F>(
  kind: string,
  registry: Readonly<Record<string, F>>,
  format: string,
): F {
  const chosen = Object.hasOwn(registry, format) ? registry[format] : undefined;
  if (chosen === undefined) throw new UnknownFormatError(kind, format, Object.keys(registry));
  return chosen;
}

/** An output that keeps every item and prints them all at once, as `render` makes them. */
export function collected<T>(sink: Sink, render: (items: readonly T[]) => string): Output<T> {
  const items: T[] = [];
  return {
    write: (item) => void items.push(item),
    flush: () => void sink.write(render(items)),
  };
}

/** Drives an output into a string: every item written, then flushed. */
export function outputText<T>(create: (sink: Sink) => Output<T>, items: Iterable<T>): string {
  let text = "";
  const output = create({ write: (chunk) => (text += chunk) });
  for (const item of items) output.write(item);
  output.flush();
  return text;
}
