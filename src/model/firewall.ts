/**
 * What the firewalls between nodes (security groups, VPC firewall rules, host firewalls) must
 * admit for each way Calico carries traffic, as Calico's network requirements list it
 * (tigera/docs calico/_includes/components/ReqsSys.js, "Network requirements"): IP-in-IP is IP
 * protocol 4, VXLAN is UDP on the Cluster's vxlanPort (Felix's default 4789,
 * felix/config/config_params.go:350), BGP between BIRDs is TCP 179, WireGuard is UDP on Felix's
 * listening ports (51820, and 51821 for IPv6: config_params.go:172-173). `explain` and the
 * firewall-requirements rule read it.
 */
import { WIREGUARD } from "./defaults.js";
import type { Model } from "./types.js";

export type Carrier = "ipip" | "vxlan" | "bgp" | "wireguard" | "wireguard-v6";

export interface FirewallNeed {
  readonly carrier: Carrier;
  /** What carries it, in words: "IP-in-IP". */
  readonly name: string;
  /** What to admit, in words: "IP protocol 4", "UDP 4789", "TCP 179". */
  readonly admit: string;
  readonly protocol: "ip" | "udp" | "tcp";
  /** The IP protocol number (ip) or the port (udp, tcp). */
  readonly number: number;
}

/** IP protocol 4 is IP-in-IP (IANA "Assigned Internet Protocol Numbers"). */
export const IPIP_PROTOCOL = 4;
/** BGP's TCP port (RFC 4271 §8.2.1), where BIRD listens unless told otherwise. */
export const BGP_PORT = 179;

export function firewallNeed(model: Model, carrier: Carrier): FirewallNeed {
  switch (carrier) {
    case "ipip":
      return {
        carrier,
        name: "IP-in-IP",
        admit: `IP protocol ${IPIP_PROTOCOL}`,
        protocol: "ip",
        number: IPIP_PROTOCOL,
      };
    case "vxlan": {
      const port = model.cluster.vxlanPort;
      return { carrier, name: "VXLAN", admit: `UDP ${port}`, protocol: "udp", number: port };
    }
    case "bgp":
      return {
        carrier,
        name: "BGP",
        admit: `TCP ${BGP_PORT}`,
        protocol: "tcp",
        number: BGP_PORT,
      };
    case "wireguard":
    case "wireguard-v6": {
      const port = carrier === "wireguard" ? WIREGUARD.port : WIREGUARD.portV6;
      const name = carrier === "wireguard" ? "WireGuard" : "IPv6 WireGuard";
      return { carrier, name, admit: `UDP ${port}`, protocol: "udp", number: port };
    }
  }
}
