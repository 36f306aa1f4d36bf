/** One rule names a file in every format (paths.ts): the repository as --repo names it, then the file. */
import { describe, expect, it } from "vitest";
import { shownPath } from "./paths.js";

describe("shownPath", () => {
  it("puts the repository, as the command line named it, before a file of it", () => {
    expect(shownPath("clusters/prod", "pools.yaml")).toBe("clusters/prod/pools.yaml");
    expect(shownPath("clusters/prod/", "a/pools.yaml")).toBe("clusters/prod/a/pools.yaml");
    expect(shownPath("/srv/net", "pools.yaml")).toBe("/srv/net/pools.yaml");
    expect(shownPath(".", "pools.yaml")).toBe("pools.yaml");
    expect(shownPath(undefined, "pools.yaml")).toBe("pools.yaml");
  });

  it("normalises a file outside the repository (a live snapshot's) into a path from the working directory", () => {
    expect(shownPath("input", "../live/nodes.json")).toBe("live/nodes.json");
    expect(shownPath(".", "../snapshot/nodes.json")).toBe("../snapshot/nodes.json");
    expect(shownPath(undefined, "./a/../nodes.json")).toBe("nodes.json");
    expect(shownPath("/srv/net", "../live/nodes.json")).toBe("/srv/live/nodes.json");
  });

  it("keeps absolute paths", () => {
    expect(shownPath("input", "/tmp/snapshot.json")).toBe("/tmp/snapshot.json");
  });
});
