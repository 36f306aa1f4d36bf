import { firewallNeed } from "../../model/firewall.js";
import { wireguardTunnels } from "../../model/mtu.js";
import { PROVIDERS } from "../../model/providers.js";
import type { Pool } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { encapsulationSpan, isPresent } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * Each way Calico carries traffic between nodes needs the firewalls between them (security
 * groups, VPC firewall rules, host firewalls) to admit it: IP protocol 4 for IP-in-IP, the VXLAN
 * UDP port, TCP 179 for BGP, WireGuard's UDP ports (firewall.ts). Said once per mode, at the
 * first pool that uses it (disabled pools too: Felix keeps their tunnels for the workloads that
 * hold their addresses), on providers whose fabric filters traffic between instances; elsewhere
 * `explain` says it.
 */
export const rule = defineRule({
  id: "firewall-requirements",
  meta: {
    description:
      "On a cloud provider, what its firewalls between nodes must admit for each mode the repository uses: IP protocol 4 for IP-in-IP, the VXLAN UDP port, TCP 179 for BGP, UDP 51820/51821 for WireGuard.",
    defaultSeverity: "info",
    category: "topology",
    // The first pool of each mode, and the backend derived from every pool.
    needsEvery: ["IPPool"],
    messages: {
      ipip: 'IPPool "{pool}" uses IP-in-IP: the {firewall} between nodes must admit {admit} (IP-in-IP) between the nodes\' addresses, both ways; rules for TCP or UDP ports do not cover it',
      vxlan:
        "IPPool \"{pool}\" uses VXLAN: the {firewall} between nodes must admit {admit} (the Cluster's vxlanPort) between the nodes' addresses, both ways",
      wireguard:
        "networking.wireguard encrypts pod traffic between nodes: the {firewall} between nodes must admit {admit} (Felix's WireGuard listening ports) between the nodes' addresses, both ways",
      bgp: "the backend is bird: BIRD's BGP sessions need {admit} between the nodes' addresses, both ways (and to any router they peer with), in the {firewall}",
    },
  },
  check(model, ctx) {
    const { firewall, fabricFirewall } = PROVIDERS[model.cluster.provider];
    if (!fabricFirewall) return;
    const first = (uses: (p: Pool) => boolean) => model.pools.find((p) => p.cidr && uses(p));
    const ipip = first((p) => p.ipipMode !== "Never" && p.cidr?.version === 4);
    if (ipip) {
      ctx.report({
        messageId: "ipip",
        data: { pool: ipip.name, firewall, admit: firewallNeed(model, "ipip").admit },
        span: ipip.source.at(["spec", "ipipMode"]),
        resource: poolResource(ipip),
      });
    }
    const vxlan = first((p) => p.vxlanMode !== "Never");
    if (vxlan) {
      ctx.report({
        messageId: "vxlan",
        data: { pool: vxlan.name, firewall, admit: firewallNeed(model, "vxlan").admit },
        span: vxlan.source.at(["spec", "vxlanMode"]),
        resource: poolResource(vxlan),
      });
    }
    const { wireguard } = model.cluster;
    const written = ["spec", "networking", "wireguard"];
    // Static hosts run no Felix to set WireGuard up (NC3093 refuses it there).
    if ((wireguard.ipv4 || wireguard.ipv6) && model.cluster.hostNetwork.mode === "calico") {
      const carriers = wireguardTunnels(wireguard);
      ctx.report({
        messageId: "wireguard",
        data: {
          firewall,
          admit: carriers.map((c) => firewallNeed(model, c).admit).join(" and "),
        },
        span: model.cluster.source.at(written),
        resource: `Cluster/${model.cluster.metadata.name}`,
      });
    }
    // Static hosts run no BIRD.
    if (model.cluster.backend !== "bird" || model.cluster.hostNetwork.mode !== "calico") return;
    const data = { firewall, admit: firewallNeed(model, "bgp").admit };
    const backend = ["spec", "networking", "backend"];
    if (isPresent(model.cluster.source, backend)) {
      ctx.report({
        messageId: "bgp",
        data,
        span: model.cluster.source.at(backend),
        resource: `Cluster/${model.cluster.metadata.name}`,
      });
      return;
    }
    // Derived: the first pool that needs BIRD (IP-in-IP, or no encapsulation).
    const needsBird = first((p) => p.ipipMode !== "Never" || p.vxlanMode === "Never");
    if (needsBird) {
      ctx.report({
        messageId: "bgp",
        data,
        span: encapsulationSpan(needsBird),
        resource: poolResource(needsBird),
      });
    }
  },
});
