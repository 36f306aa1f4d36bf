import {
  existsSync,
  readdirSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { Worker } from "node:worker_threads";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseJson, readTree, removeDir, testdir } from "../../test/support.js";
import { compareTree, EmitError, emitTree, recover, safeJoin } from "./emit.js";
import { exchangeUnavailable } from "./exchange.js";
import { LOCK_FILE, withLockFile } from "./lock.js";
import type { LockFile } from "./lock.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
afterEach(() => vi.unstubAllEnvs());
const tmp = () => {
  const d = testdir({});
  dirs.push(d);
  return d;
};

const tree = (version: string) =>
  withLockFile(
    [
      { path: "manifests/a.yaml", content: `a: ${version}\n` },
      { path: "hosts/n1/networkd/10.network", content: `[Match]\nName=${version}\n` },
    ],
    version.padEnd(64, "0"),
  );

describe("emitTree", () => {
  it("writes the tree and its lock file", () => {
    const out = join(tmp(), "rendered");
    emitTree(out, tree("v1"));
    expect(Object.keys(readTree(out))).toEqual([
      "hosts/n1/networkd/10.network",
      "manifests/a.yaml",
      LOCK_FILE,
    ]);
    const lock = parseJson<LockFile>(readFileSync(join(out, LOCK_FILE), "utf8"));
    expect(Object.keys(lock.files)).toEqual(["hosts/n1/networkd/10.network", "manifests/a.yaml"]);
    expect(lock.files["manifests/a.yaml"]).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("replaces the previous tree whole: files no longer rendered disappear", () => {
    const out = join(tmp(), "rendered");
    emitTree(out, [...tree("v1"), { path: "manifests/old.yaml", content: "x: 1\n" }]);
    emitTree(out, tree("v2"));
    expect(readTree(out)["manifests/a.yaml"]).toBe("a: v2\n");
    expect(existsSync(join(out, "manifests/old.yaml"))).toBe(false);
  });

  it("refuses to replace a directory it did not write, unless forced", () => {
    const out = join(tmp(), "rendered");
    mkdirSync(out);
    writeFileSync(join(out, "precious.txt"), "mine");
    expect(() => emitTree(out, tree("v1"))).toThrow(EmitError);
    expect(readTree(out)).toEqual({ "precious.txt": "mine" });
    emitTree(out, tree("v1"), { force: true });
    expect(existsSync(join(out, "precious.txt"))).toBe(false);
  });

  it("refuses an output directory that is a symbolic link", () => {
    const root = tmp();
    mkdirSync(join(root, "elsewhere"));
    symlinkSync(join(root, "elsewhere"), join(root, "rendered"));
    expect(() => emitTree(join(root, "rendered"), tree("v1"))).toThrow(/symbolic link/);
    expect(readTree(join(root, "elsewhere"))).toEqual({});
  });

  it("never writes outside the output directory", () => {
    const root = tmp();
    for (const bad of ["../x", "/etc/passwd", "a/../../x", "", ".", "a\0b"]) {
      expect(() => safeJoin(root, bad), bad).toThrow();
    }
    expect(safeJoin(root, "hosts/n/x")).toBe(join(root, "hosts/n/x"));
    expect(() => emitTree(join(root, "out"), [{ path: "../escaped", content: "x" }])).toThrow(
      EmitError,
    );
    expect(existsSync(join(root, "escaped"))).toBe(false);
    expect(existsSync(join(root, "out"))).toBe(false);
  });

  it("safeJoin's shortcut for plain paths gives what resolving gives, and refuses the same", () => {
    // The resolving join safeJoin used for every file (it still does for unusual paths).
    const resolving = (root: string, p: string): string => {
      const full = resolve(root, p);
      const rel = relative(root, full);
      if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || p.includes("\0"))
        throw new Error("outside");
      return full;
    };
    const outcome = (f: () => string) => {
      try {
        return f();
      } catch {
        return "refused";
      }
    };
    const segment = fc.constantFrom(
      "a",
      "hosts",
      "n-1",
      ".",
      "..",
      "",
      "b c",
      "x\\y",
      "a\0b",
      "...",
    );
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        fc.constantFrom("/out", "/out/tree", "/"),
        (parts, root) => {
          const p = parts.join("/");
          expect(outcome(() => safeJoin(root, p))).toBe(outcome(() => resolving(root, p)));
        },
      ),
      { seed: 20261202, numRuns: 2000 },
    );
  });

  it("writes deep and shallow directories once each, in any order of files", () => {
    const root = tmp();
    const out = join(root, "out");
    const files = [
      { path: "top.txt", content: "t\n" },
      { path: "a/b/c/d.txt", content: "d\n" },
      { path: "a/b.txt", content: "b\n" },
      { path: "a/b/e.txt", content: "e\n" },
      { path: "z//y.txt", content: "y\n" },
    ];
    emitTree(out, files);
    expect(readTree(out)).toEqual({
      "top.txt": "t\n",
      "a/b/c/d.txt": "d\n",
      "a/b.txt": "b\n",
      "a/b/e.txt": "e\n",
      "z/y.txt": "y\n",
    });
  });

  it("puts the first tree in place with one rename, and replaces it with one exchange", (ctx) => {
    const root = tmp();
    const out = join(root, "rendered");
    expect(emitTree(out, tree("v1"))).toEqual({ swap: "first" });
    const why = exchangeUnavailable();
    ctx.skip(why !== undefined, why);
    expect(emitTree(out, tree("v2"))).toEqual({ swap: "exchange" });
    expect(readTree(out)["manifests/a.yaml"]).toBe("a: v2\n");
    expect(readdirSync(root)).toEqual(["rendered"]);
  });

  it("replaces a tree with two renames when told to (NETCOMPILE_SWAP=renames), leaving nothing beside", () => {
    const root = tmp();
    const out = join(root, "rendered");
    emitTree(out, tree("v1"));
    vi.stubEnv("NETCOMPILE_SWAP", "renames");
    expect(emitTree(out, tree("v2"))).toEqual({
      swap: "renames",
      fallback: "NETCOMPILE_SWAP=renames",
    });
    expect(readTree(out)["manifests/a.yaml"]).toBe("a: v2\n");
    expect(readdirSync(root)).toEqual(["rendered"]);
  });

  it("a watcher finds a tree at the output path at every instant of the exchanges, and sees the two renames' gap", async (ctx) => {
    const why = exchangeUnavailable();
    ctx.skip(why !== undefined, why);
    const out = join(tmp(), "rendered");
    emitTree(out, tree("v0"));
    // The watcher must be able to see a gap, or seeing none proves nothing: the fallback first.
    vi.stubEnv("NETCOMPILE_SWAP", "renames");
    const renames = await watchWhileSwapping(out, 200, true);
    ctx.skip(
      renames.misses === 0,
      `the watcher saw no gap in ${renames.swaps} two-rename swaps (no second core free?), so it cannot judge the exchange`,
    );
    vi.unstubAllEnvs();
    const exchanges = await watchWhileSwapping(out, 50, false);
    expect(exchanges.looks).toBeGreaterThan(1000);
    expect(exchanges.misses, `${exchanges.looks} looks during ${exchanges.swaps} exchanges`).toBe(
      0,
    );
  }, 60_000);

  it("recovers a swap that was killed between its two renames, by the names its mutex records", () => {
    const root = tmp();
    const out = join(root, "rendered");
    emitTree(out, tree("v1"));
    // What a kill between `rename(target, old)` and `rename(staging, target)` leaves behind:
    const killed = { pid: 999_999, start: "", token: "0123456789abcdef" };
    renameSync(out, join(root, `.rendered.old-999999-${killed.token}`));
    mkdirSync(join(root, `.rendered.tmp-999999-${killed.token}`));
    recover(out, killed);
    expect(readTree(out)["manifests/a.yaml"]).toBe("a: v1\n");
    expect(readdirSync(root)).toEqual(["rendered"]);
  });
});

