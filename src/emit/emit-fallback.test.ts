/**
 * Where the exchange cannot run (a filesystem that answers EINVAL, no binding, another OS) the
 * swap falls back to two renames and still replaces the tree whole. The exchange is made to
 * refuse here, as NFS would, since no filesystem on the test machine does.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { readTree, removeDir, testdir } from "../../test/support.js";
import { emitTree } from "./emit.js";
import { withLockFile } from "./lock.js";

const asked = vi.hoisted(() => [] as [string, string][]);
vi.mock("./exchange.js", () => ({
  exchangeDirectories: (a: string, b: string) => {
    asked.push([a, b]);
    return { exchanged: false, reason: "renameat2(RENAME_EXCHANGE) failed: EINVAL" };
  },
}));

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

const tree = (version: string) =>
  withLockFile(
    [
      { path: "manifests/a.yaml", content: `a: ${version}\n` },
      { path: `manifests/only-${version}.yaml`, content: "x: 1\n" },
    ],
    version.padEnd(64, "0"),
  );

describe("a swap whose exchange is refused", () => {
  it("falls back to two renames: the new tree whole in place, nothing left beside it", () => {
    const root = testdir({});
    dirs.push(root);
    const out = join(root, "rendered");
    expect(emitTree(out, tree("v1"))).toEqual({ swap: "first" });
    expect(asked).toEqual([]); // nothing to exchange with
    expect(emitTree(out, tree("v2"))).toEqual({
      swap: "renames",
      fallback: "renameat2(RENAME_EXCHANGE) failed: EINVAL",
    });
    expect(asked).toHaveLength(1);
    expect(asked[0]![1]).toBe(out);
    expect(asked[0]![0]).toMatch(/[\\/]\.rendered\.tmp-\d+-[0-9a-f]{16}$/);
    expect(Object.keys(readTree(out)).sort()).toEqual([
      "manifests/a.yaml",
      "manifests/only-v2.yaml",
      "netcompile.lock.json",
    ]);
    expect(readdirSync(root)).toEqual(["rendered"]);
  });
});
