import { describe, expect, it } from "vitest";
import { minimalRepo } from "../../test/support.js";
import { loadRepository } from "../load/load.js";
import { MemoryRepoReader } from "../load/reader.js";
import { validateDocuments } from "../schema/validate.js";
import { resolveModel } from "./resolve.js";

function resolve(files: Record<string, string>) {
  const loaded = loadRepository(new MemoryRepoReader({ ...minimalRepo, ...files }));
  expect(loaded.diagnostics).toEqual([]);
  const valid = validateDocuments(loaded.documents);
  expect(valid.diagnostics).toEqual([]);
  return resolveModel(valid.documents);
}

const pools = (...specs: string[]) =>
  specs
    .map(
      (spec, i) =>
        `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-${i + 1}\nspec:\n${spec}`,
    )
    .join("---\n");

describe("resolveModel", () => {
  it("fills the Cluster's defaults", () => {
    const { model } = resolve({});
    const c = model!.cluster;
    expect([
      c.provider,
      c.install,
      c.calicoVersion,
      c.underlayMTU,
      c.vxlanPort,
      c.vxlanVNI,
    ]).toEqual(["bare-metal", "manifest", "v3.31.7", 1500, 4789, 4096]);
    expect(c.hostNetwork).toEqual({ mode: "calico", formats: ["netplan", "networkd"] });
    expect(c.outputDir).toBe("rendered");
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model!.topology.nodes[0])).toBe(true);
  });

  it("fills Calico's IPPool defaults for IPv4 and IPv6", () => {
    const { model } = resolve({
      "pools.yaml": pools("  cidr: 10.1.0.0/16\n", "  cidr: fd00:1::/48\n"),
    });
    const [v4, v6] = model!.pools;
    expect([
      v4!.blockSize,
      v4!.ipipMode,
      v4!.vxlanMode,
      v4!.nodeSelectorText,
      v4!.natOutgoing,
    ]).toEqual([26, "Never", "Never", "all()", false]);
    expect(v4!.allowedUses).toEqual(["Workload", "Tunnel"]);
    expect(v4!.assignmentMode).toBe("Automatic");
    expect(v6!.blockSize).toBe(122);
  });

  it("expands node groups with consecutive addresses, their labels, and the implicit labels", () => {
    const topology =
      `${minimalRepo["topology.yaml"]}      labels:\n        role: db\n  nodeGroups:\n    - namePrefix: w-\n      count: 3\n      subnet: rack-2\n      firstAddress: 10.0.2.254\n      interface: ens5\n      labels:\n        role: worker\n`.replace(
        "      cidr: 10.0.2.0/24\n",
        "      cidr: 10.0.2.0/23\n      zone: z2\n",
      );
    const { model, diagnostics } = resolve({ "topology.yaml": topology });
    expect(diagnostics).toEqual([]);
    const nodes = model!.topology.nodes;
    expect(
      nodes.map((n) => `${n.name} ${n.address!.text} ${n.interface} ${n.subnet!.name}`),
    ).toEqual([
      "node-1 10.0.1.10 eth0 rack-1",
      "node-2 10.0.2.10 eth0 rack-2",
      "w-1 10.0.2.254 ens5 rack-2",
      "w-2 10.0.2.255 ens5 rack-2",
      "w-3 10.0.3.0 ens5 rack-2",
    ]);
    expect(nodes[2]!.labels).toEqual({
      role: "worker",
      "kubernetes.io/hostname": "w-1",
      "topology.kubernetes.io/zone": "z2",
    });
    expect(nodes[1]!.labels).toEqual({
      role: "db",
      "kubernetes.io/hostname": "node-2",
      "topology.kubernetes.io/zone": "z2",
    });
    expect(nodes[2]!.group).toBe("w-");
  });

  it("gives each node of a group the subnets holding its own address, when one begins inside the group", () => {
    // A /30 inside rack-2 covers w-3..w-6 of a group running from 10.0.2.10 to 10.0.2.17; each
    // of the group's nodes gets the subnets a node written alone at its address would get.
    const subnets = (extra: string) =>
      minimalRepo["topology.yaml"]!.replace(
        "      cidr: 10.0.2.0/24\n",
        "      cidr: 10.0.2.0/24\n    - name: inner\n      cidr: 10.0.2.12/30\n",
      ) + extra;
    const grouped = resolve({
      "topology.yaml": subnets(
        "  nodeGroups:\n    - { namePrefix: w-, count: 8, subnet: rack-2, firstAddress: 10.0.2.10 }\n",
      ),
    });
    const alone = resolve({
      "topology.yaml": subnets(
        Array.from(
          { length: 8 },
          (_, i) => `    - { name: w-${i + 1}, address: 10.0.2.${10 + i} }\n`,
        ).join(""),
      ),
    });
    const shown = (r: typeof grouped) =>
      r.model!.topology.nodes.map(
        (n) =>
          `${n.name} ${n.subnets.map((s) => s.name).join(",")} ${n.ipv4!.subnets.map((s) => s.name).join(",")}`,
      );
    expect(grouped.diagnostics).toEqual([]);
    expect(shown(grouped).slice(2)).toEqual([
      "w-1 rack-2 rack-2",
      "w-2 rack-2 rack-2",
      "w-3 rack-2,inner rack-2,inner",
      "w-4 rack-2,inner rack-2,inner",
      "w-5 rack-2,inner rack-2,inner",
      "w-6 rack-2,inner rack-2,inner",
      "w-7 rack-2 rack-2",
      "w-8 rack-2 rack-2",
    ]);
    expect(shown(grouped)).toEqual(shown(alone));
  });

  it("reports a node group that does not fit its subnet, or names an unknown one", () => {
    const topology = `${minimalRepo["topology.yaml"]}  nodeGroups:\n    - namePrefix: w-\n      count: 300\n      subnet: rack-2\n      firstAddress: 10.0.2.10\n    - namePrefix: v-\n      count: 1\n      subnet: rack2\n      firstAddress: 10.0.2.10\n`;
    const { model, diagnostics } = resolve({ "topology.yaml": topology });
    expect(diagnostics.map((d) => [d.code, d.line, d.column, d.data])).toEqual([
      [
        "NC3001",
        20,
        21,
        { group: "w-", count: 300, first: "10.0.2.10", subnet: "rack-2", cidr: "10.0.2.0/24" },
      ],
      ["NC3002", 23, 15, { subnet: "rack2", hint: '; did you mean "rack-2"?' }],
    ]);
    expect(model!.topology.nodes).toHaveLength(2);
  });

  it("reports a node group that starts outside its subnet, at firstAddress", () => {
    const topology = `${minimalRepo["topology.yaml"]}  nodeGroups:\n    - { namePrefix: w-, count: 2, subnet: rack-2, firstAddress: "10.0.1.0020" }\n    - { namePrefix: v-, count: 2, subnet: rack-2, firstAddress: "fd00::0:1" }\n`;
    const { diagnostics } = resolve({ "topology.yaml": topology });
    // "10.0.1.0020" is no address (a node rule says so); the IPv6 one is shown canonically.
    expect(diagnostics.map((d) => [d.code, d.line, d.data])).toEqual([
      [
        "NC3009",
        18,
        {
          group: "v-",
          count: 2,
          first: "fd00::0:1",
          address: "fd00::1",
          subnet: "rack-2",
          cidr: "10.0.2.0/24",
        },
      ],
    ]);
  });

  it("reports Topology documents that disagree on routesWorkloadIPs, with the other one", () => {
    const { diagnostics } = resolve({
      "topology.yaml": `${minimalRepo["topology.yaml"]}  underlay: { routesWorkloadIPs: true }\n`,
      "more.yaml":
        "apiVersion: netcompile.dev/v1alpha1\nkind: Topology\nspec:\n  underlay: { routesWorkloadIPs: false }\n",
    });
    expect(diagnostics.map((d) => [d.code, d.file, d.data, d.related.map((r) => r.file)])).toEqual([
      ["NC3011", "topology.yaml", {}, ["more.yaml"]],
    ]);
  });

  it("selects nodes for each enabled pool with Calico selectors", () => {
    const topology = minimalRepo["topology.yaml"]!.replace(
      "      address: 10.0.2.10\n",
      "      address: 10.0.2.10\n      labels:\n        zone: b\n",
    );
    const { model } = resolve({
      "topology.yaml": topology,
      "pools.yaml": pools(
        "  cidr: 10.1.0.0/16\n  nodeSelector: zone == 'b'\n",
        '  cidr: 10.2.0.0/16\n  nodeSelector: "!has(zone)"\n',
        "  cidr: 10.3.0.0/16\n  disabled: true\n",
        "  cidr: 10.4.0.0/16\n  nodeSelector: \"kubernetes.io/hostname in {'node-1', 'node-2'}\"\n",
      ),
    });
    const byNode = (n: string) => model!.poolsByNode.get(n)!.map((p) => p.name);
    expect(byNode("node-1")).toEqual(["pool-2", "pool-4"]);
    expect(byNode("node-2")).toEqual(["pool-1", "pool-4"]);
    expect(model!.nodesByPool.get("pool-3")).toEqual([]);
  });

  it("lists the pools of nodes that share a name once per node each pool selects", () => {
    // node-1 twice (a rule reports it): pool-1 selects both, pool-2 only the second.
    const topology = minimalRepo["topology.yaml"]!.replace(
      "      address: 10.0.2.10\n",
      "      address: 10.0.2.10\n    - name: node-1\n      address: 10.0.2.11\n      labels:\n        zone: b\n",
    );
    const { model } = resolve({
      "topology.yaml": topology,
      "pools.yaml": pools(
        "  cidr: 10.1.0.0/16\n",
        "  cidr: 10.2.0.0/16\n  nodeSelector: zone == 'b'\n",
      ),
    });
    expect(model!.poolsByNode.get("node-1")!.map((p) => p.name)).toEqual([
      "pool-1",
      "pool-1",
      "pool-2",
    ]);
    expect(model!.poolsByNode.get("node-2")!.map((p) => p.name)).toEqual(["pool-1"]);
    expect([...model!.poolsByNode.keys()]).toEqual(["node-1", "node-2"]);
    expect(model!.nodesByPool.get("pool-2")!.map((n) => n.address!.text)).toEqual(["10.0.2.11"]);
  });

  it.each([
    [["  cidr: 10.1.0.0/16\n  vxlanMode: Always\n"], "vxlan"],
    [
      [
        "  cidr: 10.1.0.0/16\n  vxlanMode: CrossSubnet\n",
        "  cidr: fd00::/48\n  vxlanMode: Always\n",
      ],
      "vxlan",
    ],
    [["  cidr: 10.1.0.0/16\n  ipipMode: Always\n"], "bird"],
    [["  cidr: 10.1.0.0/16\n"], "bird"],
    [["  cidr: 10.1.0.0/16\n  vxlanMode: Always\n", "  cidr: 10.2.0.0/16\n"], "bird"],
    // A disabled pool still needs BIRD: its workloads keep their addresses until they move.
    [
      ["  cidr: 10.1.0.0/16\n  vxlanMode: Always\n", "  cidr: 10.2.0.0/16\n  disabled: true\n"],
      "bird",
    ],
  ])("derives the backend from the pools (%j -> %s)", (specs, backend) => {
    const { model } = resolve({ "pools.yaml": pools(...specs) });
    expect(model!.cluster.backend).toBe(backend);
    expect(model!.cluster.backendDerived).toBe(true);
  });

  it("keeps an explicit backend", () => {
    const cluster = `${minimalRepo["netcompile.yaml"]}  networking:\n    backend: none\n`;
    const { model } = resolve({ "netcompile.yaml": cluster });
    expect([model!.cluster.backend, model!.cluster.backendDerived]).toEqual(["none", false]);
  });

  it.each([
    [["  cidr: 10.1.0.0/16\n  ipipMode: Always\n"], 1500, 1480],
    [["  cidr: 10.1.0.0/16\n  vxlanMode: Always\n"], 1500, 1450],
    [["  cidr: fd00::/48\n  vxlanMode: Always\n"], 1500, 1430],
    [
      ["  cidr: 10.1.0.0/16\n  ipipMode: Always\n", "  cidr: 10.2.0.0/16\n  vxlanMode: Always\n"],
      1500,
      1450,
    ],
    [["  cidr: 10.1.0.0/16\n"], 9001, 9001],
  ])(
    "derives the pod MTU from the smallest subnet MTU and the largest overhead (%j)",
    (specs, underlay, pod) => {
      const cluster = `${minimalRepo["netcompile.yaml"]}  networking:\n    underlayMTU: ${underlay}\n`;
      const { model } = resolve({ "netcompile.yaml": cluster, "pools.yaml": pools(...specs) });
      expect(model!.podMTU).toBe(pod);
      expect(model!.effectiveUnderlayMTU).toBe(underlay);
    },
  );

  it("counts disabled pools as Felix does: a disabled IP-in-IP pool keeps BIRD, the tunnel and its MTU", () => {
    const { model } = resolve({
      "pools.yaml": pools(
        "  cidr: 192.168.0.0/16\n  ipipMode: CrossSubnet\n  disabled: true\n",
        "  cidr: 10.244.0.0/16\n  vxlanMode: CrossSubnet\n",
      ),
    });
    expect(model!.cluster.backend).toBe("bird");
    expect([...model!.encapsulations].sort()).toEqual(["ipip", "vxlan"]);
    expect(model!.podMTU).toBe(1450);
  });

  it("derives backend vxlan only when every pool, disabled ones included, uses VXLAN", () => {
    const { model } = resolve({
      "pools.yaml": pools(
        "  cidr: 192.168.0.0/16\n  vxlanMode: Always\n  disabled: true\n",
        "  cidr: 10.244.0.0/16\n  vxlanMode: CrossSubnet\n",
      ),
    });
    expect([model!.cluster.backend, model!.cluster.backendDerived]).toEqual(["vxlan", true]);
    const unencapsulated = resolve({
      "pools.yaml": pools(
        "  cidr: 192.168.0.0/16\n  disabled: true\n",
        "  cidr: 10.244.0.0/16\n  vxlanMode: Always\n",
      ),
    });
    expect(unencapsulated.model!.cluster.backend).toBe("bird");
  });

  it("takes the smallest MTU of the subnets that hold nodes", () => {
    const topology = minimalRepo["topology.yaml"]!.replace(
      "      cidr: 10.0.2.0/24\n",
      "      cidr: 10.0.2.0/24\n      mtu: 1400\n",
    );
    const withEmpty = topology.replace(
      "  nodes:",
      "    - name: empty\n      cidr: 10.9.0.0/24\n      mtu: 576\n  nodes:",
    );
    const { model } = resolve({ "topology.yaml": withEmpty });
    expect(model!.topology.subnets.map((s) => s.mtu)).toEqual([1500, 1400, 576]);
    expect(model!.effectiveUnderlayMTU).toBe(1400);
    expect(model!.podMTU).toBe(1380);
  });

  describe("the underlay MTU by provider", () => {
    const on = (provider: string, more = "") =>
      `${minimalRepo["netcompile.yaml"]!.replace("bare-metal", provider)}${more}`;
    const vxlan = pools("  cidr: 10.244.0.0/16\n  vxlanMode: Always\n");

    it.each([
      ["aws", 9001, 8951],
      ["gcp", 1460, 1410],
      ["azure", 1500, 1450],
      ["openstack", 1500, 1450],
      ["bare-metal", 1500, 1450],
      ["other", 1500, 1450],
    ])("%s: %i when nothing is declared, so VXLAN pods get %i", (provider, underlay, pod) => {
      const { model } = resolve({ "netcompile.yaml": on(provider), "pools.yaml": vxlan });
      expect(model!.underlayMTU).toEqual({
        mtu: underlay,
        origin: { kind: "provider", provider },
        subnet: "rack-1",
      });
      expect(model!.podMTU).toBe(pod);
      expect(model!.topology.subnets.map((s) => [s.mtu, s.declaredMTU])).toEqual([
        [underlay, undefined],
        [underlay, undefined],
      ]);
    });

    it("a declared figure wins over the provider's, and says where it is", () => {
      const cluster = on("gcp", "  networking:\n    underlayMTU: 8896\n");
      const topology = minimalRepo["topology.yaml"]!.replace(
        "      cidr: 10.0.2.0/24\n",
        "      cidr: 10.0.2.0/24\n      mtu: 8800\n",
      );
      const { model } = resolve({ "netcompile.yaml": cluster, "topology.yaml": topology });
      expect(model!.topology.subnets.map((s) => [s.mtu, s.mtuOrigin, s.declaredMTU])).toEqual([
        [8896, { kind: "cluster" }, 8896],
        [8800, { kind: "subnet", subnet: "rack-2" }, 8800],
      ]);
      expect(model!.underlayMTU).toEqual({
        mtu: 8800,
        origin: { kind: "subnet", subnet: "rack-2" },
        subnet: "rack-2",
      });
    });

    it("AWS: subnets in different VPCs meet AWS's 1500 limit for traffic leaving a VPC", () => {
      const inVpcs = (a: string, b: string) =>
        minimalRepo["topology.yaml"]!.replace(
          "      cidr: 10.0.1.0/24\n",
          `      cidr: 10.0.1.0/24\n${a}`,
        ).replace("      cidr: 10.0.2.0/24\n", `      cidr: 10.0.2.0/24\n${b}`);
      const vpc = (name: string) => `      vpc: ${name}\n`;
      const boundary = resolve({
        "netcompile.yaml": on("aws"),
        "topology.yaml": inVpcs(vpc("prod"), vpc("shared")),
      }).model!;
      expect(boundary.underlayMTU).toEqual({
        mtu: 1500,
        origin: { kind: "vpc-boundary", subnets: ["rack-1", "rack-2"] },
        subnet: undefined,
      });
      expect(boundary.podMTU).toBe(1480);
      // One VPC named twice, or none named: inside one VPC.
      for (const [a, b] of [
        [vpc("prod"), vpc("prod")],
        ["", ""],
      ] as const) {
        const one = resolve({ "netcompile.yaml": on("aws"), "topology.yaml": inVpcs(a, b) });
        expect(one.model!.underlayMTU.mtu).toBe(9001);
      }
      // A subnet that names no VPC is not known to share one with a subnet that names it.
      const half = resolve({
        "netcompile.yaml": on("aws"),
        "topology.yaml": inVpcs(vpc("prod"), ""),
      });
      expect(half.model!.underlayMTU.origin.kind).toBe("vpc-boundary");
      // Elsewhere, `vpc` limits nothing.
      const gcp = resolve({
        "netcompile.yaml": on("gcp"),
        "topology.yaml": inVpcs(vpc("a"), vpc("b")),
      });
      expect(gcp.model!.underlayMTU.mtu).toBe(1460);
    });
  });
});
