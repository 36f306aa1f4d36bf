/**
 * The host files netcompile renders for every fixture, checked with the real tools:
 *  - Debian's netplan generator accepts each netplan file, and the networkd files it makes agree
 *    with ours (VNI, port, local address, MTU, MAC, addresses, routes);
 *  - real systemd-networkd loads each node's networkd/ folder, and netplan's output plus the
 *    netplan/networkd/ companion, with no warning (networkd's parse check: the harness).
 * Tests that cannot run here (not root, tool missing) are skipped with the reason.
 */
import { describe, expect, it } from "vitest";
import {
  hostTestingAvailable,
  netplanGenerate,
  networkdParseCheck,
  PARSE_CHECK_CAPABILITIES,
  type Availability,
  type NetworkdFiles,
} from "./harness.js";
import { ipipKernelSupport } from "./ipip-probe.js";
import {
  fixtureRepos,
  iniSection,
  mapLimit,
  renderRepo,
  type RenderedHost,
} from "./rendered-hosts.js";

const netplanAvailable = hostTestingAvailable(["netplan"]);
const parseCheckAvailable = hostTestingAvailable(PARSE_CHECK_CAPABILITIES);
const skipReason = (a: Availability) => (a.ok ? "" : `host testing unavailable: ${a.reason}`);

const repos = fixtureRepos().map((r) => ({ ...r, rendered: renderRepo(r.dir) }));
const withHosts = repos.filter((r) => r.rendered.hosts.length > 0);

/** Every [Route] section of a .network file, as comparable text. */
function routes(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/^\[Route\]$/m)
    .slice(1)
    .map((chunk) => {
      const section = iniSection(`[Route]${chunk}`, "Route");
      const onLink = /^(yes|true)$/.test(section.GatewayOnLink ?? "no");
      const destination = section.Destination ?? "0.0.0.0/0";
      return `${/^(0\.0\.0\.0|::)\/0$/.test(destination) ? "default" : destination} via ${section.Gateway}${onLink ? " onlink" : ""}`;
    })
    .sort();
}

const yes = (v: string | undefined) => v !== undefined && /^(yes|true|1|on)$/.test(v);

/**
 * Parse-check findings that are this kernel's, not the files': without the ipip module the
 * tunnel cannot be created (a kernel without it logs so). Everything else must be clean.
 */
function unexpectedWarnings(warnings: readonly string[]): string[] {
  const ipip = ipipKernelSupport();
  return warnings.filter(
    (w) => ipip.ok || !/^nc-ipip: netdev could not be created: Operation not supported$/.test(w),
  );
}

describe.each(withHosts)("host files of $name", ({ rendered }) => {
  it("netplan generate accepts every netplan file, and its networkd files agree with ours", async (ctx) => {
    ctx.skip(!netplanAvailable.ok, skipReason(netplanAvailable));
    const hosts = rendered.hosts.filter((h) => h.netplan !== undefined);
    ctx.skip(hosts.length === 0, "no netplan files rendered (hostNetwork.formats)");
    await mapLimit(hosts, 8, async (host) => {
      const gen = await netplanGenerate({ "60-netcompile.yaml": host.netplan! });
      expect(gen.stderr, `${host.node}: netplan complained`).toBe("");
      expect(gen.ok).toBe(true);
      expectAgreement(host, gen.outputs);
    });
  });

  it("real systemd-networkd loads every node's networkd folder with no warning", async (ctx) => {
    ctx.skip(!parseCheckAvailable.ok, skipReason(parseCheckAvailable));
    const hosts = rendered.hosts.filter((h) => Object.keys(h.networkd.network).length > 0);
    await mapLimit(hosts, 8, async (host) => {
      const check = await networkdParseCheck(host.networkd, { links: [host.interface] });
      expect(unexpectedWarnings(check.warnings), `${host.node}:\n${check.log}`).toEqual([]);
      // Proof that networkd read the files (an unreadable folder also gives no warning).
      expect(check.log).toContain(
        `${host.interface}: Configuring with /etc/systemd/network/10-netcompile-${host.interface}.network`,
      );
    });
    const ipip = ipipKernelSupport();
    if (!ipip.ok && hosts.some((h) => h.files["networkd/20-netcompile-nc-ipip.netdev"])) {
      await ctx.annotate(
        `nc-ipip could not be created on this kernel (${ipip.reason}); the files parsed cleanly`,
      );
    }
  });

  it("netplan's networkd output plus the netplan/networkd/ companion loads with no warning", async (ctx) => {
    ctx.skip(!netplanAvailable.ok, skipReason(netplanAvailable));
    ctx.skip(!parseCheckAvailable.ok, skipReason(parseCheckAvailable));
    const hosts = rendered.hosts.filter((h) => h.netplan !== undefined);
    ctx.skip(hosts.length === 0, "no netplan files rendered (hostNetwork.formats)");
    await mapLimit(hosts, 8, async (host) => {
      const gen = await netplanGenerate({ "60-netcompile.yaml": host.netplan! });
      const files: NetworkdFiles = {
        network: { ...gen.outputs, ...host.netplanCompanion.network },
        confDropIns: host.netplanCompanion.confDropIns ?? {},
      };
      const check = await networkdParseCheck(files, { links: [host.interface] });
      expect(unexpectedWarnings(check.warnings), `${host.node}:\n${check.log}`).toEqual([]);
      expect(check.log).toContain(
        `${host.interface}: Configuring with /etc/systemd/network/10-netplan-${host.interface}.network`,
      );
    });
  });
});

