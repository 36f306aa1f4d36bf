/**
 * Tests of the host harness itself, using HAND-WRITTEN networkd / netplan files (not netcompile
 * output). Tests that cannot run on this host are reported as skipped with the reason.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  LAB_CAPABILITIES,
  PARSE_CHECK_CAPABILITIES,
  ROUTER,
  createLab,
  hostTestingAvailable,
  netplanGenerate,
  networkdParseCheck,
  type Lab,
  type NetworkdFiles,
} from "./harness.js";

const parseCheckAvailable = hostTestingAvailable(PARSE_CHECK_CAPABILITIES);
const netplanAvailable = hostTestingAvailable(["netplan"]);
const labAvailable = hostTestingAvailable(LAB_CAPABILITIES);

function skipReason(a: { ok: true } | { ok: false; reason: string }): string {
  return a.ok ? "" : `host testing unavailable: ${a.reason}`;
}

describe("networkdParseCheck", () => {
  it("reports an unknown key and is silent for a clean file", async (ctx) => {
    ctx.skip(!parseCheckAvailable.ok, skipReason(parseCheckAvailable));

    const [bad, clean] = await Promise.all([
      networkdParseCheck({
        network: {
          "10-eth0.network": [
            "[Match]",
            "Name=eth0",
            "",
            "[Network]",
            "Address=10.20.0.2/24",
            "NoSuchKey=yes",
            "",
          ].join("\n"),
        },
      }),
      networkdParseCheck(
        {
          network: {
            "10-eth0.network": "[Match]\nName=eth0\n\n[Network]\nAddress=10.20.0.2/24\n",
          },
          confDropIns: {
            "10-foreign.conf":
              "[Network]\nManageForeignRoutes=no\nManageForeignRoutingPolicyRules=no\n",
          },
        },
        { links: ["eth0"] },
      ),
    ]);

    expect(bad.warnings).toHaveLength(1);
    expect(bad.warnings[0]).toContain("Unknown key 'NoSuchKey' in section [Network]");
    expect(bad.findings[0]).toMatchObject({
      kind: "unknown-key",
      file: "10-eth0.network",
      line: 6,
    });

    expect(clean.warnings).toEqual([]);
    // Proves networkd really read the file (an unreadable directory would also give no warnings).
    expect(clean.log).toContain("eth0: Configuring with /etc/systemd/network/10-eth0.network");
  });
});

const VALID_NETPLAN = `network:
  version: 2
  renderer: networkd
  ethernets:
    eth0:
      addresses: [10.10.1.11/24]
  tunnels:
    vxlan0:
      mode: vxlan
      id: 4096
      port: 4789
      link: eth0
      local: 10.10.1.11
      mtu: 1450
`;

const INVALID_NETPLAN = `network:
  version: 2
  renderer: networkd
  tunnels:
    vxlan0:
      mode: vxlan
      vni: 4096
      port: 4789
      local: 10.10.1.11
`;

describe("netplanGenerate", () => {
  it("accepts a valid VXLAN tunnel and rejects an invalid one with FILE:LINE:COL", async (ctx) => {
    ctx.skip(!netplanAvailable.ok, skipReason(netplanAvailable));

    const good = await netplanGenerate({ "50-vxlan.yaml": VALID_NETPLAN });
    expect(good.stderr).toBe("");
    expect(good.ok).toBe(true);
    expect(Object.keys(good.outputs).sort()).toEqual([
      "10-netplan-eth0.network",
      "10-netplan-vxlan0.netdev",
      "10-netplan-vxlan0.network",
    ]);
    const netdev = good.outputs["10-netplan-vxlan0.netdev"] ?? "";
    expect(netdev).toMatch(/^Kind=vxlan$/m);
    expect(netdev).toMatch(/^VNI=4096$/m);
    expect(netdev).toMatch(/^DestinationPort=4789$/m);
    expect(good.outputs["10-netplan-eth0.network"]).toMatch(/^VXLAN=vxlan0$/m);

    const bad = await netplanGenerate({ "50-bad.yaml": INVALID_NETPLAN });
    expect(bad.ok).toBe(false);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(
      /\/etc\/netplan\/50-bad\.yaml:7:7: Error in network definition: unknown key 'vni'/,
    );
    expect(bad.errors).toEqual([
      { file: "50-bad.yaml", line: 7, column: 7, message: "unknown key 'vni'" },
    ]);
    expect(bad.outputs).toEqual({});
  });

  it("netplan's networkd output passes the networkd parse check", async (ctx) => {
    ctx.skip(!netplanAvailable.ok, skipReason(netplanAvailable));
    ctx.skip(!parseCheckAvailable.ok, skipReason(parseCheckAvailable));

    const gen = await netplanGenerate({ "50-vxlan.yaml": VALID_NETPLAN });
    expect(gen.ok).toBe(true);
    const check = await networkdParseCheck({ network: gen.outputs }, { links: ["eth0"] });
    expect(check.warnings).toEqual([]);
    expect(check.log).toContain("Configuring with /etc/systemd/network/10-netplan-eth0.network");
  });
});

// ------------------------------------------------------------------------------------------------
// End-to-end: 2 underlay subnets, 4 nodes, a router with no workload routes, hand-written VXLAN.
// ------------------------------------------------------------------------------------------------

interface E2eNode {
  name: string;
  subnet: "rack-a" | "rack-b";
  underlay: string;
  gateway: string;
  otherSubnet: string;
  /** Node index: pod block 10.244.<i>.0/24, VTEP address 10.244.<i>.0, pod 10.244.<i>.10. */
  i: number;
}

