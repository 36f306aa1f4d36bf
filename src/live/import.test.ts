/**
 * What import writes from a snapshot: subnets from the detected prefixes and zones (overlaps
 * resolved, NC7015), node groups where names and addresses run on, the labels the pools need,
 * pools without server fields, the safe choices with CHECK comments — and the same bytes every
 * time. The whole round trip (import, validate, verify) is in test/live.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  exampleCluster,
  kubeNode,
  kubectlJson,
  kubectlList,
  snapshotFiles,
  EXAMPLE_LAYOUT,
} from "../../bench/snapshot.js";
import { hasErrors } from "../diagnostics/types.js";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import {
  calicoConfig,
  kubeNode as testNode,
  livePool,
  testSnapshot,
} from "../policy/live-rule-tester.js";
import { importSnapshot } from "./import.js";

/** The parts of an imported Topology and Cluster these tests read. */
interface TopologySpec {
  readonly subnets: readonly {
    readonly name: string;
    readonly cidr: string;
    readonly zone?: string;
  }[];
  readonly nodes: readonly { readonly name: string; readonly labels?: Record<string, string> }[];
  readonly nodeGroups: readonly Record<string, unknown>[];
  readonly underlay: Record<string, unknown>;
}
interface ClusterSpec {
  readonly provider: string;
  readonly networking: { readonly underlayMTU: number };
}

function imported(files: Record<string, string>) {
  const result = importSnapshot(testSnapshot(files));
  const topology = parse(result.files.get("topology.yaml")!) as { spec: TopologySpec };
  const cluster = parse(result.files.get("netcompile.yaml")!) as { spec: ClusterSpec };
  return { result, topology: topology.spec, cluster: cluster.spec };
}

function validates(files: ReadonlyMap<string, string>) {
  const { diagnostics } = compile(new MemoryRepoReader(Object.fromEntries(files)), {
    render: "none",
  });
  return diagnostics.map((d) => `${d.code} ${d.file}:${d.line}: ${d.message}`);
}

