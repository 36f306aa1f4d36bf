import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { nameHashBlock } from "./allocation.js";

const cluster = (mode = "static") => `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata: { name: t }
spec:
  hostNetwork: { mode: ${mode} }
`;

const pool = (cidr: string, extra = "") => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: pods }
spec: { cidr: ${cidr}, vxlanMode: Always${extra} }
`;

function topology(nodes: string, more = ""): string {
  return `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  subnets:
    - { name: a, cidr: 10.0.0.0/16, gateway: 10.0.0.1 }
${more}  nodes:
${nodes}`;
}

function build(files: Record<string, string>) {
  const result = compile(new MemoryRepoReader(files), { render: "none" });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  const podCIDRs = Object.fromEntries(
    [...(result.model?.podCIDRs ?? [])].map(([node, a]) => [node, a.cidr.canonical]),
  );
  const podCIDRsV6 = Object.fromEntries(
    [...(result.model?.podCIDRsV6 ?? [])].map(([node, a]) => [node, a.cidr.canonical]),
  );
  return { errors, podCIDRs, podCIDRsV6, found: errors.map((e) => [e.code, e.data]) };
}

const nodeLines = (names: readonly string[], offset = 10) =>
  names
    .map(
      (n, i) =>
        `    - { name: ${n}, address: 10.0.${Math.floor((i + offset) / 250)}.${((i + offset) % 250) + 2} }\n`,
    )
    .join("");

describe("static pod CIDR allocation", () => {
  it("never moves a node's pod CIDR when other nodes are added or removed", () => {
    const names = Array.from({ length: 60 }, (_, i) => `edge-${i}`);
    const big = (list: string[]) =>
      build({
        "netcompile.yaml": cluster(),
        "pools.yaml": pool("10.128.0.0/10"),
        "topology.yaml": topology(nodeLines(list)),
      });
    const all = big(names);
    expect(all.errors).toEqual([]);
    // Every second node removed, twenty new ones added, in a different order.
    const changed = [
      ...names.filter((_, i) => i % 2 === 0),
      ...Array.from({ length: 20 }, (_, i) => `new-${i}`),
    ].reverse();
    const after = big(changed);
    expect(after.errors).toEqual([]);
    for (const name of names.filter((_, i) => i % 2 === 0))
      expect(after.podCIDRs[name]).toBe(all.podCIDRs[name]);
  });

  it("puts a node in the block its name hashes to", () => {
    const { podCIDRs } = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology(nodeLines(["edge-a1"])),
    });
    // python3: int.from_bytes(hashlib.sha256(b"edge-a1").digest()[:8], "big") % 1024 == 322
    expect(nameHashBlock("edge-a1", 1024n)).toBe(322n);
    expect(podCIDRs).toEqual({ "edge-a1": "10.244.80.128/26" });
  });

  it("reports a hash collision on both nodes with a free block to pin, and a pin resolves it", () => {
    // A pool of four /26 blocks: six nodes must collide.
    const names = ["n0", "n1", "n2", "n3", "n4", "n5"];
    const tiny = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/24"),
      "topology.yaml": topology(nodeLines(names)),
    });
    expect(tiny.errors.length).toBeGreaterThanOrEqual(2);
    for (const e of tiny.errors) {
      expect(e.code).toBe("NC3024");
      expect(e.data).toMatchObject({
        node: expect.stringMatching(/^n\d$/) as unknown,
        pool: "pods",
      });
      expect(e.data?.fix).toMatch(
        /^pin the node added later to a free block, e\.g\. `podCIDR: 10\.244\.0\.\d+\/26`$|^pool "pods" has no free block left$/,
      );
    }

    const blocks = names.map((n) => nameHashBlock(n, 4n));
    const [first, second] = names.filter(
      (_, i) => blocks.indexOf(blocks[i]!) !== i || blocks.lastIndexOf(blocks[i]!) !== i,
    );
    const home = (n: string) => `10.244.0.${Number(nameHashBlock(n, 4n)) * 64}/26`;
    const free = [0, 1, 2, 3].find((b) => b !== Number(nameHashBlock(first!, 4n)))!;
    const pinned = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/24"),
      "topology.yaml": topology(
        `    - { name: ${first}, address: 10.0.0.2 }\n    - { name: ${second}, address: 10.0.0.3, podCIDR: 10.244.0.${free * 64}/26 }\n`,
      ),
    });
    expect(pinned.errors).toEqual([]);
    expect(pinned.podCIDRs).toEqual({
      [first!]: home(first!),
      [second!]: `10.244.0.${free * 64}/26`,
    });
  });

  it("gives node-group members consecutive blocks from firstPodCIDR; growing the group moves no one", () => {
    const group = (count: number) =>
      `  nodeGroups:\n    - { namePrefix: edge-, count: ${count}, subnet: a, firstAddress: 10.0.1.1, firstPodCIDR: 10.244.8.0/26 }\n`;
    const files = (count: number) => ({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology(
        "    - { name: solo, address: 10.0.0.5, podCIDR: 10.244.0.0/24 }\n",
        group(count),
      ),
    });
    const three = build(files(3));
    expect(three.errors).toEqual([]);
    expect(three.podCIDRs).toEqual({
      solo: "10.244.0.0/24",
      "edge-1": "10.244.8.0/26",
      "edge-2": "10.244.8.64/26",
      "edge-3": "10.244.8.128/26",
    });
    const five = build(files(5));
    expect(five.podCIDRs).toMatchObject(three.podCIDRs);
    expect(five.podCIDRs["edge-5"]).toBe("10.244.9.0/26");
  });

  it("refuses pod CIDRs outside the node's pools, overlapping pins, and nodes no pool selects", () => {
    const outside = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology("    - { name: x, address: 10.0.0.5, podCIDR: 10.99.0.0/26 }\n"),
    });
    expect(outside.found).toEqual([
      ["NC3019", { field: "podCIDR", cidr: "10.99.0.0/26", node: "x", family: 4, pools: "pods" }],
    ]);
    const overlap = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology(
        "    - { name: x, address: 10.0.0.5, podCIDR: 10.244.0.0/24 }\n    - { name: y, address: 10.0.0.6, podCIDR: 10.244.0.64/26 }\n",
      ),
    });
    expect(overlap.found).toEqual([
      ["NC3022", { cidr: "10.244.0.64/26", node: "y", other: "x", otherCidr: "10.244.0.0/24" }],
    ]);
    const unselected = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16", ", nodeSelector: \"edge == 'true'\""),
      "topology.yaml": topology("    - { name: x, address: 10.0.0.5 }\n"),
    });
    expect(unselected.found).toEqual([["NC3021", { node: "x", family: "IPv4", field: "podCIDR" }]]);
  });

  it.each([
    [
      "fd00:1::/64",
      "NC3090",
      { field: "podCIDR", cidr: "fd00:1::/64", version: 6, family: 4, right: "podCIDRV6" },
    ],
    ["nope", "NC3017", { field: "podCIDR", value: "nope" }],
    [
      "10.244.0.1/26",
      "NC3018",
      { field: "podCIDR", value: "10.244.0.1/26", cidr: "10.244.0.0/26" },
    ],
  ])("refuses podCIDR %s (%s)", (podCIDR, code, data) => {
    const r = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology(`    - { name: x, address: 10.0.0.5, podCIDR: "${podCIDR}" }\n`),
    });
    expect(r.found).toEqual([[code, data]]);
    expect(r.errors[0]).toMatchObject({ resource: "Node/x", line: 8 });
  });

  const groupOf = (fields: string, count = 3) =>
    `  nodeGroups:\n    - { namePrefix: edge-, count: ${count}, subnet: a, firstAddress: 10.0.1.1${fields} }\n`;
  it.each([
    [
      "fd00:1::/64",
      "NC3090",
      {
        field: "firstPodCIDR",
        cidr: "fd00:1::/64",
        version: 6,
        family: 4,
        right: "firstPodCIDRV6",
      },
    ],
    ["nope", "NC3017", { field: "firstPodCIDR", value: "nope" }],
    [
      "10.244.8.1/26",
      "NC3018",
      { field: "firstPodCIDR", value: "10.244.8.1/26", cidr: "10.244.8.0/26" },
    ],
  ])("refuses firstPodCIDR %s (%s), once for the whole group", (first, code, data) => {
    const r = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology(
        "    - { name: x, address: 10.0.0.5 }\n",
        groupOf(`, firstPodCIDR: "${first}"`),
      ),
    });
    expect(r.found).toEqual([[code, data]]);
    expect(r.errors[0]!.resource).toBe("NodeGroup/edge-");
  });

  it("refuses a node group whose blocks leave its pools, or overlap a pinned node", () => {
    const outside = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology(
        "    - { name: x, address: 10.0.0.5 }\n",
        groupOf(", firstPodCIDR: 10.244.255.128/26"),
      ),
    });
    expect(outside.found).toEqual([
      [
        "NC3020",
        {
          group: "edge-",
          count: 3,
          prefix: 26,
          first: "10.244.255.128/26",
          family: 4,
          pools: "pods",
          node: "edge-3",
          cidr: "10.245.0.0/26",
        },
      ],
    ]);
    const overlap = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology(
        "    - { name: x, address: 10.0.0.5, podCIDR: 10.244.8.64/26 }\n",
        groupOf(", firstPodCIDR: 10.244.8.0/26"),
      ),
    });
    expect(overlap.found).toEqual([
      [
        "NC3023",
        {
          group: "edge-",
          cidr: "10.244.8.64/26",
          node: "edge-2",
          other: "x",
          otherCidr: "10.244.8.64/26",
          hint: "; a free run of 3 blocks starts at 10.244.0.0/26",
        },
      ],
      // An overlap is both sides' finding.
      [
        "NC3022",
        { cidr: "10.244.8.64/26", node: "x", other: "edge-2", otherCidr: "10.244.8.64/26" },
      ],
    ]);
  });

  it("dual-stack: one pod CIDR of each family, from the pools of that family, pinned or hashed", () => {
    const pools = `${pool("10.244.0.0/16")}---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: pods6 }
