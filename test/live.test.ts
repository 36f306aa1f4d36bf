/**
 * The live round trip through the CLI, as a user runs it: the worked example's snapshot
 * (fixtures/examples/live/snapshot, written by scripts/write-live-example.ts) is imported into
 * exactly the committed repository (fixtures/examples/live/repo), the same bytes every time,
 * which validates, verifies and plans against the snapshot without a single finding. The same
 * for the benchmark's synthetic cluster (bench/snapshot.ts), smaller.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { snapshotFiles, syntheticCluster } from "../bench/snapshot.js";
import { exampleSnapshotFiles } from "../scripts/write-live-example.js";
import { cli, parseJson, readTree, removeDir, testdir, type DiagnosticsJson } from "./support.js";

const example = join(import.meta.dirname, "..", "fixtures", "examples", "live");
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));
const temp = () => {
  const dir = testdir({});
  dirs.push(dir);
  return dir;
};

/** The finding lines of a text report (not its excerpts, notes or summary). */
const findingLines = (text: string) =>
  text.split("\n").filter((line) => / (error|warning|info) [a-z0-9-]+: /.test(line));
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const FIREWALL_INFO =
  "repo/ippools.yaml:9:14: info firewall-requirements: IPPool \"default-ipv4-ippool\" uses VXLAN: the security groups between nodes must admit UDP 4789 (the Cluster's vxlanPort) between the nodes' addresses, both ways";

describe("the worked example (fixtures/examples/live)", () => {
  it("its snapshot is what scripts/write-live-example.ts writes", () => {
    expect(readTree(join(example, "snapshot"))).toEqual(Object.fromEntries(exampleSnapshotFiles()));
  });

  it("import writes exactly the committed repository, and the same bytes again", async () => {
    const work = temp();
    const first = await cli(["import", "--live", join(example, "snapshot"), "--out", "repo"], work);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      "39 nodes (4 node groups, 3 listed one by one), 6 subnets, 3 IPPools",
    );
    expect(first.stderr).toMatch(
      new RegExp(
        `^snapshot ${escapeRegExp(join(example, "snapshot"))} \\(7 files\\): read 39 Node, 39 Calico Node, 3 IPPool, 78 BlockAffinity, 1 ConfigMap calico-config\n`,
      ),
    );
    // On OpenStack, what its security groups must admit for VXLAN: the one finding, an info.
    expect(findingLines(first.stderr)).toEqual([FIREWALL_INFO]);
    expect(first.stderr).toContain("0 errors, 0 warnings, 1 info\n");
    const committed = readTree(join(example, "repo"));
    expect(readTree(join(work, "repo"))).toEqual(committed);
    const again = await cli(
      ["import", "--live", join(example, "snapshot"), "--out", "repo", "--force"],
      work,
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("netcompile.yaml (replaced)");
    expect(readTree(join(work, "repo"))).toEqual(committed);
  });

  it("import never writes into a folder that is not empty without --force", async () => {
    const work = temp();
    writeFileSync(join(work, "keep.txt"), "mine\n");
    const r = await cli(["import", "--live", join(example, "snapshot"), "--out", "."], work);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("NC7013");
    expect(readTree(work)).toEqual({ "keep.txt": "mine\n" });
  });

  it("the repository validates, verifies and plans against its snapshot with only the firewall info", async () => {
    // The one finding: what OpenStack's security groups must admit for VXLAN (firewall-requirements).
    const validate = await cli(["validate", "--repo", "repo"], example);
    expect(validate.code).toBe(0);
    expect(findingLines(validate.stdout)).toEqual([FIREWALL_INFO]);
    expect(validate.stdout).toContain("0 errors, 0 warnings, 1 info\n");
    for (const format of ["text", "json", "github"]) {
      const verify = await cli(
        ["verify", "--repo", "repo", "--live", "snapshot", "--format", format],
        example,
      );
      expect(verify.code, verify.stdout).toBe(0);
      if (format === "json")
        expect(parseJson<DiagnosticsJson>(verify.stdout).diagnostics.map((d) => d.code)).toEqual([
          "firewall-requirements",
        ]);
      else expect(verify.stdout).toContain("0 errors, 0 warnings, 1 info\n");
      if (format === "text") expect(findingLines(verify.stdout)).toEqual([FIREWALL_INFO]);
    }
    const plan = await cli(
      ["plan", "--repo", "repo", "--live", "snapshot", "--detailed-exitcode"],
      example,
    );
    expect(plan.code, plan.stdout).toBe(0);
    expect(plan.stdout).toContain("No changes");
  });

  it("verify reports a disagreement, and fails the gate on it with --fail-on warning", async () => {
    const work = temp();
    const files = readTree(join(example, "repo"));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(work, "repo", path)), { recursive: true });
      // A /25 where calico-node detected a /24: wider, but no node lives in the other half.
      writeFileSync(
        join(work, "repo", path),
        content.replace('cidr: "10.20.1.0/24"', 'cidr: "10.20.1.0/25"'),
      );
    }
    const args = ["verify", "--repo", "repo", "--live", join(example, "snapshot")];
    const r = await cli(args, work);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warning live-prefix-mismatch");
    expect(r.stdout).toContain("0 errors, 3 warnings, 1 info");
    expect((await cli([...args, "--fail-on", "warning"], work)).code).toBe(1);
  });
});

