/**
 * A value the code has made sure exists (a key it just checked, an index inside the bounds it
 * loops over). Its absence is a bug in netcompile, not a user mistake: it throws an internal
 * error naming what was missing, which the CLI and the Action report as NC9001.
 */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}
