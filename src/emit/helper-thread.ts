/**
 * A large tree is written by two threads: emit writes one share of the files and a helper thread
 * (util/thread.ts) the other, so the file system calls — most of a 10,000-node build — run on
 * two cores. The helper only makes the directories and writes the bytes it is handed, at paths
 * emit has already joined and checked; it decides nothing. emit waits for it before anything is
 * renamed, and when its own share fails it stops the helper and waits for it too, so the staging
 * directory is whole, or removed with nothing still writing into it.
 */
import { startThread, type ThreadFunction } from "../util/thread.js";

/** Below this many files a second thread costs more (its start-up) than it saves. */
export const HELPER_MIN_FILES = 4096;

/**
 * What the helper writes: directories to make, parents first, then files, each as byte parts
 * (pieces.ts) or as a range of `texts`, a buffer over shared memory that it reads in place.
 */
export interface HelperWork {
  readonly dirs: readonly string[];
  readonly texts: Uint8Array;
  readonly files: readonly (readonly [
    path: string,
    content: readonly Uint8Array[] | readonly [start: number, end: number],
  ])[];
}

export interface Helper {
  /**
   * Waits until the helper's work is written, or with `stop` until it stops after the file it
   * is writing; throws the first error writing it met.
   */
  finish(stop: boolean): void;
}

/** Makes the directories, then writes the files, until stopped. Runs from its source text. */
const writeWork: ThreadFunction<HelperWork, void> = (work, io, stopped) => {
  for (const dir of work.dirs) io.mkdirSync(dir);
  for (const [path, content] of work.files) {
    if (stopped()) break;
    if (typeof content[0] === "number") {
      io.writeFileSync(path, work.texts.subarray(content[0], content[1] as number));
      continue;
    }
    const parts = content as readonly Uint8Array[];
    const fd = io.openSync(path, "w");
    try {
      let total = 0;
      for (const part of parts) total += part.length;
      let written = io.writevSync(fd, parts);
      if (written < total) {
        // A short writev (rare for regular files): the rest, from one buffer.
        const all = Buffer.concat(parts);
        while (written < total) written += io.writeSync(fd, all, written, total - written);
      }
    } finally {
      io.closeSync(fd);
    }
  }
};

/** Starts a helper thread writing `work`. */
export function startHelper(work: HelperWork): Helper {
  const thread = startThread(writeWork, work);
  return { finish: (stop) => void thread.join(stop) };
}