const VNI = 4096;
const VXLAN_PORT = 4789;
const VXLAN_MTU = 1450;

const E2E_NODES: E2eNode[] = [
  {
    name: "node-1",
    subnet: "rack-a",
    underlay: "10.10.1.11",
    gateway: "10.10.1.1",
    otherSubnet: "10.10.2.0/24",
    i: 1,
  },
  {
    name: "node-2",
    subnet: "rack-a",
    underlay: "10.10.1.12",
    gateway: "10.10.1.1",
    otherSubnet: "10.10.2.0/24",
    i: 2,
  },
  {
    name: "node-3",
    subnet: "rack-b",
    underlay: "10.10.2.13",
    gateway: "10.10.2.1",
    otherSubnet: "10.10.1.0/24",
    i: 3,
  },
  {
    name: "node-4",
    subnet: "rack-b",
    underlay: "10.10.2.14",
    gateway: "10.10.2.1",
    otherSubnet: "10.10.1.0/24",
    i: 4,
  },
];

const vtepMac = (n: E2eNode) => `66:00:00:00:00:0${n.i}`;
const podAddress = (n: E2eNode) => `10.244.${n.i}.10`;

/** Hand-written per-node networkd files (Calico-style static VXLAN: neighbour + FDB + on-link route). */
function handWrittenFiles(self: E2eNode): NetworkdFiles {
  const peers = E2E_NODES.filter((p) => p !== self);
  const perPeer = peers
    .map(
      (p) => `
[Neighbor]
Address=10.244.${p.i}.0
LinkLayerAddress=${vtepMac(p)}

[BridgeFDB]
MACAddress=${vtepMac(p)}
Destination=${p.underlay}

[Route]
Destination=10.244.${p.i}.0/24
Gateway=10.244.${p.i}.0
GatewayOnLink=yes
`,
    )
    .join("");
  return {
    network: {
      "10-eth0.network": `[Match]
Name=eth0

[Network]
Address=${self.underlay}/24
VXLAN=vxlan0
LinkLocalAddressing=no
IPv6AcceptRA=no

[Route]
Destination=${self.otherSubnet}
Gateway=${self.gateway}
`,
      "20-vxlan0.netdev": `[NetDev]
Name=vxlan0
Kind=vxlan
MTUBytes=${VXLAN_MTU}
MACAddress=${vtepMac(self)}

[VXLAN]
VNI=${VNI}
Local=${self.underlay}
DestinationPort=${VXLAN_PORT}
MacLearning=no
`,
      "20-vxlan0.network": `[Match]
Name=vxlan0

[Network]
Address=10.244.${self.i}.0/32
LinkLocalAddressing=no
IPv6AcceptRA=no
ConfigureWithoutCarrier=yes
${perPeer}`,
    },
    confDropIns: {
      "10-calico.conf": "[Network]\nManageForeignRoutes=no\nManageForeignRoutingPolicyRules=no\n",
    },
  };
}

