/**
 * A function run on a second thread (node:worker_threads) while this one works, then joined
 * synchronously: emit writes a share of a large tree with it.
 *
 * The function runs from its source text (so no file of its own need ship beside lib/, the
 * CLI's bundle or dist/): it must use nothing but its arguments — its input (structured-cloned),
 * node:fs, a `stopped` probe, and `helpers`: named functions that obey the same rule, sent as
 * their source text too. When the thread does not start in time, `join` runs the function here
 * instead, so a build never hangs on a thread that never came up.
 */
import * as fs from "node:fs";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

export type ThreadFunction<I, O, H extends ThreadHelpers = ThreadHelpers> = (
  input: I,
  io: typeof fs,
  stopped: () => boolean,
  helpers: H,
) => O;

/** Functions a thread function may call: each self-contained (nothing but its arguments and globals). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function: each helper's own type is kept by H
export type ThreadHelpers = Readonly<Record<string, (...args: any[]) => unknown>>;

export interface Thread<O> {
  /**
   * Waits for the function's result; throws what it threw (as an Error with its message).
   * With `stop`, asks it to stop (it sees `stopped()` turn true), waits for it, and returns
   * undefined: a function that never started is then not run at all.
   */
  join(stop?: boolean): O | undefined;
  /**
   * Waits for the function's result if the thread has started it; if it has not, it never
   * will and this returns undefined at once (for work both threads claim a share of, once
   * this one has claimed the rest: nothing is left for a late thread).
   */
  joinIfStarted(): O | undefined;
}

/** The one shared word: who runs the function, and how far it is. */
const State = { pending: 0, running: 1, stop: 2, done: 3, abandoned: 4 } as const;

/** How long `join` waits for the thread to start before running the function itself. */
const START_TIMEOUT_MS = 10_000;

const program = (source: string, helpers: ThreadHelpers) => `"use strict";
const { workerData } = require("node:worker_threads");
const helpers = {${Object.entries(helpers)
  .map(([name, fn]) => `\n  ${JSON.stringify(name)}: (${fn.toString()}),`)
  .join("")}
};
const { input, state, port } = workerData;
const flag = new Int32Array(state);
if (Atomics.compareExchange(flag, 0, ${State.pending}, ${State.running}) === ${State.pending}) {
  try {
    const output = (${source})(input, require("node:fs"), () => Atomics.load(flag, 0) === ${State.stop}, helpers);
    port.postMessage({ output });
  } catch (error) {
    port.postMessage({ error: error && error.message ? error.message : String(error) });
  } finally {
    Atomics.store(flag, 0, ${State.done});
    Atomics.notify(flag, 0);
  }
}
port.close();
`;

/** Starts `fn(input)` on a new thread. */
export function startThread<I, O, H extends ThreadHelpers>(
  fn: ThreadFunction<I, O, H>,
  input: I,
  helpers: H = {} as H,
): Thread<O> {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(program(fn.toString(), helpers), {
    eval: true,
    workerData: { input, state: flag.buffer, port: port2 },
    transferList: [port2],
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  worker.unref();
  /** Waits for the thread; one not started is abandoned at once ("stop", "if-started") or after the timeout and run here. */
  const join = (how: "result" | "stop" | "if-started"): O | undefined => {
    const started = Date.now();
    if (how === "stop") Atomics.compareExchange(flag, 0, State.running, State.stop);
    for (;;) {
      const state = Atomics.load(flag, 0);
      if (state === State.done) break;
      if (
        state === State.pending &&
        (how !== "result" || Date.now() - started > START_TIMEOUT_MS)
      ) {
        if (Atomics.compareExchange(flag, 0, State.pending, State.abandoned) !== State.pending)
          continue; // it started meanwhile
        void worker.terminate();
        port1.close();
        return how === "result" ? fn(input, fs, () => false, helpers) : undefined;
      }
      Atomics.wait(flag, 0, state, 100);
    }
    const message = receiveMessageOnPort(port1)?.message as
      { output: O; error?: undefined } | { error: string } | undefined;
    port1.close();
    void worker.terminate();
    if (!message) throw new Error("the thread ended without a result");
    if (message.error !== undefined) throw new Error(message.error);
    return how === "stop" ? undefined : message.output;
  };
  return {
    join: (stop = false) => join(stop ? "stop" : "result"),
    joinIfStarted: () => join("if-started"),
  };
}
