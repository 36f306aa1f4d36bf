/**
 * Host renderers without root: which files each mode writes, DHCP, and the INI check. The real
 * netplan and systemd-networkd run in test/host/.
 */
import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { iniProblem } from "./check.js";

function compileHosts(spec: string, subnets: string, pools = "vxlanMode: Always") {
  return compile(
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
}

/** The diagnostics a case is about: the firewall reminder (an info on every VXLAN repository) left out. */
function findings(result: ReturnType<typeof compileHosts>) {
  return result.diagnostics.filter((d) => d.code !== "firewall-requirements");
}

function hostFiles(spec: string, subnets: string, pools = "vxlanMode: Always") {
  const result = compileHosts(spec, subnets, pools);
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
    // The DHCP server's MTU is the provider's: networkd takes it only when told (netplan by default).
    expect(files["networkd/10-netcompile-ens3.network"]).toContain(
      "[Match]\nName=ens3\n\n[Network]\nDHCP=ipv4\nIPv6AcceptRA=no\n\n[DHCPv4]\nUseMTU=yes\n",
    );
    expect(files["networkd/10-netcompile-ens3.network"]).not.toMatch(/Address=|Gateway=/);
    expect(files["netplan/60-netcompile.yaml"]).toContain(
      "    ens3:\n      dhcp4: true\n      accept-ra: false\n",
    );
    expect(files["netplan/60-netcompile.yaml"]).not.toContain("mtu:");
  });

  it("writes a NIC MTU only when the repository declares one, whatever the provider's figure", () => {
    const subnet = "    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }";
    for (const provider of ["aws", "gcp", "azure", "bare-metal"]) {
      const files = hostFiles(`  provider: ${provider}\n`, subnet);
      expect(files["networkd/10-netcompile-ens3.network"], provider).not.toContain("MTUBytes=");
      expect(files["networkd/10-netcompile-ens3.network"], provider).not.toContain("[Link]");
      expect(files["netplan/60-netcompile.yaml"], provider).not.toContain("mtu:");
    }
    const declared = hostFiles("  provider: gcp\n  networking: { underlayMTU: 1460 }\n", subnet);
    expect(declared["networkd/10-netcompile-ens3.network"]).toContain("[Link]\nMTUBytes=1460\n");
    expect(declared["netplan/60-netcompile.yaml"]).toContain("      mtu: 1460\n");
    const dhcpDeclared = hostFiles(
      "  provider: aws\n",
      "    - { name: a, cidr: 10.0.1.0/24, dhcp: true, mtu: 9001 }",
    );
    expect(dhcpDeclared["networkd/10-netcompile-ens3.network"]).toContain("MTUBytes=9001");
    expect(dhcpDeclared["networkd/10-netcompile-ens3.network"]).not.toContain("UseMTU");
  });

  it("writes an IPv6 MTU only when the IPv6 subnet declares one below the link's", () => {
    const files = (v4: string, v6: string) => {
      const result = compile(
        new MemoryRepoReader({
          "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata: { name: t }
spec:
  provider: aws
`,
          "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  subnets:
    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1${v4} }
    - { name: a6, cidr: "fd00:1::/64", gateway: "fd00:1::1"${v6} }
  nodes:
    - { name: n1, address: 10.0.1.11, addressV6: "fd00:1::11" }
`,
          "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: p }
spec: { cidr: 192.168.0.0/16, vxlanMode: Always }
`,
        }),
        { render: "all" },
      );
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const at = (name: string) => result.files!.find((f) => f.path === `hosts/n1/${name}`)!;
      return {
        networkd: at("networkd/10-netcompile-eth0.network").content,
        netplan: at("netplan/60-netcompile.yaml").content,
      };
    };
    // Declared below the link's: written in both formats.
    const smaller = files(", mtu: 9001", ", mtu: 1500");
    expect(smaller.networkd).toContain("IPv6MTUBytes=1500\n");
    expect(smaller.netplan).toContain("      ipv6-mtu: 1500\n");
    // The IPv6 subnet takes AWS's 9001 by default, declared by nobody: nothing written.
    for (const undeclared of [files("", ""), files(", mtu: 9001", "")]) {
      expect(undeclared.networkd).not.toContain("IPv6MTUBytes");
      expect(undeclared.netplan).not.toContain("ipv6-mtu");
    }
  });

  it("writes only the formats the Cluster asks for", () => {
    const files = hostFiles(
      "  hostNetwork: { mode: static, formats: [networkd] }\n",
      "    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }",
    );
    expect(Object.keys(files).sort()).toEqual([
      "networkd/10-netcompile-ens3.network",
      "networkd/20-netcompile-nc-vxlan.netdev",
      "networkd/20-netcompile-nc-vxlan.network",
    ]);
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

describe("a subnet that gives its nodes no default route", () => {
  const bare = "    - { name: a, cidr: 10.0.1.0/24 }";
  it("calico mode: no host files for its nodes, and a warning that says so", () => {
    const result = compileHosts("  provider: bare-metal\n", bare);
    expect(findings(result).map((d) => [d.code, d.severity, d.message])).toEqual([
      [
        "NC5035",
        "warning",
        'subnet "a" has neither gateway nor dhcp: true, so host files would leave its 2 node(s) without a default route (they configure the interface completely); none are rendered for them. Add gateway (or dhcp: true), or set hostNetwork.formats: [] to render no host files',
      ],
    ]);
    expect(result.files!.filter((f) => f.path.startsWith("hosts/"))).toEqual([]);
    // With no host files asked for, there is nothing to say.
    const off = compileHosts("  hostNetwork: { formats: [] }\n", bare);
    expect([findings(off), off.files!.some((f) => f.path.startsWith("hosts/"))]).toEqual([
      [],
      false,
    ]);
  });

  it("static mode, one subnet: an error, since the files are the overlay", () => {
    const result = compileHosts("  hostNetwork: { mode: static }\n", bare);
    expect(findings(result).map((d) => [d.code, d.severity, d.resource])).toEqual([
      ["NC3070", "error", "Subnet/a"],
    ]);
    expect(result.files).toBeUndefined();
  });
});

describe("static host networking", () => {
  const gateway = "    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }";
  it("ships host files only: no calico-node, IPPools or FelixConfiguration, whatever the install", () => {
    for (const install of ["manifest", "operator"]) {
      const all = compileHosts(`  install: ${install}\n  hostNetwork: { mode: static }\n`, gateway);
      expect(all.files!.map((f) => f.path).filter((p) => !p.startsWith("hosts/"))).toEqual([]);
      expect(findings(all).map((d) => [d.code, d.severity, d.line])).toEqual([
        ["NC5038", "info", 6],
      ]);
    }
  });

  it("renders nothing for Argo CD, and says so rather than print an empty stream", () => {
    const result = compile(
      new MemoryRepoReader({
        "netcompile.yaml":
          "apiVersion: netcompile.dev/v1alpha1\nkind: Cluster\nmetadata: { name: t }\nspec:\n  hostNetwork: { mode: static }\n",
        "topology.yaml":
          "apiVersion: netcompile.dev/v1alpha1\nkind: Topology\nmetadata: { name: t }\nspec:\n  subnets: [{ name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }]\n  nodes: [{ name: n1, address: 10.0.1.11 }]\n",
        "pools.yaml":
          "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata: { name: p }\nspec: { cidr: 192.168.0.0/16, vxlanMode: Always }\n",
      }),
      { render: "manifests" },
    );
    expect(findings(result).map((d) => [d.code, d.severity])).toEqual([["NC5037", "error"]]);
    expect(result.files).toBeUndefined();
  });
});

describe("a NIC left at Ethernet's MTU", () => {
  it("is named when the provider's figure is larger and nothing declares or gives one", () => {
    const result = compileHosts(
      "  provider: aws\n",
      "    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }",
    );
    expect(findings(result).map((d) => [d.code, d.severity, d.message])).toEqual([
      [
        "NC5036",
        "warning",
        "subnet \"a\" gives its nodes static addresses and declares no mtu, so the host files leave each NIC at the MTU the system gives it (1500 unless something raises it), while the pod MTU assumes AWS's 9001; declare mtu: 9001 on the subnet (the host files then set it), or dhcp: true (the provider's DHCP sets it)",
      ],
    ]);
    for (const subnet of [
      "    - { name: a, cidr: 10.0.1.0/24, dhcp: true }",
      "    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1, mtu: 9001 }",
    ]) {
      expect(findings(compileHosts("  provider: aws\n", subnet))).toEqual([]);
    }
    expect(
      findings(
        compileHosts(
          "  provider: gcp\n",
          "    - { name: a, cidr: 10.0.1.0/24, gateway: 10.0.1.1 }",
        ),
      ),
    ).toEqual([]);
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
