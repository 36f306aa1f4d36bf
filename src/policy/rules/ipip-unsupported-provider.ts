import { PROVIDERS } from "../../model/providers.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Azure's network drops IP protocol 4, so IP-in-IP never arrives; VXLAN (UDP) does
 * (tigera/docs calico/reference/public-cloud/azure.mdx). The fix is VXLAN Always: VXLAN
 * CrossSubnet sends traffic inside a subnet unencapsulated, which Azure delivers only along
 * user-defined routes (provider-drops-unencapsulated). Disabled pools count: Felix keeps
 * routing their blocks through tunl0 for the workloads that hold their addresses.
 */
export const rule = defineRule({
  id: "ipip-unsupported-provider",
  meta: {
    description:
      "An IPPool (disabled ones included) uses IP-in-IP on a provider whose network drops it (Azure).",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      azure:
        'IPPool "{pool}": ipipMode {mode} on Azure, whose network drops IP-in-IP (IP protocol 4); use {fix} and ipipMode Never',
    },
  },
  check(model, ctx) {
    if (!PROVIDERS[model.cluster.provider].dropsIPIP) return;
    for (const pool of model.pools) {
      if (pool.ipipMode === "Never") continue;
      // Unencapsulated traffic inside a subnet needs user-defined routes, which routesWorkloadIPs says exist.
      const crossSubnet = pool.ipipMode === "CrossSubnet" && model.topology.routesWorkloadIPs;
      ctx.report({
        messageId: "azure",
        data: {
          pool: pool.name,
          mode: pool.ipipMode,
          fix: crossSubnet ? "vxlanMode CrossSubnet" : "vxlanMode Always",
        },
        span: pool.source.at(["spec", "ipipMode"]),
        resource: poolResource(pool),
        related: [{ ...model.cluster.source.at(["spec", "provider"]), message: "the provider" }],
      });
    }
  },
});
