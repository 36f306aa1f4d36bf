/**
 * Reading snapshots: every form kubectl and calicoctl print (JSON List, YAML List, calicoctl's
 * NodeList, single objects, a folder of them), the values Calico reads from each kind, where
 * each value is (file, line, column, found lazily), and malformed snapshots as diagnostics
 * naming the file, never an exception.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  calicoctlList,
  calicoNode,
  exampleCluster,
  kubeNode,
  kubectlJson,
  kubectlList,
  kubectlYaml,
} from "../../bench/snapshot.js";
import { removeDir, testdir } from "../../test/support.js";
import { kubeNode as testNode, livePool } from "../policy/live-rule-tester.js";
import { loadSnapshotFrom } from "./load.js";
import { LIVE_LIMITS, type LiveLimits } from "./limits.js";
import { interpretSnapshot, readSnapshot, snapshotSummary, type LiveSnapshot } from "./snapshot.js";
import { MemoryRepoReader } from "../load/reader.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function read(
  files: Record<string, string | Buffer>,
  limits: LiveLimits = LIVE_LIMITS,
): LiveSnapshot {
  return interpretSnapshot(
    loadSnapshotFrom(new MemoryRepoReader(files, "snap"), (rel) => `snap/${rel}`, "snap", limits),
  );
}
const codes = (s: LiveSnapshot) =>
  s.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`);

const spec = exampleCluster();
const node = (i: number) => spec.nodes[i]!;

describe("the forms of a snapshot", () => {
  it("reads kubectl's JSON List: every node, its addresses per family, tunnels and labels", () => {
    const s = read({
      "nodes.json": kubectlJson(kubectlList(spec.nodes.map((n, i) => kubeNode(spec, n, i)))),
    });
    expect(s.diagnostics).toEqual([]);
    expect(s.nodes.size).toBe(39);
    const n = s.nodes.get("worker-b-3")!;
    expect(n.address[4]?.text).toBe("10.20.2.13/24");
    expect(n.address[4]?.prefix.canonical).toBe("10.20.2.0/24");
    expect(n.address[4]?.from).toBe("annotation");
    expect(n.address[6]?.prefix.canonical).toBe("fd10:20:2::/64");
    expect(n.tunnels.vxlan?.text).toBe(node(17).vxlanTunnel);
    expect(n.tunnels.vxlanV6).toBeDefined();
    expect(n.tunnels.ipip).toBeUndefined();
    expect(n.zone).toBe("az-2");
    expect(n.providerID).toMatch(/^openstack:\/\/\//);
    expect(n.internalIPs.map((a) => a.text)).toEqual(["10.20.2.13", "fd10:20:2::d"]);
    expect(s.found.get("Node")).toBe(39);
  });

  it("finds where a value is only when asked, on the line kubectl printed it", () => {
    const text = kubectlJson(kubectlList(spec.nodes.map((n, i) => kubeNode(spec, n, i))));
    const s = read({ "nodes.json": text });
    const span = s.nodes.get("worker-c-10")!.address[4]!.origin.span;
    const lines = text.split("\n");
    expect(span.file).toBe("snap/nodes.json");
    expect(lines[span.line - 1]!.slice(span.column - 1)).toBe('"10.20.3.20/24",');
    expect(lines.findIndex((l) => l.includes('"10.20.3.20/24"')) + 1).toBe(span.line);
  });

  it("reads calicoctl's NodeList (YAML): spec.bgp and the tunnel fields, merged with the Kubernetes Node", () => {
    const text = kubectlYaml(
      calicoctlList(
        "Node",
        spec.nodes.map((n, i) => calicoNode(spec, n, i)),
      ),
    );
    const s = read({ "calico-nodes.yaml": text });
    expect(s.diagnostics).toEqual([]);
    const n = s.nodes.get("gpu-2")!;
    expect(n.address[4]?.from).toBe("calico-node");
    expect(n.address[4]?.field).toBe("spec.bgp.ipv4Address");
    expect(n.labels["nvidia.com/gpu.present"]).toBe("true");
    const span = n.address[4]!.origin.span;
    expect(text.split("\n")[span.line - 1]).toBe("      ipv4Address: 10.20.1.102/24");
    expect(span.column).toBe(20);
  });

  it("reads a folder of single objects and multi-document YAML, and says what it read", () => {
    const s = read({
      "a/node-1.yaml": testNode("node-1", { ipv4: "10.0.1.10/24" }),
      "b/more.yaml": `${testNode("node-2", { ipv4: "10.0.2.10/24" })}---\n${livePool("p", "cidr: 10.9.0.0/16")}---\n`,
      "README.txt": "notes",
    });
    expect([...s.nodes.keys()]).toEqual(["node-1", "node-2"]);
    expect(s.pools.map((p) => p.name)).toEqual(["p"]);
    expect(s.files).toEqual(["a/node-1.yaml", "b/more.yaml"]);
    expect(codes(s)).toEqual(["NC7005 snap:1:1"]);
    expect(s.diagnostics[0]!.message).toContain("README.txt");
    expect(snapshotSummary(s)).toBe("snap (2 files): read 2 Node, 1 IPPool");
  });

  it("reads a single file and a folder from disk, and refuses a symbolic link", () => {
    const dir = testdir({ "snap/nodes.yaml": testNode("node-1", { ipv4: "10.0.1.10/24" }) });
    dirs.push(dir);
    symlinkSync(join(dir, "snap"), join(dir, "link"));
    const at = (path: string) =>
      readSnapshot({ path: join(dir, path), shown: path, fileName: (f) => f, display: path });
    expect(at("snap").nodes.size).toBe(1);
    expect(at("snap/nodes.yaml").nodes.size).toBe(1);
    expect(at("snap/nodes.yaml").files).toEqual(["nodes.yaml"]);
    expect(codes(at("link"))).toEqual(["NC7001 link:1:1"]);
    expect(at("link").diagnostics[0]!.message).toContain("symbolic link");
    expect(at("missing").readable).toBe(false);
  });
});

describe("what is read of each kind", () => {
  it("falls back to the InternalIP as a host address when no Calico address is there (NC7007)", () => {
    const s = read({ "n.yaml": testNode("node-1", { internalIP: "10.0.1.10" }) });
    const a = s.nodes.get("node-1")!.address[4]!;
    expect([a.from, a.prefix.canonical]).toEqual(["internal-ip", "10.0.1.10/32"]);
    expect(codes(s)).toEqual(["NC7007 snap/n.yaml:5:5"]);
    expect(s.diagnostics[0]!.message).toContain("as a /32, alone in its subnet");
  });

  it("reads a plain address as a /32, and ignores values Calico's validators reject (NC7008)", () => {
    const s = read({
      "n.yaml": testNode("node-1", { ipv4: "10.0.1.10", vxlan: "10.244.0.1/24", ipip: "bad" }),
    });
    const n = s.nodes.get("node-1")!;
    expect(n.address[4]?.prefix.canonical).toBe("10.0.1.10/32");
    expect(n.tunnels).toEqual({});
    expect(codes(s)).toEqual(["NC7008 snap/n.yaml:6:43", "NC7008 snap/n.yaml:7:44"]);
  });

  it("prefers the Calico Node where the two disagree, and says so (NC7011)", () => {
    const s = read({
      "k.yaml": testNode("node-1", { ipv4: "10.0.1.10/24" }),
      "c.yaml":
        "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: node-1\nspec:\n  bgp:\n    ipv4Address: 10.0.1.10/16\n",
    });
    expect(s.nodes.get("node-1")!.address[4]!.text).toBe("10.0.1.10/16");
    expect(codes(s)).toEqual(["NC7011 snap/c.yaml:7:18"]);
  });

  it("names a Calico Node by its orchestrator reference (etcd mode)", () => {
    const s = read({
      "c.yaml":
        "apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: node-1.example.com\nspec:\n  bgp:\n    ipv4Address: 10.0.1.10/24\n  orchRefs:\n  - nodeName: node-1\n    orchestrator: k8s\n",
    });
    expect([...s.nodes.keys()]).toEqual(["node-1"]);
  });

  it("reads pools with Calico's defaults, block affinities that hold addresses, and calico-config", () => {
    const s = read({
      "p.yaml": livePool("p", "cidr: fd00::/56", "vxlanMode: CrossSubnet"),
      "b.yaml": [
        "apiVersion: crd.projectcalico.org/v1",
        "kind: List",
        "items:",
        "- {apiVersion: crd.projectcalico.org/v1, kind: BlockAffinity, metadata: {name: a}, spec: {cidr: 10.0.0.0/26, node: n1, state: confirmed, deleted: 'false'}}",
        "- {apiVersion: crd.projectcalico.org/v1, kind: BlockAffinity, metadata: {name: b}, spec: {cidr: 10.0.0.64/26, node: n1, state: confirmed, deleted: 'true'}}",
        "- {apiVersion: crd.projectcalico.org/v1, kind: BlockAffinity, metadata: {name: c}, spec: {cidr: 10.0.0.128/26, node: n1, state: pending, deleted: 'false'}}",
        "- {apiVersion: projectcalico.org/v3, kind: BlockAffinity, metadata: {name: d}, spec: {cidr: 10.0.0.192/26, node: n2, state: confirmed, type: virtual}}",
        "",
      ].join("\n"),
      "c.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: calico-config, namespace: kube-system}\ndata: {veth_mtu: '1440', calico_backend: bird}\n",
      "n.yaml": testNode("n1", { ipv4: "10.1.0.1/24" }),
    });
    const p = s.pools[0]!;
    expect([p.blockSize, p.ipipMode, p.vxlanMode, p.nodeSelectorText, p.allowedUses]).toEqual([
      122,
      "Never",
      "CrossSubnet",
      "all()",
      ["Workload", "Tunnel"],
    ]);
    expect(s.blocks.map((b) => b.name)).toEqual(["a"]);
    expect(s.calicoConfig?.vethMTU?.value).toBe(1440);
    expect(s.calicoConfig?.backend?.value).toBe("bird");
    expect(s.diagnostics).toEqual([]);
  });
});

describe("malformed snapshots: a diagnostic naming the file, never an exception", () => {
  it("not JSON or YAML, with the line and column of the error", () => {
    const s = read({
      "a.yaml": "apiVersion: v1\nkind: Node\n  bad: [\n",
      "b.json": '{"items": [\n  {"a": 1,}\n]}',
    });
    expect(codes(s)).toEqual([
      "NC7004 snap/a.yaml:3:6",
      "NC7004 snap/b.json:2:11",
      "NC7006 snap:1:1",
    ]);
  });

  it("a JSON snapshot cut off while it was written: the end of the file", () => {
    const s = read({ "nodes.json": '{\n    "items": [\n        {"kind": "Node"' });
    expect(codes(s)[0]).toBe("NC7004 snap/nodes.json:3:24");
    expect(s.diagnostics[0]!.message).toContain("ends before its JSON does");
  });

  it("wrong kinds: counted per file and ignored (NC7005); no Node at all is an error (NC7006)", () => {
    const s = read({
      "all.yaml": kubectlYaml(
        kubectlList([
          { apiVersion: "v1", kind: "Pod", metadata: { name: "a" } },
          { apiVersion: "v1", kind: "Pod", metadata: { name: "b" } },
          { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "kube-proxy" } },
        ]),
      ),
    });
    expect(codes(s)).toEqual([
      "NC7005 snap/all.yaml:1:1",
      "NC7005 snap/all.yaml:1:1",
      "NC7006 snap:1:1",
    ]);
    expect(s.diagnostics.map((d) => d.message).join("\n")).toContain(
      "2 v1 Pod objects in snap/all.yaml ignored",
    );
    expect(s.diagnostics[2]!.message).toContain(
      "it holds 2 v1 Pod (ignored), 1 v1 ConfigMap kube-proxy (ignored)",
    );
  });

  it("documents that are not objects, objects without a name, the same object twice", () => {
    const s = read({
      "a.yaml": "just text\n---\n- a list\n---\napiVersion: v1\n",
      "b.yaml": "apiVersion: v1\nkind: Node\nmetadata: {}\n",
      "c.yaml": testNode("node-1", { ipv4: "10.0.1.10/24" }),
      "d.yaml": testNode("node-1", { ipv4: "10.0.1.10/24" }),
    });
    expect(codes(s)).toEqual([
      "NC7012 snap/a.yaml:1:1",
      "NC7012 snap/a.yaml:3:1",
      "NC7012 snap/a.yaml:5:1",
      "NC7009 snap/b.yaml:1:1",
      "NC7010 snap/d.yaml:8:9",
    ]);
  });

  it("YAML aliases, deep nesting and text that is not UTF-8", () => {
    const s = read({
      "a.yaml": "apiVersion: v1\nkind: Node\nmetadata: &m {name: x}\nspec: *m\n",
      "b.yaml": `a: ${"[".repeat(200)}${"]".repeat(200)}\n`,
      "c.yaml": Buffer.from([0xff, 0xfe, 0x41]),
    });
    expect(s.diagnostics.map((d) => `${d.code} ${d.file}: ${d.data?.detail}`)).toEqual([
      "NC7004 snap/a.yaml: it uses YAML aliases (*name), which kubectl and calicoctl never print",
      `NC7004 snap/b.yaml: it nests deeper than ${LIVE_LIMITS.maxDepth} levels`,
      "NC7004 snap/c.yaml: it is not UTF-8 text",
      "NC7006 snap: undefined",
    ]);
  });

  it("a file over the size limit is not read (NC7002); past the total or object limit nothing more is (NC7003)", () => {
    const limits = { ...LIVE_LIMITS, maxFileBytes: 100, maxObjects: 1, maxTotalBytes: 600 };
    const n = testNode("node-1", { ipv4: "10.0.1.10/24" });
    expect(codes(read({ "big.yaml": "x".repeat(101) }, limits))).toEqual([
      "NC7002 snap/big.yaml:1:1",
      "NC7006 snap:1:1",
    ]);
    const two = read(
      { "a.yaml": `${n}---\n${n.replace(/node-1/g, "node-2")}` },
      { ...limits, maxFileBytes: 1000 },
    );
    expect(codes(two)[0]).toBe("NC7003 snap/a.yaml:1:1");
    expect(two.nodes.size).toBe(1);
    const total = read(
      { "a.yaml": n, "b.yaml": n },
      { ...limits, maxFileBytes: 1000, maxObjects: 10, maxTotalBytes: n.length + 10 },
    );
    expect(codes(total)[0]).toBe("NC7003 snap/b.yaml:1:1");
  });

  it("50 MB of a kubectl JSON snapshot cut off in the middle: one diagnostic, at its end", () => {
    const one = JSON.stringify(kubeNode(spec, node(0), 0), null, 4);
    const body = `{\n    "apiVersion": "v1",\n    "items": [\n${Array(Math.ceil(50e6 / one.length))
      .fill(one)
      .join(",\n")}`;
    expect(body.length).toBeGreaterThan(50e6);
    const s = read({ "nodes.json": body.slice(0, body.length - 100) });
    expect(s.diagnostics.map((d) => d.code)).toEqual(["NC7004", "NC7006"]);
    expect(s.diagnostics[0]!.file).toBe("snap/nodes.json");
    expect(s.diagnostics[0]!.line).toBeGreaterThan(1_000_000);
  });
});

describe("a snapshot folder on disk", () => {
  it("never reads outside it: files are listed by the repository reader, dot-files left out", () => {
    const dir = testdir({});
    dirs.push(dir);
    mkdirSync(join(dir, "snap", ".git"), { recursive: true });
    writeFileSync(join(dir, "snap", ".git", "x.yaml"), "apiVersion: v1\nkind: Pod\n");
    writeFileSync(join(dir, "outside.yaml"), testNode("node-9", { ipv4: "10.0.9.9/24" }));
    symlinkSync(join(dir, "outside.yaml"), join(dir, "snap", "link.yaml"));
    writeFileSync(join(dir, "snap", "n.yaml"), testNode("node-1", { ipv4: "10.0.1.10/24" }));
    const s = readSnapshot({
      path: join(dir, "snap"),
      shown: "snap",
      fileName: (f) => f,
      display: "snap",
    });
    expect([...s.nodes.keys()]).toEqual(["node-1"]);
    expect(s.files).toEqual(["n.yaml"]);
    expect(codes(s)).toEqual([`NC7001 ${join(dir, "snap", "link.yaml")}:1:1`]);
    expect(s.diagnostics[0]!.message).toBe(
      "cannot read the snapshot snap/link.yaml: it is a symbolic link, not a regular file; it is not read",
    );
  });

  it("names every link or special file in the folder, and reads the rest", () => {
    const dir = testdir({ "snap/n.yaml": testNode("node-1", { ipv4: "10.0.1.10/24" }) });
    dirs.push(dir);
    mkdirSync(join(dir, "elsewhere"));
    symlinkSync(join(dir, "elsewhere"), join(dir, "snap", "more"));
    execFileSync("mkfifo", [join(dir, "snap", "pipe.json")]);
    symlinkSync(join(dir, "snap", "n.yaml"), join(dir, "snap", "notes.txt"));
    const s = readSnapshot({
      path: join(dir, "snap"),
      shown: "snap",
      fileName: (f) => f,
      display: "snap",
    });
    expect([...s.nodes.keys()]).toEqual(["node-1"]);
    expect(s.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "NC7001 cannot read the snapshot snap/more: it is a symbolic link to a folder, not a regular file; it is not read",
      "NC7001 cannot read the snapshot snap/notes.txt: it is a symbolic link, not a regular file; it is not read",
      "NC7001 cannot read the snapshot snap/pipe.json: it is a FIFO (named pipe), not a regular file; it is not read",
    ]);
  });
});
