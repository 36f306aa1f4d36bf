import { nodeAddress, poolFamily } from "../../model/families.js";
import type { IpFamily, Provider, Subnet } from "../../model/types.js";
import { PROVIDERS } from "../../model/providers.js";
import { defineRule } from "../rule.js";
import { encapsulationSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * A pool without encapsulation sends pod packets with pod addresses; between two subnets they
 * cross a router, which drops them unless it can route workload addresses.
 */
/**
 * CrossSubnet keeps traffic inside a subnet direct, which a fabric that drops unrouted pod traffic
 * (Azure, GCE) does not deliver (provider-drops-unencapsulated); Azure also drops IP-in-IP.
 * IP-in-IP carries IPv4 only (pool-ipip-ipv6): an IPv6 pool's fix is VXLAN.
 */
function fixFor(provider: Provider, family: IpFamily): string {
  const { dropsIPIP, dropsUnroutedPodTraffic } = PROVIDERS[provider];
  if (dropsIPIP)
    return `set vxlanMode Always (${dropsIPIP.fabric} drops IP-in-IP, and unencapsulated traffic inside a subnet too)`;
  const modes = family === 6 ? "vxlanMode" : "ipipMode or vxlanMode";
  if (dropsUnroutedPodTraffic)
    return `set ${modes} Always (${dropsUnroutedPodTraffic.fabric} drops unencapsulated pod traffic inside a subnet too)`;
  return `set ${modes} to CrossSubnet`;
}

export const rule = defineRule({
  id: "encapsulation-required",
  meta: {
    description:
      "An unencapsulated IPPool serves nodes in different subnets while the underlay cannot route workload addresses.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: ["Topology"],
    messages: {
      required:
        'IPPool "{pool}" does not encapsulate, but it serves nodes in subnets "{subnetA}" and "{subnetB}", and the router between them cannot route workload addresses (underlay.routesWorkloadIPs is false); {fix}',
    },
  },
  check(model, ctx) {
    if (model.topology.routesWorkloadIPs) return;
    for (const pool of model.pools) {
      if (pool.ipipMode !== "Never" || pool.vxlanMode !== "Never") continue;
      const nodes = model.nodesByPool.get(pool.name) ?? [];
      let first: Subnet | undefined;
      let second: Subnet | undefined;
      // The pool's family decides: an IPv6 pool's packets cross between the IPv6 subnets.
      const family = poolFamily(pool);
      for (const node of nodes) {
        const subnet = nodeAddress(node, family)?.subnet;
        if (!subnet) continue;
        if (!first) first = subnet;
        else if (subnet !== first) {
          second = subnet;
          break;
        }
      }
      if (!first || !second) continue;
      // Name the two subnets in topology order, so the message is stable.
      const [a, b] =
        model.topology.subnets.indexOf(first) < model.topology.subnets.indexOf(second)
          ? [first, second]
          : [second, first];
      ctx.report({
        messageId: "required",
        data: {
          pool: pool.name,
          subnetA: a.name,
          subnetB: b.name,
          fix: fixFor(model.cluster.provider, family),
        },
        span: encapsulationSpan(pool),
        resource: poolResource(pool),
        related: [
          { ...a.source.at(["cidr"]), message: `subnet "${a.name}"` },
          { ...b.source.at(["cidr"]), message: `subnet "${b.name}"` },
        ],
      });
    }
  },
});