spec: { cidr: "fd00:244::/112", vxlanMode: Always, nodeSelector: "kubernetes.io/hostname != 'v4only'" }
`;
    const dual = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  subnets:
    - { name: a, cidr: 10.0.0.0/16, gateway: 10.0.0.1 }
    - { name: a6, cidr: "fd00:a::/64", gateway: "fd00:a::1" }
  nodes:
    - { name: x, address: 10.0.0.5, addressV6: "fd00:a::5", podCIDRV6: "fd00:244::40/122" }
    - { name: y, address: 10.0.0.6, addressV6: "fd00:a::6" }
    - { name: v4only, address: 10.0.0.7 }
  nodeGroups:
    - { namePrefix: g-, count: 2, subnet: a, firstAddress: 10.0.1.1, subnetV6: a6, firstAddressV6: "fd00:a::1:1", firstPodCIDRV6: "fd00:244::100/122" }
`;
    const r = build({ "netcompile.yaml": cluster(), "pools.yaml": pools, "topology.yaml": dual });
    expect(r.errors).toEqual([]);
    expect(Object.keys(r.podCIDRs).sort()).toEqual(["g-1", "g-2", "v4only", "x", "y"]);
    const block = (n: bigint) => `fd00:244::${n.toString(16)}/122`;
    expect(r.podCIDRsV6).toEqual({
      x: "fd00:244::40/122",
      // 1024 /122 blocks in the /112; y's is the one its name hashes to.
      y: block(nameHashBlock("y", 1024n) * 64n),
      "g-1": "fd00:244::100/122",
      "g-2": "fd00:244::140/122",
    });
  });

  it("a pod CIDR of a family the node has no address of is refused (NC3091)", () => {
    const r = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology("    - { name: x, address: 10.0.0.5, podCIDRV6: 'fd00::/122' }\n"),
    });
    expect(r.found).toEqual([["NC3091", { field: "podCIDRV6", node: "x", family: 6 }]]);
  });

  it("allocates nothing in calico mode (Calico IPAM does)", () => {
    const calico = build({
      "netcompile.yaml": cluster("calico"),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": topology(nodeLines(["a", "b"])),
    });
    expect(calico).toMatchObject({ errors: [], podCIDRs: {} });
  });
});

