/**
 * netplan writer: prints each node's host model as `hosts/<node>/netplan/60-netcompile.yaml`
 * (netplan 0.106, renderer networkd), plus `hosts/<node>/netplan/networkd/` for what netplan
 * cannot express (networkd.ts, `networkdCompanionFiles`). A netplan host installs both.
 */
import { renderTemplatePieces } from "./engine.js";
import type { HostModel } from "./host-model.js";
import { networkdCompanionFiles, vxlanTunnels } from "./networkd.js";
import { fileFromPieces, type Piece } from "./pieces.js";
import type { RenderedFile } from "./types.js";

export const NETPLAN_FILE = "60-netcompile.yaml";

/** The networkd file netplan generates for a netdev definition (netplan's own naming). */
export const netplanGeneratedNetwork = (id: string) => `10-netplan-${id}.network`;

/** One host's netplan file and its networkd companions (none unless it asks for netplan). */
export function netplanHostFiles(host: HostModel): RenderedFile[] {
  if (!host.formats.includes("netplan")) return [];
  const dir = `hosts/${host.node}/netplan`;
  const files = [fileFromPieces(`${dir}/${NETPLAN_FILE}`, netplanFile(host))];
  for (const [name, pieces] of networkdCompanionFiles(host, netplanGeneratedNetwork))
    files.push(fileFromPieces(`${dir}/networkd/${name}`, pieces));
  return files;
}

export function netplanFile(host: HostModel): Piece[] {
  const u = host.underlay;
  // netplan 0.106 expresses VXLAN (but not its neighbours/FDB); IP-in-IP needs a literal
  // remote, so the any-remote tunnel lives in the networkd companion files instead.
  const vxlans = vxlanTunnels(host);
  const tunnels = vxlans.map((v) => ({
    mode: "vxlan",
    name: v.name,
    vni: v.vni,
    port: v.port,
    local: v.local,
    mtu: v.mtu,
    mac: v.mac,
    address: v.address,
    routes: v.routes,
  }));
  const routesV6 = u.v6?.routes ?? [];
  const defaultGateways = [u.gateway, u.v6?.gateway].filter((g) => g !== undefined);
  return renderTemplatePieces("netplan.yaml", {
    node: host.node,
    calico: host.mode === "calico",
    vxlanPeers: vxlans.some((v) => v.peers.length > 0),
    ipipCompanion: host.ipip !== undefined,
    underlay: {
      interface: u.interface,
      dhcpKeys: [
        ...(u.dhcp ? [u.ipVersion === 4 ? "dhcp4" : "dhcp6"] : []),
        ...(u.v6?.dhcp ? ["dhcp6"] : []),
      ],
      addresses: [u.address, u.v6?.address].filter((a) => a !== undefined),
      mtu: u.mtu,
      ipv6MTU: u.v6?.ipv6MTU,
      // The default routes first, then the peers' (lists shared between hosts: PeerList).
      hasRoutes: defaultGateways.length > 0 || u.routes.length > 0 || routesV6.length > 0,
      defaultGateways,
      routes: u.routes,
      routesV6,
    },
    tunnels,
  });
}
