/**
 * SARIF artifact URIs for file names a repository chooses (issue 18, item 21). A SARIF
 * `artifactLocation.uri` is a URI reference (RFC 3986): a file named `a#b.yaml` or `a?b.yaml`
 * written raw is read by GitHub code scanning as `a` with a fragment or a query, and one named
 * `c:x.yaml` as a URI with the scheme `c`. Every character outside RFC 3986's unreserved set
 * (and `/` between segments) is percent-encoded.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cli } from "../support.js";
import { repositories } from "./support.js";

const repos = repositories();
afterEach(() => repos.cleanup());

const NAMES = [
  "a#b.yaml",
  "q?x=1.yaml",
  "c:x.yaml",
  "100%.yaml",
  "sp ace.yaml",
  "dir #1/in?dir.yaml",
  "br[0]@&=+$,;.yaml",
  "ünï 🎉.yaml",
];

/** RFC 3986 relative-ref with a path only: pchar and "/" — and no ":" in the first segment. */
const RELATIVE_PATH =
  /^(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-F]{2})+(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})+)*$/;

describe("SARIF artifact URIs", () => {
  it("percent-encode reserved characters in file names, and read back as the path", async () => {
    // At the root too: "c:root.yaml" as a whole URI would be the scheme c.
    const paths = [...NAMES.map((n) => `pools/${n}`), "c:root.yaml"];
    const files = Object.fromEntries(paths.map((p) => [p, "a: [unclosed\n"]));
    const dir = repos.make(files);
    const r = await cli(["validate", "--repo", dir, "--format", "sarif"], dir);
    const log = JSON.parse(r.stdout) as {
      runs: {
        results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    const uris = log.runs[0]!.results.map(
      (x) => x.locations[0]!.physicalLocation.artifactLocation.uri,
    );
    expect(uris).toHaveLength(paths.length);
    for (const uri of uris) {
      expect(uri, uri).toMatch(RELATIVE_PATH);
      const url = new URL(uri, "file:///workspace/");
      expect([url.search, url.hash]).toEqual(["", ""]);
    }
    const read = uris.map((u) => decodeURIComponent(new URL(u, "file:///workspace/").pathname));
    expect(read.sort()).toEqual(paths.map((p) => `/workspace/${p}`).sort());
  });
});
