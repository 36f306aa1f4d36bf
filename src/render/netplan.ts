/**
 * netplan writer: prints each node's host model as `hosts/<node>/netplan/60-netcompile.yaml`
 * (netplan 0.106, renderer networkd), plus `hosts/<node>/netplan/networkd/` for what netplan
 * cannot express (networkd.ts, `networkdCompanionFiles`). A netplan host installs both.
 */
import { renderTemplate } from "./engine.js";
import { buildHostModels, type HostModel } from "./host-model.js";
import { networkdCompanionFiles } from "./networkd.js";
import type { Model } from "../model/types.js";
import type { RenderedFile } from "./types.js";

export const NETPLAN_FILE = "60-netcompile.yaml";

/** The networkd file netplan generates for a netdev definition (netplan's own naming). */
export const netplanGeneratedNetwork = (id: string) => `10-netplan-${id}.network`;

interface NetplanRoute {
  readonly destination: string;
  readonly gateway: string;
}

export function renderNetplan(model: Model): RenderedFile[] {
  return buildHostModels(model)
    .filter((host) => host.formats.includes("netplan"))
    .flatMap((host) => {
      const dir = `hosts/${host.node}/netplan`;
      const companion = networkdCompanionFiles(host, netplanGeneratedNetwork);
      return [
        { path: `${dir}/${NETPLAN_FILE}`, content: netplanFile(host) },
        ...[...companion].map(([name, content]) => ({ path: `${dir}/networkd/${name}`, content })),
      ];
    });
}

export function netplanFile(host: HostModel): string {
  const u = host.underlay;
  const routes: NetplanRoute[] = [
    ...(u.gateway ? [{ destination: "default", gateway: u.gateway }] : []),
    ...u.routes,
  ];
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
  return renderTemplate("netplan.yaml", {
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
      routes,
    },
    tunnels,
  });
}
