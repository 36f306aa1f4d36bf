import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, minimalRepo, readTree, removeDir, testdir } from "../../../test/support.js";

const cases = join(import.meta.dirname, "..", "..", "..", "fixtures", "cases");
const repo = (name: string) => join(cases, name, "input");

interface ExplainJson {
  version: number;
  hostNetwork: string;
  nodes: { name: string; podCIDR: string | null }[];
  paths: {
    from: string;
    to: string;
    pool: { name: string };
    decision: string;
    reason: {
      code: string;
      localSubnet: { name: string } | null;
      remoteAddress: string;
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
});
