/**
 * netplan writer: prints each node's host model as `hosts/<node>/netplan/60-netcompile.yaml`
 * (netplan 0.106, renderer networkd), plus `hosts/<node>/netplan/networkd/` for what netplan
 * cannot express (networkd.ts, `networkdCompanionFiles`). A netplan host installs both.
 */
import { renderTemplatePieces } from "./engine.js";
import type { HostModel } from "./host-model.js";
import { networkdCompanionFiles } from "./networkd.js";
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
  const tunnels = host.vxlan
    ? [
        {
          mode: "vxlan",
          name: host.vxlan.name,
          vni: host.vxlan.vni,
          port: host.vxlan.port,
          local: host.vxlan.local,
          mtu: host.vxlan.mtu,
          mac: host.vxlan.mac,
          address: host.vxlan.address,
          routes: host.vxlan.routes,
        },
      ]
    : [];
  return renderTemplatePieces("netplan.yaml", {
    node: host.node,
    calico: host.mode === "calico",
    vxlanPeers: (host.vxlan?.peers.length ?? 0) > 0,
    ipipCompanion: host.ipip !== undefined,
    underlay: {
      interface: u.interface,
      dhcp: u.dhcp,
      dhcpKey: u.ipVersion === 4 ? "dhcp4" : "dhcp6",
      address: u.address,
      mtu: u.mtu,
      // The default route first, then the peers' (a list shared between hosts: PeerList).
      hasRoutes: u.gateway !== undefined || u.routes.length > 0,
      defaultGateway: u.gateway,
      routes: u.routes,
    },
    tunnels,
  });
}