describe("build mutex drafts", () => {
  it("removes a dead process's draft, and leaves alone what only looks like one", () => {
    const root = tmp();
    const out = join(root, "rendered");
    const record = (pid: number) =>
      `netcompile-build-mutex/1 pid=${pid} start= token=0123456789abcdef\n`;
    // A draft a build killed before linking left: its name and its content say pid 999999.
    writeFileSync(join(root, ".rendered.lock-999999-0a1b2c3d"), record(999_999));
    // Committed files of that shape that are not such a draft: other content, another pid's
    // record, a live process's draft, a link, a folder.
    writeFileSync(join(root, ".rendered.lock-999998-0a1b2c3d"), "notes\n");
    writeFileSync(join(root, ".rendered.lock-999997-0a1b2c3d"), record(999_996));
    writeFileSync(join(root, `.rendered.lock-${process.pid}-0a1b2c3d`), record(process.pid));
    symlinkSync(join(root, "elsewhere"), join(root, ".rendered.lock-999995-0a1b2c3d"));
    mkdirSync(join(root, ".rendered.lock-999994-0a1b2c3d"));
    emitTree(out, tree("v1"));
    expect(readdirSync(root).sort()).toEqual(
      [
        ".rendered.lock-999994-0a1b2c3d",
        ".rendered.lock-999995-0a1b2c3d",
        ".rendered.lock-999997-0a1b2c3d",
        ".rendered.lock-999998-0a1b2c3d",
        `.rendered.lock-${process.pid}-0a1b2c3d`,
        "rendered",
      ].sort(),
    );
  });
});

