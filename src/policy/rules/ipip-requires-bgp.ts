import { defineRule } from "../rule.js";
import { encapsulationSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * IP-in-IP and unencapsulated pools rely on BIRD (BGP) to tell every node where each block
 * lives; with backend vxlan, nothing distributes those routes (backend none: backend-none-pool). A disabled pool too: its
 * workloads keep their addresses, and BIRD keeps routing its blocks until it is deleted.
 */
export const rule = defineRule({
  id: "ipip-requires-bgp",
  meta: {
    description:
      "An IP-in-IP or unencapsulated IPPool (disabled ones included) exists while the Cluster's backend is vxlan.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      ipip: 'IPPool "{pool}" uses IP-in-IP, but the backend is {backend}: IP-in-IP routes are distributed by BGP (BIRD); use backend bird, or vxlanMode instead of ipipMode',
      unencapsulated:
        'IPPool "{pool}" does not encapsulate, but the backend is {backend}: without BGP (BIRD) no node learns the routes to other nodes\' pods; use backend bird, or vxlanMode',
      disabled:
        'IPPool "{pool}" is disabled, but the workloads that hold its addresses keep them until they are recreated, and their routes ({how}) come from BGP (BIRD), which the backend {backend} does not run; keep backend bird until the pool is deleted',
    },
  },
  check(model, ctx) {
    const { backend } = model.cluster;
    // Backend none leaves every pool without routes: backend-none-pool reports that. The operator
    // refuses these pools outright: operator-pool-unsupported reports them, and cannot be waived.
    if (backend !== "vxlan" || model.cluster.install === "operator") return;
    for (const pool of model.pools) {
      if (!pool.allowedUses.includes("Workload") || pool.vxlanMode !== "Never") continue;
      const how = pool.ipipMode === "Never" ? "unencapsulated" : "IP-in-IP";
      ctx.report({
        ...(pool.disabled
          ? { messageId: "disabled", data: { pool: pool.name, backend, how } }
          : {
              messageId: pool.ipipMode === "Never" ? "unencapsulated" : "ipip",
              data: { pool: pool.name, backend },
            }),
        span: pool.disabled ? pool.source.at(["spec", "disabled"]) : encapsulationSpan(pool),
        resource: poolResource(pool),
        related: [
          { ...model.cluster.source.at(["spec", "networking", "backend"]), message: "the backend" },
        ],
      });
    }
  },
});
