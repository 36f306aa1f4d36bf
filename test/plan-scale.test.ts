/**
 * A 1,000-node repository (two node groups) with one pool changed: the plan stays readable —
 * host-file changes collapse per node group ("same change on 600 nodes"), the node lists stay
 * in the JSON, and the markdown fits a pull-request comment.
 *
 * Every node gets two extra test host files that depend on the pool's encapsulation (so a pool
 * change touches all 1,000 nodes whatever the real host renderers do): `tunnel.conf` changes
 * the same way on every node; `peer.conf` changes a node-specific line. Host files are a
 * function of the host model (render/index.ts), so the encapsulation goes into each host model
 * and an extra host writer prints the files from it.
 */
import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Model } from "../src/model/types.js";
import type { HostModel } from "../src/render/host-model.js";
import { git } from "./plan-support.js";
import { cli, parseJson, removeDir, testdir, type PlanJson } from "./support.js";

type TestHost = HostModel & { readonly test?: { encap: string; address: string } };

vi.mock("../src/render/host-model.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/render/host-model.js")>();
  const encap = (m: Model) =>
    m.pools.map((p) => `Pool=${p.name} ipip=${p.ipipMode} vxlan=${p.vxlanMode}`).join("\n");
  const cache = new WeakMap<Model, TestHost[]>();
  return {
    ...real,
    buildHostModels(model: Model): TestHost[] {
      let hosts = cache.get(model);
      if (!hosts) {
        const address = new Map(model.topology.nodes.map((n) => [n.name, n.addressText]));
        const e = encap(model);
        hosts = real
          .buildHostModels(model)
          .map((h) => ({ ...h, test: { encap: e, address: address.get(h.node)! } }));
        cache.set(model, hosts);
      }
      return hosts;
    },
  };
});

vi.mock("../src/render/networkmanager.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/render/networkmanager.js")>();
  return {
    ...real,
    networkManagerHostFiles(host: TestHost) {
      const { encap, address } = host.test!;
      return [
        ...real.networkManagerHostFiles(host),
        {
          path: `hosts/${host.node}/test/tunnel.conf`,
          content: `# node ${host.node}
[Tunnel]
Address=${address}
${encap}
`,
        },
        {
          path: `hosts/${host.node}/test/peer.conf`,
          content: `# node ${host.node}
[Peer]
Local=${address} ${encap.replace("Pool=", "")}
`,
        },
      ];
    },
  };
});

const repoFiles = (ipipMode: string) => ({
  "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: big
spec:
  provider: bare-metal
`,
  "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: big
spec:
  subnets:
    - name: rack-1
      cidr: 10.1.0.0/16
      gateway: 10.1.0.1
    - name: rack-2
      cidr: 10.2.0.0/16
      gateway: 10.2.0.1
  nodeGroups:
    - namePrefix: worker-
      count: 600
      subnet: rack-1
      firstAddress: 10.1.0.10
    - namePrefix: edge-
      count: 400
      subnet: rack-2
      firstAddress: 10.2.0.10
`,
  "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
spec:
  cidr: 10.128.0.0/9
  ipipMode: ${ipipMode}
  natOutgoing: true
`,
});

let work = "";
beforeAll(() => {
  work = testdir({});
  const repo = join(work, "repo");
  cpSync(testdir(repoFiles("CrossSubnet")), repo, { recursive: true });
  git(repo, "init", "-q", "-b", "main");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "crosssubnet");
  writeFileSync(join(repo, "pools.yaml"), repoFiles("Always")["pools.yaml"]);
});
afterAll(() => removeDir(work));

const plan = (format: string, ...extra: string[]) =>
  cli(["plan", "--repo", "repo", "--base", "main", "--format", format, ...extra], work);

describe("plan of a 1,000-node repository with one pool changed", () => {
  it("collapses host changes per node group, with every node in the JSON", async () => {
    const r = await plan("json");
    expect(r.stderr).toBe("");
    const p = parseJson<PlanJson>(r.stdout);
    const hosts = p.changes.filter((c: { type: string }) => c.type === "host-file");
    // tunnel.conf: the same change everywhere -> one entry per group; peer.conf: differs per node.
    expect(
      hosts.map((h: { address: string; count: number; identical: boolean; variants: number }) => [
        h.address,
        h.count,
        h.identical,
        h.variants,
      ]),
    ).toEqual([
      ["hosts/edge-*/test/peer.conf", 400, false, 400],
      ["hosts/edge-*/test/tunnel.conf", 400, true, 1],
      ["hosts/worker-*/test/peer.conf", 600, false, 600],
      ["hosts/worker-*/test/tunnel.conf", 600, true, 1],
    ]);
    expect(hosts[3]!.nodes).toHaveLength(600);
    expect(hosts[3]!.nodes.slice(0, 3)).toEqual(["worker-1", "worker-2", "worker-3"]);
    expect(p.summary).toMatchObject({ add: 0, change: 2001, destroy: 0 });
    const switchFinding = p.disruptions[0]!;
    expect(switchFinding.change).toEqual({
      resource: "IPPool/pool-1",
      field: "encapsulation",
      from: "IPIPCrossSubnet",
      to: "IPIP",
    });
    expect(switchFinding.affected.nodes).toBe(1000);
    expect(switchFinding.affected.nodeGroups).toEqual([
      { group: "edge-", nodes: 400 },
      { group: "worker-", nodes: 600 },
    ]);
  });

  it("prints a short text plan: node ranges, not 1,000 names", async () => {
    const r = await plan("text");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("Plan: 0 to add, 2001 to change, 0 to destroy (1 disruptive).");
    expect(lines.length).toBeLessThan(120);
    expect(r.stdout).toContain("same change on 600 nodes of group worker- (diff of worker-1)");
    expect(r.stdout).toContain("nodes: worker-1…worker-600");
    expect(r.stdout).toContain(
      "on 400 nodes of group edge- (400 different diffs; shown for edge-1)",
    );
    expect(r.stdout).not.toContain("worker-317");
    expect(r.stdout).toMatch(
      /in-progress connections between its workloads on .* that share a subnet/,
    );
  });

  it("fits a pull-request comment in markdown, one collapsible section per node group", async () => {
    const r = await plan("markdown");
    expect(Buffer.byteLength(r.stdout)).toBeLessThan(20_000);
    expect(r.stdout).not.toContain("Cut to fit");
    expect(r.stdout.match(/<details[^>]*><summary><b>Host files: /g)).toHaveLength(2);
    expect(r.stdout).toContain(
      "<summary><b>Host files: worker-&#42;</b> — 600 nodes, 1200 to change</summary>",
    );
  });

  it("cuts the least important parts first under a small limit, and says what it cut", async () => {
    const r = await plan("markdown", "--markdown-limit", "3000");
    expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(3000);
    expect(r.stdout).toMatch(
      /^### netcompile plan\n\n\*\*Plan: 0 to add, 2001 to change, 0 to destroy \(1 disruptive\)\.\*\*/,
    );
    expect(r.stdout).toMatch(
      /✂️ Cut to fit 3,000 bytes: host file diffs shortened to 12 lines; diffs of non-disruptive files/,
    );
    // The disruptive change is still there.
    expect(r.stdout).toContain("IPPool/pool-1: encapsulation IPIPCrossSubnet → IPIP");
  });
});
