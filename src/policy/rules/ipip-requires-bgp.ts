import { defineRule } from "../rule.js";
import { encapsulationSpan, poolResource } from "../spans.js";

/**
 * IP-in-IP and unencapsulated pools rely on BIRD (BGP) to tell every node where each block
 * lives; with backend vxlan or none, nothing distributes those routes.
 */
export const rule = defineRule({
  id: "ipip-requires-bgp",
  meta: {
    description:
      "An IP-in-IP or unencapsulated IPPool is enabled while the Cluster's backend is vxlan or none.",
    defaultSeverity: "error",
    category: "topology",
    messages: {
      ipip: 'IPPool "{pool}" uses IP-in-IP, but the backend is {backend}: IP-in-IP routes are distributed by BGP (BIRD); use backend bird, or vxlanMode instead of ipipMode',
      unencapsulated:
        'IPPool "{pool}" does not encapsulate, but the backend is {backend}: without BGP (BIRD) no node learns the routes to other nodes\' pods; use backend bird, or vxlanMode',
    },
  },
  check(model, ctx) {
    const { backend } = model.cluster;
    if (backend === "bird") return;
    for (const pool of model.pools) {
      if (pool.disabled || !pool.allowedUses.includes("Workload") || pool.vxlanMode !== "Never") {
        continue;
      }
      ctx.report({
        messageId: pool.ipipMode === "Never" ? "unencapsulated" : "ipip",
        data: { pool: pool.name, backend },
        span: encapsulationSpan(pool),
        resource: poolResource(pool),
        related: [
          { ...model.cluster.source.at(["spec", "networking", "backend"]), message: "the backend" },
        ],
      });
    }
  },
});