describe("host network topology checks", () => {
  const twoSubnets = (gatewayB: string) => `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  subnets:
    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }
    - { name: b, cidr: 10.0.2.0/24${gatewayB} }
  nodes:
    - { name: a1, address: 10.0.1.11 }
    - { name: b1, address: 10.0.2.11 }
`;

  it("static mode needs a gateway (or DHCP) in every subnet when nodes span several", () => {
    const missing = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": twoSubnets(""),
    });
    expect(missing.found).toEqual([["NC3014", { subnet: "b", others: 1 }]]);
    for (const fix of [", gateway: 10.0.2.1", ", dhcp: true"]) {
      expect(
        build({
          "netcompile.yaml": cluster(),
          "pools.yaml": pool("10.244.0.0/16"),
          "topology.yaml": twoSubnets(fix),
        }).errors,
      ).toEqual([]);
    }
  });

  it("a gateway that is not an address is refused, in either mode", () => {
    for (const mode of ["calico", "static"]) {
      const bad = build({
        "netcompile.yaml": cluster(mode),
        "pools.yaml": pool("10.244.0.0/16"),
        "topology.yaml": twoSubnets(", gateway: router"),
      });
      expect(bad.found).toEqual([["NC3012", { gateway: "router" }]]);
    }
  });

  it("static mode takes IPv6 nodes: an IPv6 node no IPv6 pool selects has no pod CIDR (once per group)", () => {
    const v6 = build({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("10.244.0.0/16"),
      "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
spec:
  subnets: [{ name: v6, cidr: "fd00::/64", gateway: "fd00::1" }]
  nodes: [{ name: n6, address: "fd00::10" }]
  nodeGroups: [{ namePrefix: g-, count: 3, subnet: v6, firstAddress: "fd00::100" }]
`,
    });
    expect(v6.found).toEqual([
      ["NC3021", { node: "n6", family: "IPv6", field: "podCIDRV6" }],
      ["NC3021", { node: "g-1", family: "IPv6", field: "podCIDRV6" }],
    ]);
  });

  it("a gateway must be an address inside its subnet, in either mode", () => {
    for (const mode of ["calico", "static"]) {
      const bad = build({
        "netcompile.yaml": cluster(mode),
        "pools.yaml": pool("10.244.0.0/16"),
        "topology.yaml": twoSubnets(", gateway: 10.0.3.1"),
      });
      expect(bad.found).toEqual([
        ["NC3013", { gateway: "10.0.3.1", subnet: "b", cidr: "10.0.2.0/24" }],
      ]);
    }
  });
});
