/**
 * Host renderers without root: which files each mode writes, DHCP, and the INI check. The real
 * netplan and systemd-networkd run in test/host/.
 */
import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { iniProblem } from "./check.js";

function hostFiles(spec: string, subnets: string, pools = "vxlanMode: Always") {
  const result = compile(
    new MemoryRepoReader({
      "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata: { name: t }
spec:
${spec}`,
      "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  subnets:
${subnets}
  nodes:
    - { name: n1, address: 10.0.1.11, interface: ens3 }
    - { name: n2, address: 10.0.1.12 }
`,
      "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: p }
spec: { cidr: 192.168.0.0/16, ${pools} }
`,
    }),
    { render: "all" },
  );
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return Object.fromEntries(
    result
      .files!.filter((f) => f.path.startsWith("hosts/n1/"))
      .map((f) => [f.path.slice("hosts/n1/".length), f.content]),
  );
}

describe("host files", () => {
  it("calico mode: underlay, Calico's interfaces unmanaged, the foreign-routes drop-in, NetworkManager", () => {
    const files = hostFiles(
      "  provider: bare-metal\n",
      "    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1, mtu: 9000 }",
    );
    expect(Object.keys(files).sort()).toEqual([
      "netplan/60-netcompile.yaml",
      "netplan/networkd/05-netcompile-calico.network",
      "netplan/networkd/networkd.conf.d/60-netcompile.conf",
      "networkd/05-netcompile-calico.network",
      "networkd/10-netcompile-ens3.network",
      "networkd/networkd.conf.d/60-netcompile.conf",
      "networkmanager/calico.conf",
    ]);
    expect(files["networkd/05-netcompile-calico.network"]).toContain(
      "[Match]\nName=cali* tunl* vxlan.calico vxlan-v6.calico wireguard.cali wg-v6.cali\n\n[Link]\nUnmanaged=yes\n",
    );
    expect(files["networkd/networkd.conf.d/60-netcompile.conf"]).toContain(
      "[Network]\nManageForeignRoutes=no\nManageForeignRoutingPolicyRules=no\n",
    );
    expect(files["networkd/10-netcompile-ens3.network"]).toContain(
      "[Match]\nName=ens3\n\n[Link]\nMTUBytes=9000\n\n[Network]\nAddress=10.0.1.11/24\nIPv6AcceptRA=no\n\n[Route]\nGateway=10.0.1.1\n",
    );
    expect(files["networkmanager/calico.conf"]).toContain(
      "[keyfile]\nunmanaged-devices=interface-name:cali*;interface-name:tunl*;interface-name:vxlan.calico;interface-name:vxlan-v6.calico;interface-name:wireguard.cali;interface-name:wg-v6.cali\n",
    );
    // The companion is what a netplan host needs besides its netplan file: the same two files.
    expect(files["netplan/networkd/05-netcompile-calico.network"]).toBe(
      files["networkd/05-netcompile-calico.network"],
    );
    for (const [path, content] of Object.entries(files)) {
      if (!path.endsWith(".yaml")) expect(iniProblem(content), path).toBeUndefined();
    }
  });

  it("DHCP subnets get DHCP and no static address or gateway, in both formats", () => {
    const files = hostFiles(
      "  hostNetwork: { formats: [networkd, netplan] }\n",
      "    - { name: a, cidr: 10.0.1.0/24, dhcp: true }",
    );
    expect(files["networkd/10-netcompile-ens3.network"]).toContain(
      "[Network]\nDHCP=ipv4\nIPv6AcceptRA=no\n",
    );
    expect(files["networkd/10-netcompile-ens3.network"]).not.toMatch(/Address=|Gateway=/);
    expect(files["netplan/60-netcompile.yaml"]).toContain(
      "    ens3:\n      dhcp4: true\n      accept-ra: false\n      mtu: 1500\n",
    );
  });

  it("writes only the formats the Cluster asks for", () => {
    const files = hostFiles(
      "  hostNetwork: { mode: static, formats: [networkd] }\n",
      "    - { name: a, cidr: 10.0.1.0/24 }",
    );
    expect(Object.keys(files).sort()).toEqual([
      "networkd/10-netcompile-ens3.network",
      "networkd/20-netcompile-nc-vxlan.netdev",
      "networkd/20-netcompile-nc-vxlan.network",
    ]);
    // One subnet without a gateway: no default route, and the peer is on the link anyway.
    expect(files["networkd/10-netcompile-ens3.network"]).not.toContain("Gateway=");
  });

  it("static CrossSubnet inside one subnet routes directly and still creates no tunnel", () => {
    const files = hostFiles(
      "  hostNetwork: { mode: static }\n",
      "    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }",
      "vxlanMode: CrossSubnet",
    );
    expect(Object.keys(files).filter((f) => f.includes("nc-vxlan"))).toEqual([]);
    expect(files["networkd/10-netcompile-ens3.network"]).toMatch(
      /\[Route\]\nDestination=192\.168\.\d+\.\d+\/26\nGateway=10\.0\.1\.12\n/,
    );
  });
});

describe("iniProblem", () => {
  it("accepts sections with Key=Value lines and comments, refuses anything else", () => {
    expect(iniProblem("# c\n[Match]\nName=eth0\n")).toBeUndefined();
    expect(iniProblem("Name=eth0\n")).toBe("line 1 is outside any [Section]");
    expect(iniProblem("[Match]\nName = eth0\n")).toBe('line 2 is not Key=Value: "Name = eth0"');
    expect(iniProblem("[Match]\nName=\n")).toBe('line 2 is not Key=Value: "Name="');
    expect(iniProblem("[Match]\nName=eth0")).toBe("does not end with a newline");
    expect(iniProblem("# only a comment\n")).toBe("has no [Section]");
  });
});