describe("a hostile snapshot", () => {
  it("prints nothing of it raw: kinds, apiVersions and names reach the terminal escaped", async () => {
    const work = temp();
    for (const [path, content] of Object.entries(readTree(join(example, "snapshot")))) {
      mkdirSync(dirname(join(work, "snapshot", path)), { recursive: true });
      writeFileSync(join(work, "snapshot", path), content);
    }
    const esc = "\u001b";
    writeFileSync(
      join(work, "snapshot", "evil.json"),
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          {
            apiVersion: `v1${esc}]52;c;aGk=${esc}\\`,
            kind: `Pod${esc}[2J`,
            metadata: { name: "p" },
          },
          {
            apiVersion: "v1",
            kind: "Node",
            metadata: {
              name: `evil${esc}[31m\u202e`,
              annotations: { "projectcalico.org/IPv4Address": "10.20.1.250/24" },
            },
          },
        ],
      }),
    );
    const verify = await cli(
      ["verify", "--repo", join(example, "repo"), "--live", "snapshot"],
      work,
    );
    const imported = await cli(["import", "--live", "snapshot", "--out", "repo"], work);
    for (const r of [verify, imported]) {
      for (const raw of [esc, "\u202e"]) expect(r.stdout + r.stderr).not.toContain(raw);
    }
    expect(verify.stderr).toContain("ignored 1 v1\\x1B]52;c;aGk=\\x1B\\ Pod\\x1B[2J");
    expect(verify.stdout).toContain("runs 1 node (evil\\x1B[31m\\u{202E})");
  });
});

describe("the benchmark's synthetic cluster", () => {
  it("imports, validates and verifies with only the firewall info (300 nodes over 2 zones, dual-stack)", async () => {
    const work = temp();
    for (const [path, content] of snapshotFiles(syntheticCluster(300), {
      nodes: "json-list",
      calicoNodes: "none",
      pools: "calicoctl-yaml",
      blocks: "json-list",
      calicoConfig: true,
    })) {
      mkdirSync(dirname(join(work, "snap", path)), { recursive: true });
      writeFileSync(join(work, "snap", path), content);
    }
    const imported = await cli(["import", "--live", "snap", "--out", "repo"], work);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain(
      "300 nodes (2 node groups, 0 listed one by one), 4 subnets, 2 IPPools",
    );
    const topology = readFileSync(join(work, "repo", "topology.yaml"), "utf8");
    expect(topology).toContain("namePrefix: zone-1-");
    const verify = await cli(["verify", "--repo", "repo", "--live", "snap"], work);
    // GCP: VXLAN Always (GCE drops unencapsulated pod traffic), and what its firewall must admit.
    expect(verify.code).toBe(0);
    expect(findingLines(verify.stdout)).toEqual([
      "repo/ippools.yaml:8:14: info firewall-requirements: IPPool \"default-ipv4-ippool\" uses VXLAN: the VPC firewall rules between nodes must admit UDP 4789 (the Cluster's vxlanPort) between the nodes' addresses, both ways",
    ]);
    expect(verify.stdout).toContain("0 errors, 0 warnings, 1 info\n");
  });
});
