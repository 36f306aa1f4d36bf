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

/** Colour only on a TTY, and never with NO_COLOR set (https://no-color.org) or TERM=dumb. */
export function colorsFor(stream: OutStream, env: Io["env"]): Colors {
  const enabled =
    stream.isTTY === true &&
    (env.NO_COLOR === undefined || env.NO_COLOR === "") &&
    env.TERM !== "dumb";
  return pc.createColors(enabled);
}
