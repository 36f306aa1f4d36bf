/**
 * emit's helper thread: a large tree is written by two threads, and what lands is exactly what
 * one thread writes; a failure in either share writes nothing and keeps the previous tree.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseJson, readTree, removeDir, testdir } from "../../test/support.js";
import { fileFromPieces, SharedText } from "../render/pieces.js";
import type { RenderedFile } from "../render/types.js";
import { EmitError, emitTree, helperSplit } from "./emit.js";
import { startHelper } from "./helper-thread.js";
import { LOCK_FILE, withLockFile, type LockFile } from "./lock.js";
import { must } from "../util/must.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
const tmp = () => {
  const d = testdir({});
  dirs.push(d);
  return d;
};

const peers = new SharedText(["- 10.0.0.1\n", "- 10.0.0.2 é\n", "- 10.0.0.3\n"]);
/** Hosts with files at several depths, some as pieces; manifests and a top-level file. */
function tree(hosts: number, version = "v1"): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (let i = 0; i < hosts; i++) {
    const host = `hosts/node-${String(i).padStart(3, "0")}`;
    files.push(
      fileFromPieces(`${host}/netplan/60.yaml`, [
        `# ${version} ${i}\n`,
        {
          source: peers,
          ranges: [
            [0, i % 3],
            [(i % 3) + 1, 3],
          ],
        },
      ]),
      { path: `${host}/netplan/networkd/a.d/peers.conf`, content: `[Match]\nName=${version}\n` },
      { path: `${host}/networkd/10.network`, content: `[Match]\nName=${i}\n` },
    );
  }
  files.push({ path: "manifests/a.yaml", content: `a: ${version}\n` });
  return withLockFile(
    files.sort((a, b) => (a.path < b.path ? -1 : 1)),
    "0".repeat(64),
  );
}

const HELPER = { helperMinFiles: 2 };
const leftovers = (parent: string) => readdirSync(parent).filter((n) => n !== "out");

describe("a tree written with the helper thread", () => {
  it("is byte for byte the tree one thread writes", () => {
    const parent = tmp();
    emitTree(join(parent, "one"), tree(40), { helperMinFiles: Infinity });
    emitTree(join(parent, "two"), tree(40), HELPER);
    const one = readTree(join(parent, "one"));
    expect(Object.keys(one)).toHaveLength(40 * 3 + 2);
    expect(readTree(join(parent, "two"))).toEqual(one);
    expect(one["hosts/node-001/netplan/60.yaml"]).toBe("# v1 1\n- 10.0.0.1\n- 10.0.0.3\n");
  });

  it("replaces the previous tree whole", () => {
    const out = join(tmp(), "out");
    emitTree(out, tree(30, "v1"), HELPER);
    emitTree(out, tree(10, "v2"), HELPER);
    const now = readTree(out);
    expect(Object.keys(now)).toHaveLength(10 * 3 + 2);
    expect(now["manifests/a.yaml"]).toBe("a: v2\n");
    expect(parseJson<LockFile>(now[LOCK_FILE] ?? "").files["manifests/a.yaml"]).toMatch(/^sha256:/);
  });

  it("makes the last file (the lock) once its own share is written, while the helper writes, and writes it after", () => {
    const parent = tmp();
    const whole = tree(40);
    const files = whole.slice(0, -1);
    const split = helperSplit(files, HELPER.helperMinFiles);
    const seen: string[] = [];
    const last = () => {
      const staging = readdirSync(parent).find((n) => n.startsWith(".out.tmp-")) ?? "";
      for (const f of [files[0], files[split - 1]])
        if (f && existsSync(join(parent, staging, f.path))) seen.push(f.path);
      return must(whole.at(-1), "the lock file");
    };
    emitTree(join(parent, "out"), files, { ...HELPER, last });
    expect(seen).toEqual([files[0]?.path, files[split - 1]?.path]);
    emitTree(join(parent, "one"), whole, { helperMinFiles: Infinity });
    expect(readTree(join(parent, "out"))).toEqual(readTree(join(parent, "one")));
  });

  it("a last file that fails writes nothing and keeps the previous tree", () => {
    const parent = tmp();
    const out = join(parent, "out");
    emitTree(out, tree(5), HELPER);
    const before = readTree(out);
    const last = () => {
      throw new Error("no lock");
    };
    expect(() => emitTree(out, tree(40, "v2").slice(0, -1), { ...HELPER, last })).toThrow(
      /no lock/,
    );
    expect(readTree(out)).toEqual(before);
    expect(leftovers(parent).filter((n) => !n.endsWith(".lock"))).toEqual([]);
  });

  // A file where a folder must go: "hosts/node-xxx/networkd" as a file, and the host's files below it.
  const clash = (files: RenderedFile[], host: string) =>
    [...files, { path: `${host}/networkd`, content: "x\n" }].sort((a, b) =>
      a.path < b.path ? -1 : 1,
    );

  it.each([
    ["its own share", "hosts/node-002"],
    ["the helper's share", "hosts/node-038"],
  ])("a write that fails in %s writes nothing and keeps the previous tree", (_, host) => {
    const parent = tmp();
    const out = join(parent, "out");
    emitTree(out, tree(5), HELPER);
    const before = readTree(out);
    expect(() => emitTree(out, clash(tree(40, "v2"), host), HELPER)).toThrow(EmitError);
    expect(readTree(out)).toEqual(before);
    expect(leftovers(parent).filter((n) => !n.endsWith(".lock"))).toEqual([]);
    expect(existsSync(join(out, "hosts/node-038"))).toBe(false);
  });
});

