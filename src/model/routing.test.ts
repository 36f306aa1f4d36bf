import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { decidePath, pathDevice, pathsBetween, tunnelMTU, vtepMAC } from "./routing.js";
import type { Model } from "./types.js";

const TOPOLOGY = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  subnets:
    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }
    - { name: b, cidr: 10.0.2.0/24, gateway: 10.0.2.1, mtu: 9000 }
  nodes:
    - { name: a1, address: 10.0.1.11 }
    - { name: a2, address: 10.0.1.12 }
    - { name: b1, address: 10.0.2.11 }
`;

function model(pools: string, mode: "calico" | "static" = "calico", topology = TOPOLOGY): Model {
  const result = compile(
    new MemoryRepoReader({
      "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata: { name: t }
spec:
  hostNetwork: { mode: ${mode} }
`,
      "topology.yaml": topology,
      "pools.yaml": pools,
    }),
  );
  if (!result.model) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.model;
}

const pool = (spec: string) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: p }
spec: { cidr: 192.168.0.0/16, ${spec} }
`;

function decide(m: Model, from: string, to: string) {
  const node = (n: string) => m.topology.nodes.find((x) => x.name === n)!;
  return decidePath(node(from), node(to), m.pools[0]!);
}

describe("decidePath (Felix's decision)", () => {
  it("Always encapsulates every pair, inside a subnet too", () => {
    const m = model(pool("vxlanMode: Always"));
    expect(decide(m, "a1", "a2")).toMatchObject({
      kind: "vxlan",
      reason: "always",
      sameSubnet: true,
    });
    expect(decide(m, "a1", "b1")).toMatchObject({
      kind: "vxlan",
      reason: "always",
      sameSubnet: false,
    });
  });

  it("CrossSubnet goes direct when the local node's subnet contains the remote address", () => {
    const m = model(pool("ipipMode: CrossSubnet"));
    expect(decide(m, "a1", "a2")).toMatchObject({
      kind: "direct",
      reason: "cross-subnet-same-subnet",
    });
    expect(decide(m, "a1", "b1")).toMatchObject({
      kind: "ipip",
      reason: "cross-subnet-other-subnet",
      encapsulation: "ipip",
      mode: "CrossSubnet",
    });
    expect(decide(m, "a1", "b1").localSubnet?.name).toBe("a");
  });

  it("CrossSubnet asks the LOCAL node's subnet about the REMOTE address: overlapping subnets decide each way apart", () => {
    // n1 sits in both subnets; its own subnet is the first that holds it, the narrow one.
    const topology = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  subnets:
    - { name: narrow, cidr: 10.0.2.0/24 }
    - { name: wide, cidr: 10.0.0.0/16 }
  nodes:
    - { name: w1, address: 10.0.1.11 }
    - { name: n1, address: 10.0.2.11 }
`;
    const m = model(pool("vxlanMode: CrossSubnet"), "calico", topology);
    // w1's subnet (10.0.0.0/16) contains n1's address: direct.
    expect(decide(m, "w1", "n1")).toMatchObject({
      kind: "direct",
      reason: "cross-subnet-same-subnet",
      localSubnet: { name: "wide" },
    });
    // n1's subnet (10.0.2.0/24) does not contain w1's address: encapsulated.
    expect(decide(m, "n1", "w1")).toMatchObject({
      kind: "vxlan",
      reason: "cross-subnet-other-subnet",
      localSubnet: { name: "narrow" },
    });
  });

  it("a pool without encapsulation is always direct", () => {
    const m = model(pool("ipipMode: Never"));
    expect(decide(m, "a1", "b1")).toMatchObject({ kind: "direct", reason: "no-encapsulation" });
  });
});

describe("devices and MTUs", () => {
  it("calico mode uses Felix's devices and the workload MTU for every tunnel", () => {
    const m = model(pool("vxlanMode: Always"));
    const a1 = m.topology.nodes[0]!;
    expect(pathDevice("calico", a1, "vxlan", 4)).toBe("vxlan.calico");
    expect(pathDevice("calico", a1, "vxlan", 6)).toBe("vxlan-v6.calico");
    expect(pathDevice("calico", a1, "ipip", 4)).toBe("tunl0");
    expect(pathDevice("calico", a1, "direct", 4)).toBe("eth0");
    expect(tunnelMTU(m, "vxlan")).toBe(m.podMTU);
  });

  it("static mode uses its own devices (never tunl0) and the smallest underlay less the overhead", () => {
    const m = model(pool("ipipMode: Always"), "static");
    const a1 = m.topology.nodes[0]!;
    expect(pathDevice("static", a1, "ipip", 4)).toBe("nc-ipip");
    expect(pathDevice("static", a1, "vxlan", 4)).toBe("nc-vxlan");
    expect(m.effectiveUnderlayMTU).toBe(1500);
    expect(tunnelMTU(m, "ipip")).toBe(1480);
    expect(tunnelMTU(m, "vxlan")).toBe(1450);
  });
});

describe("vtepMAC", () => {
  it("is 0x66 and the first five bytes of SHA-1(node name), as Felix derives it", () => {
    // Expected values computed independently: python3 hashlib.sha1(name).digest()[:5].
    expect(vtepMAC("edge-a1")).toBe("66:c8:02:c3:5d:d2");
    expect(vtepMAC("node-1")).toBe("66:b3:68:28:39:8e");
  });
});

describe("a routed underlay, per IP family", () => {
  it("an IPv6 pool goes through the IPv6 subnet's gateway to the peer's IPv6 address", () => {
    const topology = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  underlay: { routesWorkloadIPs: true }
  subnets:
    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }
    - { name: b, cidr: 10.0.2.0/24, gateway: 10.0.2.1 }
    - { name: a6, cidr: "fd00:1::/64", gateway: "fd00:1::1" }
    - { name: b6, cidr: "fd00:2::/64", gateway: "fd00:2::1" }
  nodes:
    - { name: a1, address: 10.0.1.11, addressV6: "fd00:1::11" }
    - { name: b1, address: 10.0.2.11, addressV6: "fd00:2::11" }
`;
    const v6 = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: p6 }
spec: { cidr: "fd00:244::/48" }
`;
    const m = model(v6, "calico", topology);
    const [a1, b1] = ["a1", "b1"].map((n) => m.topology.nodes.find((x) => x.name === n)!);
    const [path] = pathsBetween(m, a1!, b1!);
    expect(path!.decision.family).toBe(6);
    expect(path!.routed).toMatchObject({
      nextHop: "fd00:2::11",
      gateway: "fd00:1::1",
      gatewayFrom: "subnet",
    });
    expect(path!.route.gateway).toBe("fd00:1::1");
    expect(path!.prefix).toBeUndefined();
  });
});
