import { defineRule } from "../rule.js";

/** VXLAN routes are programmed by Felix itself; with only VXLAN pools, BIRD has nothing to do. */
export const rule = defineRule({
  id: "vxlan-only-bgp-unneeded",
  meta: {
    description: "Every enabled IPPool uses VXLAN, yet the Cluster's backend is bird.",
    defaultSeverity: "info",
    category: "topology",
    messages: {
      unneeded:
        "every enabled IP pool uses VXLAN, which needs no BGP, but the backend is bird; backend vxlan drops BIRD and its BGP sessions",
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    if (cluster.backend !== "bird" || cluster.backendDerived) return;
    const enabled = model.pools.filter((p) => !p.disabled);
    // LoadBalancer addresses are announced over BGP: then BIRD is needed after all.
    if (
      enabled.length === 0 ||
      enabled.some((p) => p.allowedUses.includes("LoadBalancer")) ||
      !enabled.every((p) => p.vxlanMode !== "Never" && p.ipipMode === "Never")
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
