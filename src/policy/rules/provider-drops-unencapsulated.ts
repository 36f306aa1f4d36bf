import { PROVIDERS } from "../../model/providers.js";
import { defineRule } from "../rule.js";
import { crossSubnetField, encapsulationSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * Azure and GCE route packets by the instance addresses they know: a packet to a pod address is
 * delivered only along routes the user adds (Azure user-defined routes to NICs with IP forwarding
 * on; GCE routes to instances created with canIpForward). Without them, unencapsulated pod
 * traffic is dropped, inside a subnet too (tigera/docs calico/reference/public-cloud/azure.mdx
 * and gce.mdx). `underlay.routesWorkloadIPs: true` says those routes exist. Disabled pools count:
 * Felix keeps routing their blocks for the workloads that hold their addresses.
 */
export const rule = defineRule({
  id: "provider-drops-unencapsulated",
  meta: {
    description:
      "On Azure or GCP, an IPPool (disabled ones included) sends pod traffic unencapsulated, which the provider's network drops unless the underlay routes workload addresses.",
    defaultSeverity: "error",
    category: "topology",
    // One pool, but underlay.routesWorkloadIPs may be in any Topology document.
    needsEvery: ["Topology"],
    messages: {
      azureCrossSubnet:
        'IPPool "{pool}" (vxlanMode CrossSubnet) sends traffic between nodes of one subnet unencapsulated, which Azure\'s network drops: it delivers pod addresses only along user-defined routes to NICs with IP forwarding on; use vxlanMode Always, or, once those routes exist, say so with underlay.routesWorkloadIPs: true',
      azureNever:
        'IPPool "{pool}" does not encapsulate, and Azure\'s network drops pod addresses: it delivers them only along user-defined routes to NICs with IP forwarding on; use vxlanMode Always (Azure drops IP-in-IP), or, once those routes exist, say so with underlay.routesWorkloadIPs: true',
      gcpCrossSubnet:
        'IPPool "{pool}" ({field} CrossSubnet) sends traffic between nodes of one subnet unencapsulated, which GCE drops: an instance receives another address only with IP forwarding (canIpForward) and a route for it; use {field} Always, or, once the instances and routes are set up, say so with underlay.routesWorkloadIPs: true',
      gcpNever:
        'IPPool "{pool}" does not encapsulate, and GCE drops pod addresses: an instance receives another address only with IP forwarding (canIpForward) and a route for it; use ipipMode Always (Calico\'s GCE guide) or vxlanMode Always, or, once the instances and routes are set up, say so with underlay.routesWorkloadIPs: true',
      gcpNeverIPv6:
        'IPPool "{pool}" (IPv6) does not encapsulate, and GCE drops pod addresses: an instance receives another address only with IP forwarding (canIpForward) and a route for it; use vxlanMode Always (IP-in-IP carries IPv4 only), or, once the instances and routes are set up, say so with underlay.routesWorkloadIPs: true',
    },
  },
  check(model, ctx) {
    const { provider } = model.cluster;
    const { dropsIPIP, dropsUnroutedPodTraffic } = PROVIDERS[provider];
    if (!dropsUnroutedPodTraffic || model.topology.routesWorkloadIPs) return;
    for (const pool of model.pools) {
      if (pool.ipipMode === "Always" || pool.vxlanMode === "Always") continue;
      // IP-in-IP where the fabric drops it is an error of its own (ipip-unsupported-provider).
      if (dropsIPIP && pool.ipipMode !== "Never") continue;
      // The messages say how each provider's fabric delivers pod addresses (Azure's or GCE's).
      const field = crossSubnetField(pool);
      const at = { resource: poolResource(pool) };
      if (field === undefined) {
        ctx.report({
          messageId:
            provider === "azure"
              ? "azureNever"
              : pool.cidr?.version === 6
                ? "gcpNeverIPv6"
                : "gcpNever",
          data: { pool: pool.name },
          span: encapsulationSpan(pool),
          ...at,
        });
      } else if (provider === "azure") {
        const span = pool.source.at(["spec", field]);
        ctx.report({ messageId: "azureCrossSubnet", data: { pool: pool.name }, span, ...at });
      } else {
        const span = pool.source.at(["spec", field]);
        ctx.report({ messageId: "gcpCrossSubnet", data: { pool: pool.name, field }, span, ...at });
      }
    }
  },
});