/** netplan's networkd output says what ours says, for every setting the two share. */
function expectAgreement(host: RenderedHost, outputs: Record<string, string>): void {
  const ours = host.networkd.network;
  const iface = host.interface;
  const underlay = ours[`10-netcompile-${iface}.network`]!;
  const theirs = outputs[`10-netplan-${iface}.network`];
  expect(theirs, `${host.node}: netplan made no .network for ${iface}`).toBeDefined();
  const n = iniSection(theirs!, "Network");
  const o = iniSection(underlay, "Network");
  expect([n.Address, n.DHCP], host.node).toEqual([o.Address, o.DHCP]);
  expect(n.IPv6AcceptRA, host.node).toMatch(/^(no|false)$/);
  expect(iniSection(theirs!, "Link").MTUBytes, host.node).toBe(
    iniSection(underlay, "Link").MTUBytes,
  );
  expect(routes(theirs), host.node).toEqual(routes(underlay));

  const vxlanNetdev = ours["20-netcompile-nc-vxlan.netdev"];
  expect(outputs["10-netplan-nc-vxlan.netdev"] !== undefined, host.node).toBe(
    vxlanNetdev !== undefined,
  );
  if (vxlanNetdev) {
    const theirNetdev = outputs["10-netplan-nc-vxlan.netdev"]!;
    const [tn, on] = [iniSection(theirNetdev, "NetDev"), iniSection(vxlanNetdev, "NetDev")];
    const [tv, ov] = [iniSection(theirNetdev, "VXLAN"), iniSection(vxlanNetdev, "VXLAN")];
    expect({ kind: tn.Kind, mtu: tn.MTUBytes, mac: tn.MACAddress }).toEqual({
      kind: on.Kind,
      mtu: on.MTUBytes,
      mac: on.MACAddress,
    });
    expect({ vni: tv.VNI, port: tv.DestinationPort, local: tv.Local }).toEqual({
      vni: ov.VNI,
      port: ov.DestinationPort,
      local: ov.Local,
    });
    expect([yes(tv.MacLearning), yes(tv.Independent)]).toEqual([
      yes(ov.MacLearning),
      yes(ov.Independent),
    ]);
    const theirNetwork = outputs["10-netplan-nc-vxlan.network"]!;
    const ourNetwork = ours["20-netcompile-nc-vxlan.network"]!;
    expect(iniSection(theirNetwork, "Network").Address).toBe(
      iniSection(ourNetwork, "Network").Address,
    );
    expect(routes(theirNetwork)).toEqual(routes(ourNetwork));
  }
  // netplan cannot express an any-remote IP-in-IP tunnel: it must not try.
  expect(Object.keys(outputs).filter((f) => f.includes("ipip"))).toEqual([]);
}
