/**
 * A git base renders only the hosts whose host model the current repository does not share
 * (withHostFiles): its tree must be exactly the tree a full render of the base gives, for every
 * plan case (pools, MTUs, CIDRs, nodes added; calico and static host networking).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FsRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { withHostFiles } from "./base.js";

const CASES = join(import.meta.dirname, "../../fixtures/cases");
const planCases = readdirSync(CASES).filter((c) =>
  readdirSync(join(CASES, c)).includes("previous"),
);
const STATIC = join(CASES, "static-vxlan-cross-subnet/input");

const tree = (files: readonly { path: string; content: string }[] | undefined) =>
  files?.map((f) => [f.path, f.content]);

describe("withHostFiles", () => {
  it("finds plan cases to check", () => expect(planCases.length).toBeGreaterThan(5));

  it.each(planCases)("%s: the base's tree is the full render of the base", (name) => {
    const base = new FsRepoReader(join(CASES, name, "previous"), "previous");
    const current = compile(new FsRepoReader(join(CASES, name, "input"), "input"), {
      render: "all",
    });
    const full = compile(base, { render: "all" });
    const reused = withHostFiles(
      compile(base, { render: "manifests", hostFilesLater: true }),
      current,
    );
    expect(tree(reused.files)).toEqual(tree(full.files));
    expect(reused.diagnostics).toEqual(full.diagnostics);
  });

  it("takes a host's files from the current repository only when its host model is the same", () => {
    const current = compile(new FsRepoReader(STATIC, "static"), { render: "all" });
    const again = withHostFiles(
      // Static mode renders no manifests: only `render` refuses that (NC5037), not a plan's base.
      compile(new FsRepoReader(STATIC, "static"), { render: "manifests", hostFilesLater: true }),
      current,
    );
    const hostFiles = current.files!.filter((f) => f.path.startsWith("hosts/"));
    expect(hostFiles.length).toBeGreaterThan(0);
    // The very objects: nothing was rendered again.
    for (const f of hostFiles) expect(again.files).toContain(f);
    const other = compile(new FsRepoReader(join(CASES, "plan-mtu-change/previous"), "p"), {
      render: "manifests",
      hostFilesLater: true,
    });
    const mtu = compile(new FsRepoReader(join(CASES, "plan-mtu-change/input"), "i"), {
      render: "all",
    });
    const rendered = withHostFiles(other, mtu).files!.filter((f) => f.path.startsWith("hosts/"));
    expect(rendered.length).toBeGreaterThan(0);
    for (const f of rendered) expect(mtu.files).not.toContain(f);
  });
});
