import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, minimalRepo, readTree, removeDir, testdir } from "../../../test/support.js";

const cases = join(import.meta.dirname, "..", "..", "..", "fixtures", "cases");
const repo = (name: string) => join(cases, name, "input");

interface ExplainJson {
  version: number;
  hostNetwork: string;
  nodes: {
    name: string;
    podCIDR: string | null;
    addressV6: string | null;
    podCIDRV6: string | null;
  }[];
  paths: {
    from: string;
    to: string;
    pool: { name: string };
    family: number;
    decision: string;
    missing: string | null;
    reason: {
      code: string;
      localSubnet: { name: string } | null;
      remoteAddress: string | null;
      contains: boolean;
    };
    device: string;
    mtu: number;
    route: {
      exists: boolean;
      missing: string | null;
      destination: string | null;
      gateway: string | null;
      device: string;
      onLink: boolean;
      installedBy: string;
    };
  }[];
}

async function explainJson(name: string, a: string, b: string): Promise<ExplainJson> {
  const r = await cli(["explain", "--repo", repo(name), a, b, "--format", "json"], cases);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ExplainJson;
}

describe("netcompile explain", () => {
  it("static CrossSubnet: direct inside a subnet, VXLAN across, with the subnet that decides", async () => {
    const same = await explainJson("static-vxlan-cross-subnet", "edge-a1", "edge-a2");
    expect(
      same.paths.map((p) => [p.from, p.to, p.decision, p.reason.code, p.device, p.mtu]),
    ).toEqual([
      ["edge-a1", "edge-a2", "direct", "cross-subnet-same-subnet", "eth0", 1500],
      ["edge-a2", "edge-a1", "direct", "cross-subnet-same-subnet", "eth0", 1500],
    ]);
    expect(same.paths[0]!.route).toEqual({
      exists: true,
      missing: null,
      destination: "10.244.16.64/26",
      destinationText: "10.244.16.64/26",
      gateway: "10.10.1.12",
      gatewayText: "10.10.1.12",
      device: "eth0",
      onLink: false,
      installedBy: "systemd-networkd",
      installedText: "installed by systemd-networkd",
    });
    const cross = await explainJson("static-vxlan-cross-subnet", "edge-a1", "edge-b2");
    expect(cross.paths[0]).toMatchObject({
      decision: "vxlan",
      reason: {
        code: "cross-subnet-other-subnet",
        localSubnet: { name: "rack-a" },
        remoteAddress: "10.10.2.12",
        contains: false,
      },
      device: "nc-vxlan",
      mtu: 1450,
      route: { destination: "10.244.32.64/26", gateway: "10.244.32.64", onLink: true },
    });
  });

  it("dual-stack: each pool decided with the nodes' addresses of its family, IPv6 VXLAN to the IPv6 underlay at 70 bytes less", async () => {
    const cross = await explainJson("static-vxlan-dual-stack", "edge-a1", "edge-b1");
    expect(cross.nodes.map((n) => [n.name, n.addressV6, n.podCIDR, n.podCIDRV6])).toEqual([
      ["edge-a1", "fd00:10:1::11", "10.244.16.0/26", "fd00:244:0:16::/122"],
      ["edge-b1", "fd00:10:2::11", "10.244.32.0/26", "fd00:244:0:32::/122"],
    ]);
    const ab = cross.paths.filter((p) => p.from === "edge-a1");
    expect(ab.map((p) => [p.pool.name, p.family, p.decision, p.device, p.mtu, p.missing])).toEqual([
      ["edge-pods", 4, "vxlan", "nc-vxlan", 1450, null],
      ["edge-pods-v6", 6, "vxlan", "nc-vxlan-v6", 1430, null],
    ]);
    expect(ab[1]!.reason).toMatchObject({
      code: "cross-subnet-other-subnet",
      localSubnet: { name: "rack-a-v6" },
      remoteAddress: "fd00:10:2::11",
      contains: false,
    });
    expect(ab[1]!.route).toMatchObject({ destination: "fd00:244:0:32::/122", onLink: true });
    const same = await explainJson("static-vxlan-dual-stack", "edge-a1", "edge-a2");
    const v6 = same.paths.find((p) => p.from === "edge-a1" && p.family === 6)!;
    expect([v6.decision, v6.device, v6.mtu, v6.route.gateway]).toEqual([
      "direct",
      "eth0",
      1500,
      "fd00:10:1::12",
    ]);
    const text = await cli(
      ["explain", "--repo", repo("static-vxlan-dual-stack"), "edge-a1", "edge-b1"],
      cases,
    );
    expect(text.stdout).toContain(
      "  edge-a1  10.10.1.11 on eth0 (rack-a 10.10.1.0/24, MTU 1500 (default for bare-metal)), fd00:10:1::11 (rack-a-v6 fd00:10:1::/64, MTU 1500 (default for bare-metal)), pod CIDR 10.244.16.0/26, IPv6 pod CIDR fd00:244:0:16::/122",
    );
    expect(text.stdout).toContain(
      "does not contain edge-b1's IPv6 address fd00:10:2::11: across subnets packets are encapsulated",
    );
    // The IPv6 tunnel's MTU from the IPv6 subnets' underlay (the provider's default) less 70,
    // and the firewall between the nodes' IPv6 addresses.
    expect(text.stdout).toContain(
      "  mtu     1430 = the underlay's 1500 (nothing declares one: Ethernet's MTU, the default for provider bare-metal (tigera/docs calico/networking/configuring/mtu.mdx)) less 70 bytes of IPv6 VXLAN header",
    );
    expect(text.stdout).toContain(
      "  allow   UDP 4789 (VXLAN) between fd00:10:1::11 and fd00:10:2::11, both ways, in the firewalls",
    );
  });

  it("WireGuard (calico mode): names wireguard.cali, its MTU, port and Felix's rule before the route", async () => {
    const input = join(cases, "vxlan-always", "input");
    const files = Object.fromEntries(
      ["ippool.yaml", "topology.yaml"].map((f) => [f, readFileSync(join(input, f), "utf8")]),
    );
    const cluster = readFileSync(join(input, "netcompile.yaml"), "utf8");
    const work = testdir({
      ...files,
      "netcompile.yaml": `${cluster}  networking:\n    wireguard:\n      ipv4: true\n`,
    });
    try {
      const r = await cli(["explain", "--repo", work, "node-a1", "node-b1"], work);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("device  vxlan.calico, MTU 1440");
      expect(r.stdout).toContain(
        "  wireguard wireguard.cali, MTU 1440: encrypted as UDP 51820 to 10.10.1.11 once node-b1 has published its key (Felix's ip rule, priority 99, looks up its WireGuard table before the route below)",
      );
      // The firewalls must admit WireGuard's port as well as VXLAN's, WireGuard's first.
      expect(r.stdout).toMatch(
        /\n {2}allow {3}UDP 51820 \(WireGuard\) between \S+ and 10\.10\.1\.11, both ways, in the [^\n]+\n {2}allow {3}UDP 4789 \(VXLAN\)/,
      );
      const json = await cli(
        ["explain", "--repo", work, "node-a1", "node-b1", "--format", "json"],
        work,
      );
      const parsed = JSON.parse(json.stdout) as { paths: { wireguard: unknown }[] };
      expect(parsed.paths[0]!.wireguard).toMatchObject({
        device: "wireguard.cali",
        mtu: 1440,
        port: 51820,
        rulePriority: 99,
        underlay: "10.10.1.11",
        firewall: { carrier: "wireguard", protocol: "udp", number: 51820, text: "UDP 51820" },
      });
    } finally {
      removeDir(work);
    }
  });

  it("says what the host files install (one source of truth)", async () => {
    const work = testdir({});
    try {
      const built = await cli(
        ["build", "--repo", repo("static-vxlan-cross-subnet"), "--out", join(work, "out")],
        work,
      );
      expect(built.code, built.stderr).toBe(0);
      const tree = readTree(join(work, "out"));
      for (const [a, b] of [
        ["edge-a1", "edge-a2"],
        ["edge-a1", "edge-b1"],
        ["edge-b2", "edge-a2"],
      ] as const) {
        const { paths } = await explainJson("static-vxlan-cross-subnet", a, b);
        for (const p of paths) {
          const file =
            p.device === "eth0"
              ? "10-netcompile-eth0.network"
              : `20-netcompile-${p.device}.network`;
          const text = tree[`hosts/${p.from}/networkd/${file}`]!;
          const route = `[Route]\nDestination=${p.route.destination}\nGateway=${p.route.gateway}\n${p.route.onLink ? "GatewayOnLink=yes\n" : ""}`;
          expect(text, `${p.from} -> ${p.to}`).toContain(route);
        }
      }
    } finally {
      removeDir(work);
    }
  });

  it("prints the decision and why as text; calico mode names Felix's device and who installs the route", async () => {
    const r = await cli(
      ["explain", "--repo", repo("ipip-cross-subnet"), "node-a1", "node-b1"],
      cases,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("node-a1 -> node-b1: IP-in-IP");
    expect(r.stdout).toContain(
      "why     pool ippool-cross-subnet-1 has ipipMode CrossSubnet, and subnet-a (10.10.0.0/24), node-a1's subnet, does not contain node-b1's address 10.10.1.11: across subnets packets are encapsulated",
    );
    expect(r.stdout).toContain("device  tunl0, MTU 1480");
    expect(r.stdout).toContain(
      "route   node-b1's /26 blocks of 192.168.0.0/16 via 10.10.1.11 dev tunl0 onlink  (installed by bird)",
    );
    const same = await cli(
      ["explain", "--repo", repo("ipip-cross-subnet"), "node-a1", "node-a2"],
      cases,
    );
    expect(same.stdout).toContain("node-a1 -> node-a2: direct (no encapsulation)");
    expect(same.stdout).toContain("device  eth0, MTU 1500");
  });

  it("prints no route that will not exist: a node without a tunnel address, a backend that programs nothing", async () => {
    const pool = (...spec: string[]) =>
      [
        "apiVersion: projectcalico.org/v3",
        "kind: IPPool",
        "metadata:",
        "  name: p",
        "spec:",
        "  cidr: 10.244.0.0/16",
        ...spec.map((l) => `  ${l}`),
        "",
      ].join("\n");
    const cluster = (...lines: string[]) =>
      `${minimalRepo["netcompile.yaml"]}${lines.map((l) => `  ${l}\n`).join("")}`;
    const explain = async (files: Record<string, string>) => {
      const dir = testdir({ ...minimalRepo, ...files });
      try {
        const text = await cli(["explain", "--repo", dir, "node-1", "node-2"], dir);
        const json = await cli(
          ["explain", "--repo", dir, "node-1", "node-2", "--format", "json"],
          dir,
        );
        expect(text.code, text.stderr).toBe(0);
        return { text: text.stdout, json: JSON.parse(json.stdout) as ExplainJson };
      } finally {
        removeDir(dir);
      }
    };

    // The rule says so too (pool-tunnel-address), turned off here to see explain on its own.
    const noTunnel = await explain({
      "netcompile.yaml": cluster("rules:", '  pool-tunnel-address: "off"'),
      "pools.yaml": pool("vxlanMode: Always", "allowedUses: [Workload]"),
    });
    expect(noTunnel.text).toContain("node-1 -> node-2: VXLAN, but no route");
    expect(noTunnel.text).toContain(
      "route   none: node-1 and node-2 get no VXLAN tunnel address (no enabled pool with the Tunnel use and vxlanMode on selects them), so no VTEP there",
    );
    expect(noTunnel.text).not.toContain("vxlan   neighbour");
    expect(noTunnel.json.paths[0]!.route).toMatchObject({
      exists: false,
      destination: null,
      gateway: null,
    });

    // Nor what the route would need: no firewall opening, no routers, no installer, on a cloud too.
    const aws = (files: Record<string, string>) =>
      explain({
        ...files,
        "netcompile.yaml": files["netcompile.yaml"]!.replace("bare-metal", "aws"),
      });
    const awsNoTunnel = await aws({
      "netcompile.yaml": cluster("rules:", '  pool-tunnel-address: "off"'),
      "pools.yaml": pool("vxlanMode: Always", "allowedUses: [Workload]"),
    });
    const awsTunnel = await aws({
      "netcompile.yaml": cluster(),
      "pools.yaml": pool("vxlanMode: Always"),
    });
    expect(awsTunnel.text).toContain("  allow   UDP 4789");
    expect(awsNoTunnel.text).toContain(
      "route   none: node-1 and node-2 get no VXLAN tunnel address",
    );
    expect(awsNoTunnel.text).toContain("  mtu     ");
    expect(awsNoTunnel.text).not.toContain("  allow   ");
    const [withRoute] = awsTunnel.json.paths as unknown as Record<string, unknown>[];
    const [without] = awsNoTunnel.json.paths as unknown as Record<string, unknown>[];
    expect(withRoute!.firewall).not.toBeNull();
    expect(without).toMatchObject({ firewall: null, routed: null, vxlan: null });
    expect(without!.route).toMatchObject({ exists: false, installedText: null });

    const vxlanBackend = await explain({
      "netcompile.yaml": cluster(
        "networking: {backend: vxlan}",
        "rules:",
        '  ipip-requires-bgp: "off"',
      ),
    });
    expect(vxlanBackend.text).toContain(
      "route   none: backend vxlan: BIRD, which programs IP-in-IP routes, does not run",
    );
  });

  it("exits 3 for an unknown or repeated node, 1 when there is no model to explain", async () => {
    const unknown = await cli(
      ["explain", "--repo", repo("static-vxlan-always"), "edge-a1", "edge-a9"],
      cases,
    );
    expect([unknown.code, unknown.stdout]).toEqual([3, ""]);
    expect(unknown.stderr).toContain('no node named "edge-a9"');
    const twice = await cli(
      ["explain", "--repo", repo("static-vxlan-always"), "edge-a1", "edge-a1"],
      cases,
    );
    expect(twice.code).toBe(3);
    const missing = await cli(["explain", "--repo", repo("static-vxlan-always"), "edge-a1"], cases);
    expect(missing.code).toBe(3);
    const bad = await cli(["explain", "--repo", repo("bad-broken-yaml"), "a", "b"], cases);
    expect([bad.code, bad.stdout]).toEqual([1, ""]);
    expect(bad.stderr).toContain("NC1001");
  });

  describe("a repository of its own", () => {
    const dirs: string[] = [];
    afterAll(() => dirs.forEach(removeDir));
    const cluster = (spec: string) =>
      `apiVersion: netcompile.dev/v1alpha1\nkind: Cluster\nmetadata: { name: c }\nspec:\n${spec}`;
    const topology = (spec: string) =>
      `apiVersion: netcompile.dev/v1alpha1\nkind: Topology\nmetadata: { name: t }\nspec:\n${spec}`;
    const pool = (spec: string) =>
      `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: { name: p }\nspec: { cidr: 10.244.0.0/16, ${spec} }\n`;
    /** Two racks behind routers; a1 in rack-a (gateway .1), b1 in rack-b (`rackB` fields). */
    const racks = (rackB = "gateway: 172.20.2.1", underlay = "") =>
      topology(`${underlay}  subnets:
    - { name: rack-a, cidr: 172.20.1.0/24, gateway: 172.20.1.1 }
    - { name: rack-b, cidr: 172.20.2.0/24, ${rackB} }
  nodes:
    - { name: a1, address: 172.20.1.11, interface: bond0 }
    - { name: a2, address: 172.20.1.12, interface: bond0 }
    - { name: b1, address: 172.20.2.11, interface: bond0 }
`);
    async function explain(files: Record<string, string>, a = "a1", b = "b1") {
      const dir = testdir(files);
      dirs.push(dir);
      const text = await cli(["explain", "--repo", dir, a, b], dir);
      const json = await cli(["explain", "--repo", dir, a, b, "--format", "json"], dir);
      expect(text.code, text.stderr).toBe(0);
      return { text: text.stdout, json: JSON.parse(json.stdout) as ExplainMore };
    }
    interface ExplainMore {
      underlayMTU: { mtu: number; origin: unknown; text: string };
      bgp: { protocol: string; number: number } | null;
      paths: {
        from: string;
        mtu: number;
        mtuText: string;
        route: { gateway: string | null; destinationText: string; installedBy: string };
        routed: {
          nextHop: string;
          gatewayFrom: string;
          routersLearn: string | null;
          how: string;
        } | null;
        interfacePrefix: string | null;
        interfacePrefixText: string | null;
        firewall: { protocol: string; number: number; text: string } | null;
      }[];
    }

    it("says where the MTU comes from: a provider's default with its source, or what is declared", async () => {
      const gcp = await explain({
        "netcompile.yaml": cluster("  provider: gcp\n"),
        "topology.yaml": racks(),
        "pools.yaml": pool("vxlanMode: Always"),
      });
      expect(gcp.json.underlayMTU).toMatchObject({
        mtu: 1460,
        origin: { kind: "provider", provider: "gcp" },
      });
      expect(gcp.json.paths[0]!.mtu).toBe(1410);
      expect(gcp.text).toContain(
        "  mtu     1410 = the underlay's 1460 (nothing declares one: the default MTU of a Google Cloud VPC network, the default for provider gcp (https://cloud.google.com/vpc/docs/mtu;",
      );
      expect(gcp.text).toContain("less 50 bytes of VXLAN header, the largest in use");
      expect(gcp.text).toContain("(rack-a 172.20.1.0/24, MTU 1460 (default for gcp))");
      const declared = await explain({
        "netcompile.yaml": cluster("  provider: gcp\n"),
        "topology.yaml": racks("gateway: 172.20.2.1, mtu: 1400"),
        "pools.yaml": pool("vxlanMode: Always"),
      });
      expect(declared.json.paths[0]!.mtuText).toBe(
        "1350 = the underlay's 1400 (subnet rack-b's mtu, the smallest of the subnets that hold nodes) less 50 bytes of VXLAN header, the largest in use",
      );
      const aws = await explain({
        "netcompile.yaml": cluster("  provider: aws\n"),
        "topology.yaml": racks("gateway: 172.20.2.1, vpc: peered"),
        "pools.yaml": pool("ipipMode: Always"),
      });
      expect(aws.json.paths[0]!.mtuText).toMatch(
        /^1480 = the underlay's 1500 \(subnets rack-a and rack-b are in different VPCs, and AWS's limit for traffic that leaves a VPC .* is 1500 \(https:\/\/docs\.aws\.amazon\.com\/AWSEC2\/latest\/UserGuide\/network_mtu\.html\)\) less 20 bytes of IP-in-IP header/,
      );
    });

    it("names what the firewalls must admit: IP protocol 4, the VXLAN port, TCP 179 for BGP", async () => {
      const ipip = await explain({
        "netcompile.yaml": cluster("  provider: aws\n"),
        "topology.yaml": racks(),
        "pools.yaml": pool("ipipMode: CrossSubnet"),
      });
      expect(ipip.json.paths[0]!.firewall).toEqual({
        carrier: "ipip",
        protocol: "ip",
        number: 4,
        text: "IP protocol 4",
      });
      expect(ipip.json.bgp).toMatchObject({ protocol: "tcp", number: 179 });
      expect(ipip.text).toContain(
        "  allow   IP protocol 4 (IP-in-IP) between 172.20.1.11 and 172.20.2.11, both ways, in the security groups",
      );
      expect(ipip.text).toContain(
        "  bgp     TCP 179 (BGP) between 172.20.1.11 and 172.20.2.11, both ways, in the security groups",
      );
      const vxlan = await explain({
        "netcompile.yaml": cluster("  provider: gcp\n  networking: { vxlanPort: 4790 }\n"),
        "topology.yaml": racks(),
        "pools.yaml": pool("vxlanMode: Always"),
      });
      expect(vxlan.json.paths[0]!.firewall).toMatchObject({ protocol: "udp", number: 4790 });
      expect(vxlan.json.bgp).toBeNull();
      expect(vxlan.text).toContain("UDP 4790 (VXLAN)");
      expect(vxlan.text).toContain("in the VPC firewall rules");
      // Inside a subnet a CrossSubnet path is direct: no tunnel to admit.
      const direct = await explain(
        {
          "netcompile.yaml": cluster("  provider: bare-metal\n"),
          "topology.yaml": racks(),
          "pools.yaml": pool("ipipMode: CrossSubnet"),
        },
        "a1",
        "a2",
      );
      expect(direct.json.paths.map((p) => p.firewall)).toEqual([null, null]);
    });

    it("a routed underlay: BIRD resolves the next hop through the gateway, and the routers must learn the blocks", async () => {
      const routed = await explain({
        "netcompile.yaml": cluster("  provider: bare-metal\n"),
        "topology.yaml": racks("dhcp: true", "  underlay: { routesWorkloadIPs: true }\n"),
        "pools.yaml": pool("natOutgoing: true"),
      });
      const [there, back] = routed.json.paths;
      // Never "via 172.20.2.11 dev bond0": the kernel refuses a next hop outside bond0's subnet.
      expect(there!.route).toMatchObject({ gateway: "172.20.1.1", installedBy: "bird" });
      expect(there!.routed).toEqual({
        nextHop: "172.20.2.11",
        gateway: "172.20.1.1",
        gatewayFrom: "subnet",
        routersLearn: null,
        aggregated: false,
        how: "bgp",
        text: expect.stringContaining("peer them with the nodes over BGP") as unknown,
      });
      expect(routed.text).toContain(
        "  route   b1's /26 blocks of 10.244.0.0/16 via 172.20.1.1 dev bond0  (installed by bird: the BGP next hop 172.20.2.11 is not on bond0's subnet, so BIRD resolves it recursively, through rack-a's gateway 172.20.1.1)",
      );
      expect(routed.text).toContain(
        "  routers the routers between rack-a and rack-b must route b1's /26 blocks of 10.244.0.0/16 to 172.20.2.11: peer them with the nodes over BGP (BGPPeer)",
      );
      expect(routed.text).not.toContain("via 172.20.2.11");
      expect(back!.route.gateway).toBeNull();
      expect(back!.routed).toMatchObject({ nextHop: "172.20.1.11", gatewayFrom: "dhcp" });
      expect(routed.text).toContain("via the gateway DHCP gives dev bond0");

      // A pool only b1 takes addresses from: one static route for the whole pool.
      const one = await explain({
        "netcompile.yaml": cluster("  provider: bare-metal\n"),
        "topology.yaml": racks(undefined, "  underlay: { routesWorkloadIPs: true }\n"),
        "pools.yaml": pool('nodeSelector: kubernetes.io/hostname == "b1"'),
      });
      expect(one.json.paths[0]!.routed).toMatchObject({
        routersLearn: "10.244.0.0/16",
        aggregated: true,
        how: "static",
      });

      // Static hosts route another subnet's pods through their default route.
      const statics = await explain({
        "netcompile.yaml": cluster("  provider: bare-metal\n  hostNetwork: { mode: static }\n"),
        "topology.yaml": racks(undefined, "  underlay: { routesWorkloadIPs: true }\n"),
        "pools.yaml": pool("natOutgoing: true"),
      });
      const s = statics.json.paths[0]!;
      expect(s.route).toMatchObject({ destinationText: "default", gateway: "172.20.1.1" });
      expect(s.routed).toMatchObject({ how: "static", aggregated: false });
      expect(s.routed!.routersLearn).toMatch(/^10\.244\.\d+\.\d+\/26$/);
      expect(statics.text).toContain(
        "  route   default via 172.20.1.1 dev bond0  (the host files add no route to b1's pod CIDR",
      );
      expect(statics.text).toContain("a static route (static hosts run no BGP)");
    });

    it("says when the CrossSubnet decision assumes the interface prefix, which netcompile does not set", async () => {
      const files = (rackB: string, hostNetwork = "") => ({
        "netcompile.yaml": cluster(`  provider: bare-metal\n${hostNetwork}`),
        "topology.yaml": racks(rackB),
        "pools.yaml": pool("vxlanMode: CrossSubnet"),
      });
      const dhcp = await explain(files("dhcp: true"), "b1", "a1");
      expect(dhcp.json.paths.map((p) => [p.from, p.interfacePrefix])).toEqual([
        ["b1", "dhcp"],
        ["a1", "host-files"],
      ]);
      expect(dhcp.text).toContain(
        "  prefix  assumes b1's bond0 carries 172.20.2.11/24 (rack-b's prefix): DHCP sets it, not netcompile, and Calico decides \"same subnet\" with the prefix on the interface (wider: direct across a router, which drops it; /32: always encapsulated)",
      );
      const off = await explain(files("gateway: 172.20.2.1", "  hostNetwork: { formats: [] }\n"));
      expect(off.json.paths.map((p) => p.interfacePrefix)).toEqual([
        "no-host-files",
        "no-host-files",
      ]);
      expect(off.text).toContain("netcompile renders no host files that set it");
      const set = await explain(files("gateway: 172.20.2.1"));
      expect(set.json.paths.map((p) => [p.interfacePrefix, p.interfacePrefixText])).toEqual([
        ["host-files", null],
        ["host-files", null],
      ]);
      expect(set.text).not.toContain("  prefix  ");
    });
  });
});
