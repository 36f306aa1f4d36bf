import { defineRule } from "../rule.js";

/**
 * VXLAN routes are programmed by Felix itself; with only VXLAN pools, BIRD has nothing to do.
 * Disabled pools count: BIRD keeps routing a disabled IP-in-IP pool's blocks for the workloads
 * still on it.
 */
export const rule = defineRule({
  id: "vxlan-only-bgp-unneeded",
  meta: {
    description:
      "Every IPPool (disabled ones included) uses VXLAN, yet the Cluster's backend is bird.",
    defaultSeverity: "info",
    category: "topology",
    needsEvery: ["IPPool"],
    messages: {
      unneeded:
        "every IP pool uses VXLAN, which needs no BGP, but the backend is bird; backend vxlan drops BIRD and its BGP sessions",
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    if (cluster.backend !== "bird" || cluster.backendDerived) return;
    const { pools } = model;
    // LoadBalancer addresses are announced over BGP: then BIRD is needed after all.
    if (
      pools.length === 0 ||
      pools.some((p) => p.allowedUses.includes("LoadBalancer")) ||
      !pools.every((p) => p.vxlanMode !== "Never" && p.ipipMode === "Never")
    ) {
      return;
    }
    ctx.report({
      messageId: "unneeded",
      span: cluster.source.at(["spec", "networking", "backend"]),
      resource: `Cluster/${cluster.metadata.name}`,
    });
  },
});
