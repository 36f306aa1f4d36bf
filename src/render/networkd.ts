/**
 * systemd-networkd writer: prints each node's host model as `hosts/<node>/networkd/` — the
 * complete form of the host configuration, for hosts that run networkd without netplan.
 * netplan.ts reuses the pieces netplan cannot express (see `networkdCompanionFiles`).
 */
import { renderTemplatePieces } from "./engine.js";
import type { HostModel, VxlanTunnel } from "./host-model.js";
import { fileFromPieces, type Piece } from "./pieces.js";
import type { RenderedFile } from "./types.js";

/** File names inside a networkd directory. Lexical order is networkd's match order. */
export const NETWORKD_FILES = {
  /** Before any other .network (a distribution's catch-all would otherwise claim cali*). */
  calicoUnmanaged: "05-netcompile-calico.network",
  underlay: (iface: string) => `10-netcompile-${iface}.network`,
  netdev: (device: string) => `20-netcompile-${device}.netdev`,
  network: (device: string) => `20-netcompile-${device}.network`,
  foreignRoutes: "networkd.conf.d/60-netcompile.conf",
} as const;

/** Relative file name -> content (as pieces.ts pieces), for one directory. */
export type FileSet = Map<string, readonly Piece[]>;

/** One host's networkd files (none unless it asks for networkd). */
export function networkdHostFiles(host: HostModel): RenderedFile[] {
  if (!host.formats.includes("networkd")) return [];
  const files: RenderedFile[] = [];
  for (const [name, pieces] of networkdFiles(host))
    files.push(fileFromPieces(`hosts/${host.node}/networkd/${name}`, pieces));
  return files;
}

/** Every networkd file of one host. */
export function networkdFiles(host: HostModel): FileSet {
  const files: FileSet = new Map();
  const u = host.underlay;
  files.set(
    NETWORKD_FILES.underlay(u.interface),
    renderTemplatePieces("networkd-underlay.network", {
      node: host.node,
      interface: u.interface,
      mtu: u.mtu,
      dhcp: dhcpSetting(u),
      // networkd ignores DHCP's MTU unless told (netplan tells it by default): clouds give theirs so.
      dhcpUseMTU: u.dhcp && u.ipVersion === 4 && u.mtu === undefined,
      address: u.address,
      gateway: u.gateway,
      routes: u.routes,
      addressV6: u.v6?.address,
      gatewayV6: u.v6?.gateway,
      ipv6MTU: u.v6?.ipv6MTU,
      routesV6: u.v6?.routes ?? [],
    }),
  );
  for (const v of vxlanTunnels(host)) {
    files.set(
      NETWORKD_FILES.netdev(v.name),
      renderTemplatePieces("networkd-vxlan.netdev", { node: host.node, ...v }),
    );
    files.set(
      NETWORKD_FILES.network(v.name),
      renderTemplatePieces("networkd-vxlan.network", { node: host.node, ...v }),
    );
  }
  for (const [name, content] of ipipFiles(host)) files.set(name, content);
  for (const [name, content] of calicoFiles(host)) files.set(name, content);
  return files;
}

/**
 * The networkd files a netplan host needs besides its netplan file, for what netplan cannot
 * express: Calico's unmanaged interfaces and networkd.conf options; a drop-in with the VXLAN
 * device's neighbours and forwarding entries; the any-remote IP-in-IP tunnel.
 */
export function networkdCompanionFiles(
  host: HostModel,
  netplanTunnelFile: (id: string) => string,
): FileSet {
  const files: FileSet = new Map();
  for (const v of vxlanTunnels(host)) {
    if (v.peers.length === 0) continue;
    const dropInDir = `${netplanTunnelFile(v.name)}.d`;
    const fileName = "60-netcompile-peers.conf";
    files.set(
      `${dropInDir}/${fileName}`,
      renderTemplatePieces("networkd-vxlan-peers.conf", {
        node: host.node,
        name: v.name,
        dropInDir,
        fileName,
        peers: v.peers,
      }),
    );
  }
  for (const [name, content] of ipipFiles(host)) files.set(name, content);
  for (const [name, content] of calicoFiles(host)) files.set(name, content);
  return files;
}

/** The host's VXLAN devices: over IPv4, then over IPv6. */
export function vxlanTunnels(host: HostModel): VxlanTunnel[] {
  return [host.vxlan, host.vxlanV6].filter((v): v is VxlanTunnel => v !== undefined);
}

/**
 * networkd's DHCP= for the underlay: the families whose subnet says `dhcp: true` ("ipv4",
 * "ipv6", "yes" for both), or false.
 */
function dhcpSetting(u: HostModel["underlay"]): string | false {
  const families = [...(u.dhcp ? [u.ipVersion] : []), ...(u.v6?.dhcp ? [6 as const] : [])];
  if (families.length === 2) return "yes";
  if (families.length === 1) return families[0] === 4 ? "ipv4" : "ipv6";
  return false;
}

function ipipFiles(host: HostModel): FileSet {
  const files: FileSet = new Map();
  if (!host.ipip) return files;
  const i = host.ipip;
  files.set(
    NETWORKD_FILES.netdev(i.name),
    renderTemplatePieces("networkd-ipip.netdev", { node: host.node, ...i }),
  );
  files.set(
    NETWORKD_FILES.network(i.name),
    renderTemplatePieces("networkd-ipip.network", { node: host.node, ...i }),
  );
  return files;
}

/** The same for every calico-mode host: rendered once per list of interfaces. */
const calicoFileCache = new WeakMap<readonly string[], FileSet>();

function calicoFiles(host: HostModel): FileSet {
  const cached = host.keepForeignRoutes ? calicoFileCache.get(host.unmanagedInterfaces) : undefined;
  if (cached) return cached;
  const files: FileSet = new Map();
  if (host.unmanagedInterfaces.length > 0) {
    files.set(
      NETWORKD_FILES.calicoUnmanaged,
      renderTemplatePieces("networkd-calico-unmanaged.network", {
        interfaces: host.unmanagedInterfaces.join(" "),
      }),
    );
  }
  if (host.keepForeignRoutes) {
    files.set(
      NETWORKD_FILES.foreignRoutes,
      renderTemplatePieces("networkd-foreign-routes.conf", {}),
    );
    calicoFileCache.set(host.unmanagedInterfaces, files);
  }
  return files;
}