describe("the helper thread", () => {
  it("makes the folders and writes the files it is handed", () => {
    const root = tmp();
    const texts = Buffer.from(new SharedArrayBuffer(16));
    const end = texts.write("x=ü\nthree\n");
    const helper = startHelper({
      dirs: [join(root, "a"), join(root, "a/b")],
      texts,
      files: [
        [join(root, "a/b/one"), [Buffer.from("one "), Buffer.from("é\n")]],
        [join(root, "a/b/three"), [5, end]],
        [join(root, "a/two"), []],
        [join(root, "a/x"), [0, 5]],
      ],
    });
    helper.finish(false);
    expect(readTree(root)).toEqual({
      "a/b/one": "one é\n",
      "a/b/three": "three\n",
      "a/two": "",
      "a/x": "x=ü\n",
    });
  });

  it("reports the error that stopped it", () => {
    const root = tmp();
    mkdirSync(join(root, "a"));
    const helper = startHelper({ dirs: [join(root, "a")], texts: new Uint8Array(0), files: [] });
    expect(() => helper.finish(false)).toThrow(/EEXIST/);
  });

  it("writes nothing more once told to stop", () => {
    const root = tmp();
    const files = Array.from(
      { length: 5000 },
      (_, i) => [join(root, `f${i}`), [Buffer.from("x")]] as const,
    );
    startHelper({ dirs: [], texts: new Uint8Array(0), files }).finish(true);
    const written = readdirSync(root).length;
    expect(written).toBeLessThan(5000);
    for (const name of readdirSync(root)) expect(readFileSync(join(root, name), "utf8")).toBe("x");
  });
});

describe("helperSplit", () => {
  const paths = (...p: string[]) => p.map((path) => ({ path, content: "" }));
  const files = paths(
    "hosts/a/x",
    "hosts/a/y/z",
    "hosts/b/x",
    "hosts/b/y",
    "hosts/c/x",
    "manifests/m.yaml",
    "netcompile.lock.json",
  );

  it("splits between second-level folders, near the middle", () => {
    expect(helperSplit(files, 2)).toBe(4);
    expect(helperSplit(files.slice(0, 2), 2)).toBe(2); // one folder: no split
  });

  it("gives no folder below the top level to both threads", () => {
    for (let n = 2; n <= files.length; n++) {
      const some = files.slice(0, n);
      const split = helperSplit(some, 2);
      const second = (p: string) => p.split("/").slice(0, 2).join("/");
      const ours = new Set(
        some
          .slice(0, split)
          .filter((f) => f.path.split("/").length > 2)
          .map((f) => second(f.path)),
      );
      for (const f of some.slice(split))
        if (f.path.split("/").length > 2) expect(ours.has(second(f.path))).toBe(false);
    }
  });

  it("keeps small trees, trees out of order and unusual paths to one thread", () => {
    expect(helperSplit(files, 100)).toBe(files.length);
    const interleaved = paths("hosts/a/x", "hosts/b/x", "hosts/c/x", "hosts/a/y", "hosts/b/y");
    expect(helperSplit(interleaved, 2)).toBe(interleaved.length);
    expect(helperSplit([...files, ...paths("a//b")], 2)).toBe(files.length + 1);
  });
});