describe("compareTree", () => {
  it("lists missing, differing and unexpected files", () => {
    const out = join(tmp(), "rendered");
    emitTree(out, tree("v1"));
    writeFileSync(join(out, "manifests/extra.yaml"), "x");
    const next = tree("v2").filter((f) => !f.path.startsWith("hosts/"));
    expect(compareTree(out, [...next, { path: "manifests/new.yaml", content: "n" }])).toEqual([
      { path: "hosts/n1/networkd/10.network", state: "unexpected" },
      { path: "manifests/a.yaml", state: "differs" },
      { path: "manifests/extra.yaml", state: "unexpected" },
      { path: "manifests/new.yaml", state: "missing" },
      { path: LOCK_FILE, state: "differs" },
    ]);
    expect(compareTree(out, readTreeAsFiles(out))).toEqual([]);
  });
});

function readTreeAsFiles(root: string) {
  return Object.entries(readTree(root)).map(([path, content]) => ({ path, content }));
}

/**
 * Swaps `out` between two versions `swaps` times (fewer with `untilMiss`, once a gap was seen)
 * while a worker thread looks for the lock file at the output path as fast as it can.
 */
async function watchWhileSwapping(
  out: string,
  swaps: number,
  untilMiss: boolean,
): Promise<{ misses: number; looks: number; swaps: number }> {
  const shared = new Int32Array(new SharedArrayBuffer(12)); // [stop, started, misses]
  const worker = new Worker(
    `const { parentPort, workerData } = require("node:worker_threads");
     const { statSync } = require("node:fs");
     const shared = new Int32Array(workerData.shared);
     let looks = 0;
     Atomics.store(shared, 1, 1);
     while (Atomics.load(shared, 0) === 0) {
       looks++;
       if (!statSync(workerData.path, { throwIfNoEntry: false })) Atomics.add(shared, 2, 1);
     }
     parentPort.postMessage(looks);`,
    { eval: true, workerData: { shared: shared.buffer, path: join(out, LOCK_FILE) } },
  );
  while (Atomics.load(shared, 1) === 0) await new Promise((r) => setTimeout(r, 1));
  let done = 0;
  while (done < swaps && !(untilMiss && Atomics.load(shared, 2) > 0))
    emitTree(out, tree(`v${++done % 2}`));
  Atomics.store(shared, 0, 1);
  const looks = await new Promise<number>((r) => worker.once("message", r));
  await worker.terminate();
  return { misses: Atomics.load(shared, 2), looks, swaps: done };
}
