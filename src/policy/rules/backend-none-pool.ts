import { defineRule } from "../rule.js";
import { encapsulationSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * With CALICO_NETWORKING_BACKEND=none calico-node is policy only: it configures no node address
 * (so Felix makes no VTEP and knows no node to route to) and runs no BIRD. Any workload pool,
 * encapsulating or routed, is then left without routes between nodes.
 */
export const rule = defineRule({
  id: "backend-none-pool",
  meta: {
    description:
      "The Cluster's backend is none while a workload IPPool (disabled ones included) needs Calico to route it.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      vxlan:
        'IPPool "{pool}" uses VXLAN, but the backend is none: calico-node then configures no node address, so Felix builds no VTEP and VXLAN never comes up; use backend vxlan, or leave the backend out',
      ipip: 'IPPool "{pool}" uses IP-in-IP, but the backend is none: calico-node configures no node address and runs no BIRD, so no IP-in-IP route exists; use backend bird, or leave the backend out',
      routed:
        'IPPool "{pool}" does not encapsulate, but the backend is none: calico-node configures no node address and runs no BIRD, so nothing routes its addresses between nodes; use backend bird, or leave the backend out',
    },
  },
  check(model, ctx) {
    if (model.cluster.backend !== "none") return;
    const operator = model.cluster.install === "operator";
    for (const pool of model.pools) {
      if (!pool.allowedUses.includes("Workload")) continue;
      // The operator refuses IP-in-IP and unencapsulated pools without BGP: operator-pool-unsupported's.
      if (operator && pool.vxlanMode === "Never") continue;
      ctx.report({
        messageId:
          pool.vxlanMode !== "Never" ? "vxlan" : pool.ipipMode !== "Never" ? "ipip" : "routed",
        data: { pool: pool.name },
        span: encapsulationSpan(pool),
        resource: poolResource(pool),
        related: [
          { ...model.cluster.source.at(["spec", "networking", "backend"]), message: "the backend" },
        ],
      });
    }
  },
});