describe("import", () => {
  it("writes the worked example as a repository that validates with only the firewall info, the same bytes each time", () => {
    const files = Object.fromEntries(snapshotFiles(exampleCluster(), EXAMPLE_LAYOUT));
    const a = importSnapshot(testSnapshot(files));
    const b = importSnapshot(testSnapshot(files));
    expect(a.diagnostics).toEqual([]);
    expect([...a.files.keys()]).toEqual(["netcompile.yaml", "topology.yaml", "ippools.yaml"]);
    expect([...a.files]).toEqual([...b.files]);
    // The one finding: what OpenStack's security groups must admit for VXLAN.
    expect(validates(a.files)).toEqual([
      "firewall-requirements ippools.yaml:9: IPPool \"default-ipv4-ippool\" uses VXLAN: the security groups between nodes must admit UDP 4789 (the Cluster's vxlanPort) between the nodes' addresses, both ways",
    ]);
    expect(a.summary).toEqual({ nodes: 39, groups: 4, listed: 3, subnets: 6, pools: 3 });
    expect(a.files.get("topology.yaml")).not.toMatch(/\d{4}-\d\d-\d\dT/); // no timestamps
  });

  it("makes subnets of the detected prefixes, named after the zone they share", () => {
    const { topology } = imported({
      "a.yaml": testNode("a-1", {
        ipv4: "10.0.1.10/24",
        labels: { "topology.kubernetes.io/zone": "eu-1a" },
      }),
      "b.yaml": testNode("b-1", {
        ipv4: "10.0.2.10/24",
        labels: { "topology.kubernetes.io/zone": "eu-1b" },
      }),
      "c.yaml": testNode("c-1", {
        ipv4: "10.0.2.11/24",
        labels: { "topology.kubernetes.io/zone": "eu-1c" },
      }),
    });
    expect(topology.subnets).toEqual([
      { name: "eu-1a", cidr: "10.0.1.0/24", zone: "eu-1a" },
      { name: "10-0-2-0-24", cidr: "10.0.2.0/24" },
    ]);
    // The subnet has no zone: the nodes keep theirs as labels (pools may select by it).
    expect(topology.nodes.find((n) => n.name === "a-1")?.labels).toBeUndefined();
  });

  it("compresses runs of names and addresses into node groups; a gap or another subnet ends a run", () => {
    const nodes: Record<string, string> = {};
    for (const [name, ip] of [
      ["w-1", "10.0.1.11"],
      ["w-2", "10.0.1.12"],
      ["w-3", "10.0.1.13"],
      ["w-4", "10.0.1.20"],
      ["w-5", "10.0.1.21"],
      ["x-1", "10.0.1.30"],
      ["x-2", "10.0.2.31"],
      ["solo-1", "10.0.1.40"],
    ] as const) {
      nodes[`${name}.yaml`] = testNode(name, { ipv4: `${ip}/24` });
    }
    const { topology, result } = imported(nodes);
    expect(topology.nodeGroups).toEqual([
      { namePrefix: "w-", count: 3, subnet: "10-0-1-0-24", firstAddress: "10.0.1.11" },
    ]);
    expect(topology.nodes.map((n) => n.name)).toEqual(["solo-1", "w-4", "w-5", "x-1", "x-2"]);
    expect(validates(result.files)).toEqual([]);
  });

  it("writes a dual-stack node's IPv6 address as addressV6, in an IPv6 subnet; a group's must run on in both families", () => {
    const nodes: Record<string, string> = {};
    for (const [name, ip, ip6] of [
      ["w-1", "10.0.1.11", "fd00:1::11"],
      ["w-2", "10.0.1.12", "fd00:1::12"],
      ["w-3", "10.0.1.13", "fd00:1::20"],
    ] as const) {
      nodes[`${name}.yaml`] = testNode(name, {
        ipv4: `${ip}/24`,
        ipv6: `${ip6}/64`,
        labels: { "topology.kubernetes.io/zone": "z1" },
      });
    }
    nodes["p.yaml"] =
      `${livePool("v4", "cidr: 10.9.0.0/16")}---\n${livePool("v6", "cidr: fd10::/48")}`;
    const { topology, result } = imported(nodes);
    expect(topology.subnets).toEqual([
      { name: "z1", cidr: "10.0.1.0/24", zone: "z1" },
      { name: "z1-ipv6", cidr: "fd00:1::/64", zone: "z1" },
    ]);
    expect(topology.nodeGroups).toEqual([
      {
        namePrefix: "w-",
        count: 2,
        subnet: "z1",
        firstAddress: "10.0.1.11",
        subnetV6: "z1-ipv6",
        firstAddressV6: "fd00:1::11",
      },
    ]);
    // w-3's IPv4 address runs on but its IPv6 one does not: listed one by one.
    expect(topology.nodes).toEqual([
      { name: "w-3", address: "10.0.1.13", addressV6: "fd00:1::20" },
    ]);
    // Without addressV6 the IPv6 pool's nodes would have no IPv6 address (node-address-family-missing).
    expect(validates(result.files)).toEqual([]);
  });

  it("writes only the labels the pools' selectors need, and keeps every pool's selection", () => {
    const { topology, result } = imported({
      "1.yaml": testNode("n-1", {
        ipv4: "10.0.1.11/24",
        labels: { gpu: "yes", team: "a", rack: "r1" },
      }),
      "2.yaml": testNode("n-2", { ipv4: "10.0.1.12/24", labels: { team: "b", rack: "r1" } }),
      "p.yaml": `${livePool("gpu", "cidr: 10.9.0.0/16", "nodeSelector: has(gpu)")}---\n${livePool("rest", "cidr: 10.8.0.0/16", "nodeSelector: \"!has(gpu) && rack == 'r1'\"")}`,
    });
    expect(topology.nodes).toEqual([
      // rack stays on n-1 too: a key is dropped from every node or from none (node groups).
      { name: "n-1", address: "10.0.1.11", labels: { gpu: "yes", rack: "r1" } },
      { name: "n-2", address: "10.0.1.12", labels: { rack: "r1" } },
    ]);
    expect(validates(result.files)).toEqual([]);
  });

  it("takes the narrower of overlapping detected networks for most nodes, and says so (NC7015)", () => {
    const { topology, result } = imported({
      "1.yaml": testNode("n-1", { ipv4: "10.0.1.11/24" }),
      "2.yaml": testNode("n-2", { ipv4: "10.0.1.12/24" }),
      "3.yaml": testNode("n-3", { ipv4: "10.0.1.13/16" }),
      "4.yaml": testNode("n-4", { ipv4: "10.0.5.14/16" }),
    });
    expect(topology.subnets.map((s) => s.cidr)).toEqual(["10.0.1.0/24", "10.0.5.14/32"]);
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        "NC7015",
        "nodes detected overlapping subnets, 10.0.0.0/16 (2 nodes: n-3, n-4) and 10.0.1.0/24 (2 nodes: n-1, n-2); the Topology takes 10.0.1.0/24, and 1 node outside it get a subnet of their own address: check which is the real subnet",
      ],
    ]);
    expect(result.files.get("topology.yaml")).toContain("# CHECK: n-3 detected 10.0.1.13/16.");
    expect(validates(result.files)).toEqual([]);
  });

  it("prefers a network whose nodes share a zone to one that spans zones", () => {
    const zone = (z: string) => ({ "topology.kubernetes.io/zone": z });
    const { topology } = imported({
      "1.yaml": testNode("n-1", { ipv4: "10.0.1.11/24", labels: zone("a") }),
      "2.yaml": testNode("n-2", { ipv4: "10.0.1.12/16", labels: zone("a") }),
      "3.yaml": testNode("n-3", { ipv4: "10.0.2.13/16", labels: zone("b") }),
      "4.yaml": testNode("n-4", { ipv4: "10.0.3.14/16", labels: zone("c") }),
    });
    expect(topology.subnets[0]).toEqual({ name: "a", cidr: "10.0.1.0/24", zone: "a" });
  });

  it("puts a node without Calico's annotation (a /32) in the subnet that holds its address", () => {
    const { topology } = imported({
      "1.yaml": testNode("n-1", { ipv4: "10.0.1.11/24" }),
      "2.yaml": testNode("n-2", { internalIP: "10.0.1.12" }),
    });
    expect(topology.subnets.map((s) => s.cidr)).toEqual(["10.0.1.0/24"]);
    expect(topology.nodeGroups[0]).toMatchObject({ namePrefix: "n-", count: 2 });
  });

  it("writes the pools as the cluster has them, server fields removed; an API v1 field is reported (NC7014)", () => {
    const { result } = imported({
      "n.yaml": testNode("n-1", { ipv4: "10.0.1.11/24" }),
      "p.yaml": `apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{}'
    projectcalico.org/metadata: '{"uid":"x"}'
    team: net
  creationTimestamp: "2025-01-14T09:00:30Z"
  generation: 2
  managedFields: []
  name: pods
  resourceVersion: "912"
  uid: 1f0e
spec:
  cidr: 10.244.0.0/16
  ipipMode: Always
  ipip: {enabled: true, mode: always}
  natOutgoing: true
`,
    });
    expect(result.files.get("ippools.yaml"))
      .toBe(`# From p.yaml (crd.projectcalico.org/v1 IPPool pods); server-side fields removed.
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
  annotations:
    team: net
spec:
  cidr: "10.244.0.0/16"
  ipipMode: Always
  natOutgoing: true
`);
    expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`)).toEqual([
      "NC7014 live/p.yaml:17",
    ]);
  });

  it("derives the underlay MTU from veth_mtu and the encapsulation, and the rest of the Cluster from the snapshot", () => {
    const { cluster, result } = imported({
      "n.yaml": testNode("n-1", { ipv4: "10.0.1.11/24" }),
      "p.yaml": livePool("p", "cidr: 10.244.0.0/16", "vxlanMode: Always"),
      "c.yaml": calicoConfig("8951", "vxlan"),
    });
    expect(cluster).toEqual({
      provider: "other",
      install: "manifest",
      networking: { backend: "vxlan", underlayMTU: 9001 },
      hostNetwork: { mode: "calico" },
    });
    expect(result.files.get("netcompile.yaml")).toContain(
      "# CHECK: the nodes' spec.providerID names no provider",
    );
  });

  it("takes the provider from spec.providerID; without veth_mtu, the safe MTU and a CHECK", () => {
    const spec = { ...exampleCluster(), provider: "gce" as const };
    const { cluster, result } = imported({
      "nodes.json": kubectlJson(
        kubectlList(spec.nodes.slice(0, 2).map((n, i) => kubeNode(spec, n, i))),
      ),
    });
    expect(cluster.provider).toBe("gcp");
    expect(cluster.networking.underlayMTU).toBe(1460);
    expect(result.files.get("netcompile.yaml")).toContain(
      "# CHECK: the snapshot does not give the MTU",
    );
  });

  it("says routers route pod addresses when an unencapsulated pool spans subnets (else the safe false)", () => {
    const nodes = {
      "1.yaml": testNode("n-1", { ipv4: "10.0.1.11/24" }),
      "2.yaml": testNode("n-2", { ipv4: "10.0.2.12/24" }),
    };
    const routed = imported({ ...nodes, "p.yaml": livePool("flat", "cidr: 10.244.0.0/16") });
    expect(routed.topology.underlay).toEqual({ routesWorkloadIPs: true });
    expect(validates(routed.result.files)).toEqual([]);
    const tunnelled = imported({
      ...nodes,
      "p.yaml": livePool("x", "cidr: 10.244.0.0/16", "vxlanMode: CrossSubnet"),
    });
    expect(tunnelled.topology.underlay).toEqual({ routesWorkloadIPs: false });
  });

  it("writes no line break of any YAML version and no control character from the snapshot", () => {
    const node = (name: string, ipv4: string) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Node",
        metadata: { name, annotations: { "projectcalico.org/IPv4Address": ipv4 } },
      });
    const { result } = imported({
      "1.json": node("n-1\u2028kind: Evil\u0085x\r\ny\u001b[2J", "10.0.1.11/16"),
      "2.json": node("n-2", "10.0.1.12/24"),
      "3.json": node("n-3", "10.0.1.13/24"),
    });
    const topology = result.files.get("topology.yaml") ?? "";
    // The name's line feed starts a new comment line, never a YAML line.
    expect(topology).toContain(
      "    # CHECK: n-1\\u{2028}kind: Evil\\x85x\\r\n    # y\\x1B[2J detected 10.0.1.11/16.\n",
    );
    for (const text of result.files.values()) {
      for (const raw of ["\u2028", "\u0085", "\r", "\u001b"]) expect(text).not.toContain(raw);
      expect(text).not.toMatch(/^\s*kind: Evil/m);
    }
  });

  it("leaves out a node with no address at all (NC7018)", () => {
    const { result, topology } = imported({
      "1.yaml": testNode("n-1", { ipv4: "10.0.1.11/24" }),
      "2.yaml": "apiVersion: v1\nkind: Node\nmetadata:\n  name: bare\n",
    });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["NC7018"]);
    expect(topology.nodes.map((n) => n.name)).toEqual(["n-1"]);
    expect(hasErrors(result.diagnostics)).toBe(false);
  });
});
