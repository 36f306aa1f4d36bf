import pc from "picocolors";
import type { Colors } from "picocolors/types.js";

export interface OutStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** Everything a command touches of the outside world, so tests can run it in-process. */
export interface Io {
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Colour on a TTY unless TERM=dumb. FORCE_COLOR set and not empty (https://force-color.org)
 * turns it on anywhere, except "0" and "false", which turn it off (as Node.js reads them).
 * NO_COLOR set and not empty (https://no-color.org) turns it off and wins over FORCE_COLOR:
 * a user's opt-out beats a CI default.
 */
export function colorsFor(stream: OutStream, env: Io["env"]): Colors {
  const set = (value: string | undefined) => value !== undefined && value !== "";
  const forced = env.FORCE_COLOR;
  const force = set(forced) ? !/^(0|false)$/i.test(forced ?? "") : undefined;
  const enabled = set(env.NO_COLOR)
    ? false
    : (force ?? (stream.isTTY === true && env.TERM !== "dumb"));
  return pc.createColors(enabled);
}
