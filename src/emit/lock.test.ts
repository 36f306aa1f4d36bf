import { describe, expect, it } from "vitest";
import { fileFromPieces, SharedText } from "../render/pieces.js";
import type { RenderedFile } from "../render/types.js";
import { parseJson } from "../../test/support.js";
import {
  LOCK_FILE,
  lockFileText,
  makeLockFile,
  sha256,
  withLockFile,
  type LockFile,
} from "./lock.js";

const DIGEST = "ab".repeat(32);
const lockText = (files: readonly RenderedFile[]) =>
  withLockFile(files, DIGEST).find((f) => f.path === LOCK_FILE)!.content;
const viaObject = (files: readonly RenderedFile[]) => lockFileText(makeLockFile(files, DIGEST));

describe("the lock file", () => {
  const shared = "[Match]\nName=cali*\n";
  const files: RenderedFile[] = [
    { path: "hosts/a/networkd/05.network", content: shared },
    { path: 'hosts/a/networkd/10 é "quoted".network', content: "x=1\n" },
    { path: "hosts/b/networkd/05.network", content: shared },
    fileFromPieces("hosts/b/netplan/60.yaml", [
      "routes:\n",
      {
        source: new SharedText(["- a\n", "- b\n", "- c\n"]),
        ranges: [
          [0, 1],
          [2, 3],
        ],
      },
    ]),
    { path: "manifests/a.yaml", content: "a: 1\n" },
  ];

  it("is printed line by line as JSON.stringify prints the lock object", () => {
    expect(lockText(files)).toBe(viaObject(files));
    expect(lockText([])).toBe(viaObject([]));
    expect(parseJson<LockFile>(lockText(files)).files["hosts/a/networkd/05.network"]).toBe(
      `sha256:${sha256(shared)}`,
    );
  });

  it("hashes a file of pieces as its whole content", () => {
    const lock = parseJson<LockFile>(lockText(files));
    expect(lock.files["hosts/b/netplan/60.yaml"]).toBe(`sha256:${sha256("routes:\n- a\n- c\n")}`);
  });

  it("gives the same bytes for files out of order, and for paths JSON.stringify reorders", () => {
    const reversed = [...files].reverse();
    expect(lockText(reversed)).toBe(viaObject(files));
    const numeric = [
      { path: "10", content: "a" },
      { path: "9", content: "b" },
      { path: "a", content: "c" },
    ];
    expect(lockText(numeric)).toBe(viaObject(numeric));
    expect(Object.keys(parseJson<LockFile>(lockText(numeric)).files)).toEqual(["9", "10", "a"]);
  });
});
