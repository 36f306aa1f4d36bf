import { defineRule } from "../rule.js";
import { isPresent } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico's allowedUses rules (validator.go validateIPPoolSpec), applied after clientv3's
 * defaults as `kubectl apply` sees them: a LoadBalancer pool stands alone, without
 * encapsulation, on all() nodes, with BGP export on; a Tunnel pool has no namespaceSelector
 * — and an absent allowedUses means [Workload, Tunnel].
 */
export const rule = defineRule({
  id: "pool-allowed-uses",
  meta: {
    description:
      "An IPPool's allowedUses conflicts with its other fields (LoadBalancer pools, Tunnel with a namespaceSelector).",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      loadBalancerWith:
        'IPPool "{pool}": allowedUses combines LoadBalancer with {use}; a LoadBalancer pool serves nothing else',
      loadBalancerEncapsulation:
        'IPPool "{pool}": a LoadBalancer pool cannot encapsulate, but {field} is {mode}; set it to Never',
      loadBalancerNodeSelector:
        'IPPool "{pool}": a LoadBalancer pool must have nodeSelector all(), not "{selector}"',
      loadBalancerBGPExport:
        'IPPool "{pool}": a LoadBalancer pool must not set disableBGPExport: true; its addresses are reachable only when advertised',
      tunnelNamespaceSelector:
        'IPPool "{pool}": allowedUses includes Tunnel, which cannot have a namespaceSelector (tunnel addresses belong to no namespace); set allowedUses: [Workload]',
      defaultTunnelNamespaceSelector:
        'IPPool "{pool}": has a namespaceSelector but no allowedUses, and Calico fills in [Workload, Tunnel], which it then refuses (tunnel addresses belong to no namespace); set allowedUses: [Workload]',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      const resource = poolResource(pool);
      const uses = pool.allowedUses;
      if (uses.includes("LoadBalancer")) {
        uses.forEach((use, i) => {
          if (use !== "Workload" && use !== "Tunnel") return;
          ctx.report({
            messageId: "loadBalancerWith",
            data: { pool: pool.name, use },
            span: pool.source.at(["spec", "allowedUses", i]),
            resource,
          });
        });
        const encapsulated = (
          [
            ["ipipMode", pool.ipipMode],
            ["vxlanMode", pool.vxlanMode],
          ] as const
        ).find(([, mode]) => mode !== "Never");
        if (encapsulated) {
          ctx.report({
            messageId: "loadBalancerEncapsulation",
            data: { pool: pool.name, field: encapsulated[0], mode: encapsulated[1] },
            span: pool.source.at(["spec", encapsulated[0]]),
            resource,
          });
        }
        // An exact string comparison, as upstream; an absent selector is defaulted to all().
        const selector = pool.nodeSelectorText || "all()";
        if (selector !== "all()") {
          ctx.report({
            messageId: "loadBalancerNodeSelector",
            data: { pool: pool.name, selector },
            span: pool.source.at(["spec", "nodeSelector"]),
            resource,
          });
        }
        if (pool.disableBGPExport) {
          ctx.report({
            messageId: "loadBalancerBGPExport",
            data: { pool: pool.name },
            span: pool.source.at(["spec", "disableBGPExport"]),
            resource,
          });
        }
      }
      if (pool.namespaceSelectorText && uses.includes("Tunnel")) {
        const explicit = isPresent(pool.source, ["spec", "allowedUses"]);
        ctx.report({
          messageId: explicit ? "tunnelNamespaceSelector" : "defaultTunnelNamespaceSelector",
          data: { pool: pool.name },
          span: pool.source.at(["spec", "namespaceSelector"]),
          resource,
          related: explicit
            ? [{ ...pool.source.at(["spec", "allowedUses"]), message: "allowedUses is set here" }]
            : [],
        });
      }
    }
  },
});