describe("lab (end-to-end with real systemd-networkd)", () => {
  it("pods ping across subnets through hand-written VXLAN; MTU boundary holds", async (ctx) => {
    ctx.skip(!labAvailable.ok, skipReason(labAvailable));

    const t0 = Date.now();
    const lab: Lab = await createLab({
      subnets: [
        { name: "rack-a", cidr: "10.10.1.0/24", routerAddress: "10.10.1.1" },
        { name: "rack-b", cidr: "10.10.2.0/24", routerAddress: "10.10.2.1" },
      ],
      nodes: E2E_NODES.map((n) => ({
        name: n.name,
        subnet: n.subnet,
        address: n.underlay,
        interface: "eth0",
      })),
      // configureUnderlay defaults to false: the hand-written files own eth0 (address, route,
      // VXLAN=), as on a node booting with them.
    });
    try {
      const tLab = Date.now();
      await Promise.all(E2E_NODES.map((n) => lab.addWorkload(n.name, podAddress(n))));
      await Promise.all(E2E_NODES.map((n) => lab.startNetworkd(n.name, handWrittenFiles(n))));
      await Promise.all(
        E2E_NODES.flatMap((n) => [
          lab.waitConfigured(n.name, "eth0"),
          lab.waitConfigured(n.name, "vxlan0"),
        ]),
      );
      const tConfigured = Date.now();

      // The files parsed cleanly on every node.
      for (const n of E2E_NODES) {
        expect(lab.networkdLog(n.name)).not.toMatch(
          /Unknown key|Failed to parse|could not be created|Ignoring/,
        );
      }

      // The router only knows the two underlay subnets.
      const routes = await lab.exec(ROUTER, [
        "ip",
        "-4",
        "-j",
        "route",
        "show",
        "table",
        "all",
        "type",
        "unicast",
      ]);
      const dsts = (JSON.parse(routes.stdout) as Array<{ dst: string }>).map((r) => r.dst).sort();
      expect(dsts).toEqual(["10.10.1.0/24", "10.10.2.0/24"]);

      // networkd created the VXLAN device from the .netdev.
      const link = await lab.exec("node-1", ["ip", "-d", "-j", "link", "show", "vxlan0"]);
      const [vx] = JSON.parse(link.stdout) as Array<{
        mtu: number;
        address: string;
        linkinfo: { info_kind: string; info_data: { id: number; port: number; learning: boolean } };
      }>;
      expect(vx?.linkinfo.info_kind).toBe("vxlan");
      expect(vx?.linkinfo.info_data).toMatchObject({ id: VNI, port: VXLAN_PORT, learning: false });
      expect(vx?.mtu).toBe(VXLAN_MTU);
      expect(vx?.address).toBe(vtepMac(E2E_NODES[0]!));

      // Negative control: the router cannot reach any pod directly.
      const direct = await lab.ping(ROUTER, podAddress(E2E_NODES[2]!), {
        count: 1,
        replyTimeoutSec: 1,
      });
      expect(direct.ok).toBe(false);

      // Every pod pings every other pod, sourced from its pod address; node-1's underlay carries
      // VXLAN (UDP 4789) packets while that happens.
      const pairs = E2E_NODES.flatMap((a) =>
        E2E_NODES.filter((b) => b !== a).map((b) => [a, b] as const),
      );
      const count = 2;
      const cap = await lab.capture("node-1", "eth0", `udp port ${VXLAN_PORT}`, () =>
        Promise.all(
          pairs.map(async ([a, b]) => ({
            from: a.name,
            to: b.name,
            r: await lab.ping(a.name, podAddress(b), { count, sourceAddress: podAddress(a) }),
          })),
        ),
      );
      for (const { from, to, r } of cap.result) {
        expect(r.ok, `${from} -> ${to}:\n${r.output}`).toBe(true);
      }
      // node-1 is source or destination of 6 of the 12 pairs: request + reply per ping.
      expect(cap.count).toBeGreaterThanOrEqual(6 * count * 2);
      expect(cap.packets).toHaveLength(cap.count);
      for (const p of cap.packets)
        expect(p).toMatch(/\.4789: VXLAN, flags \[I\] \(0x08\), vni 4096 \| IP 10\.244\./);
      const tPinged = Date.now();

      // MTU boundary across subnets with DF set: MTU-28 passes, one byte more fails.
      const [n1, , n3] = E2E_NODES as [E2eNode, E2eNode, E2eNode, E2eNode];
      const fits = await lab.ping(n1.name, podAddress(n3), {
        size: VXLAN_MTU - 28,
        dontFragment: true,
        count: 2,
        sourceAddress: podAddress(n1),
      });
      expect(fits.ok, fits.output).toBe(true);
      const tooBig = await lab.ping(n1.name, podAddress(n3), {
        size: VXLAN_MTU - 27,
        dontFragment: true,
        count: 1,
        sourceAddress: podAddress(n1),
      });
      expect(tooBig.ok).toBe(false);
      expect(tooBig.received).toBe(0);
      expect(tooBig.output).toMatch(/message too long, mtu=1450/);

      // networkctl works through the private D-Bus, and the node recovers after a reconfigure.
      await lab.networkctl(n1.name, ["reconfigure", "vxlan0"]);
      await lab.waitConfigured(n1.name, "vxlan0");
      const again = await lab.ping(n1.name, podAddress(n3), {
        count: 2,
        sourceAddress: podAddress(n1),
      });
      expect(again.ok, again.output).toBe(true);
      const status = await lab.networkctl(n1.name, ["list"]);
      expect(status.stdout).toMatch(/vxlan0\s+vxlan\s+\S+\s+configured/);

      await ctx.annotate(
        `timings: lab ${tLab - t0} ms, networkd configured ${tConfigured - tLab} ms, ` +
          `12 pod pings ${tPinged - tConfigured} ms, total ${Date.now() - t0} ms`,
      );
    } finally {
      await lab.destroy();
    }
    // Everything the lab created is gone.
    for (const ns of Object.values(lab.namespaces)) {
      expect(existsSync(`/run/netns/${ns}`), ns).toBe(false);
    }
  });
});
