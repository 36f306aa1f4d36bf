/**
 * A large tree is written by two threads: emit writes one share of the files and a helper thread
 * (node:worker_threads) the other, so the file system calls — most of a 10,000-node build — run
 * on two cores. The helper only makes the directories and writes the bytes it is handed, at
 * paths emit has already joined and checked; it decides nothing. emit waits for it before
 * anything is renamed, and when its own share fails it stops the helper and waits for it too, so
 * the staging directory is whole, or removed with nothing still writing into it.
 */
import * as fs from "node:fs";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

/** Below this many files a second thread costs more (its start-up) than it saves. */
export const HELPER_MIN_FILES = 4096;

/** What the helper writes: directories to make, parents first, then files as byte parts. */
export interface HelperWork {
  readonly dirs: readonly string[];
  readonly files: readonly (readonly [path: string, parts: readonly Uint8Array[]])[];
}

export interface Helper {
  /**
   * Waits until the helper's work is written (or, with `stop`, until it stops after the file it
   * is writing); throws the first error writing it met. Work the helper never started (its
   * thread did not come up) is written here instead, unless stopping.
   */
  finish(stop: boolean): void;
}

/** The one shared word: who owns the work, and how far it is. */
const State = { pending: 0, running: 1, stop: 2, done: 3, abandoned: 4 } as const;

/** How long emit waits for the thread to start before writing its share itself. */
const START_TIMEOUT_MS = 10_000;

type Fs = Pick<typeof fs, "closeSync" | "mkdirSync" | "openSync" | "writeSync" | "writevSync">;

/**
 * Makes the directories and writes the files of `work`, until the shared word says stop. Run in
 * the helper thread from its source text (so it uses nothing but its arguments), and by emit
 * itself when the thread never started.
 */
function writeWork(work: HelperWork, io: Fs, flag: Int32Array, stop: number): void {
  for (const dir of work.dirs) io.mkdirSync(dir);
  for (const [path, parts] of work.files) {
    if (Atomics.load(flag, 0) === stop) return;
    const fd = io.openSync(path, "w");
    try {
      let total = 0;
      for (const part of parts) total += part.length;
      let written = io.writevSync(fd, parts as Uint8Array[]);
      if (written < total) {
        // A short writev (rare for regular files): the rest, from one buffer.
        const all = Buffer.concat(parts as Uint8Array[]);
        while (written < total) written += io.writeSync(fd, all, written, total - written);
      }
    } finally {
      io.closeSync(fd);
    }
  }
}

/** The helper's program: CommonJS run with `eval`, so no file of its own need ship beside lib/ or dist/. */
const PROGRAM = `"use strict";
const { workerData } = require("node:worker_threads");
const { work, state, port } = workerData;
const flag = new Int32Array(state);
if (Atomics.compareExchange(flag, 0, ${State.pending}, ${State.running}) === ${State.pending}) {
  try {
    (${writeWork.toString()})(work, require("node:fs"), flag, ${State.stop});
  } catch (error) {
    port.postMessage(error && error.message ? error.message : String(error));
  } finally {
    Atomics.store(flag, 0, ${State.done});
    Atomics.notify(flag, 0);
  }
}
port.close();
`;

/** Starts a helper thread writing `work`. */
export function startHelper(work: HelperWork): Helper {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { work, state: flag.buffer, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  return {
    finish(stop) {
      const started = Date.now();
      if (stop) Atomics.compareExchange(flag, 0, State.running, State.stop);
      for (;;) {
        const state = Atomics.load(flag, 0);
        if (state === State.done) break;
        const late = Date.now() - started > START_TIMEOUT_MS;
        if (state === State.pending && (stop || late)) {
          if (Atomics.compareExchange(flag, 0, State.pending, State.abandoned) !== State.pending)
            continue; // it started meanwhile
          void worker.terminate();
          port1.close();
          if (!stop) writeWork(work, fs, flag, State.stop);
          return;
        }
        Atomics.wait(flag, 0, state, 100);
      }
      const error = receiveMessageOnPort(port1)?.message as string | undefined;
      port1.close();
      void worker.terminate();
      if (error !== undefined) throw new Error(error);
    },
  };
}
