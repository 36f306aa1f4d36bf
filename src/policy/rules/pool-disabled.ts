import type { NetworkFacts, PoolFacts } from "../../model/facts.js";
import type { TunnelEncapsulation } from "../../model/mtu.js";
import { definePlanRule } from "../plan-rule.js";
import { acknowledgementSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * `disabled: true` on an enabled pool: Calico stops allocating from it, and nothing else. Its
 * workloads keep their addresses; Felix and BIRD keep carrying the pool until it is deleted (the
 * plan says so in a note). It is disruptive when some of its nodes are left with no enabled pool
 * of its IP version (new workloads there get no address), or when nodes lose their VXLAN tunnel
 * address with it (calico-node takes tunnel addresses from enabled pools only, and a node without
 * one has no VTEP: every route to its VXLAN workloads goes).
 */
export const rule = definePlanRule({
  id: "pool-disabled",
  meta: {
    description:
      "An IPPool is disabled while some of its nodes have no other enabled pool, or lose their VXLAN tunnel address with it.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { disabled: "IPPool/{pool}: disabled" },
    messages: {
      stranded:
        "new workloads on {nodes} cannot get an IPv{version} address: no other enabled pool selects them (existing workloads keep theirs)",
      vtepWithdrawn:
        "calico-node releases the VXLAN tunnel address of {tunnelNodes}: no other enabled VXLAN pool that allows the Tunnel use selects them; Felix withdraws their VTEPs, and every node drops its routes to their VXLAN workloads, those still on IPPool/{pool} included",
      strandedAndVtepWithdrawn:
        "new workloads on {nodes} cannot get an IPv{version} address (no other enabled pool selects them), and calico-node releases the VXLAN tunnel address of {tunnelNodes}: Felix withdraws their VTEPs, and every node drops its routes to their VXLAN workloads, those still on IPPool/{pool} included",
    },
    steps: {
      widenFirst: ["Add or widen another pool for these nodes first, then disable {pool}."],
      tunnelFirst: [
        "Add or widen an enabled VXLAN pool that allows the Tunnel use for these nodes first (their tunnel addresses move to it), then disable {pool}.",
      ],
      both: [
        "Add or widen another pool for these nodes first, a VXLAN one that allows the Tunnel use.",
        "Then disable {pool}.",
      ],
    },
    notes: {
      keepsIPIP:
        "workloads on {nodes} keep their IPPool/{pool} addresses until they are recreated; Felix keeps IP-in-IP on and BIRD keeps routing the pool's blocks through tunl0 (both count disabled pools) until the pool is deleted",
      keepsVXLAN:
        "workloads on {nodes} keep their IPPool/{pool} addresses until they are recreated; Felix keeps VXLAN on and keeps routing the pool's blocks (it counts disabled pools) until the pool is deleted",
      keepsRouted:
        "workloads on {nodes} keep their IPPool/{pool} addresses until they are recreated; BIRD keeps routing the pool's blocks (it counts disabled pools) until the pool is deleted",
      ipipTunnelReleased:
        "calico-node releases the IP-in-IP tunnel address of {nodes}: no enabled IP-in-IP pool that allows the Tunnel use selects them any more, and Felix sets tunl0 up only with one; move their workloads off IPPool/{pool} before any of these nodes restarts",
    },
  },
  check(model, ctx) {
    for (const { before, after } of ctx.diff.poolsChanged) {
      if (before.disabled || !after.disabled) continue;
      const resource = poolResource(after);

      // The notes: whose workloads stay on the pool and what keeps carrying them.
      if (before.nodes?.length) {
        ctx.note({
          noteId: keepsNote(before),
          data: { pool: before.name, nodes: ctx.nodesText(before.nodes) },
          resource,
        });
      }
      const released = usesIpip(before) ? lostTunnels(ctx, "ipip") : [];
      if (released.length) {
        ctx.note({
          noteId: "ipipTunnelReleased",
          data: { pool: before.name, nodes: ctx.nodesText(released) },
          resource,
        });
      }

      const covered = new Set<string>();
      for (const p of ctx.current.pools.values()) {
        if (!p.disabled && p.version === after.version)
          for (const n of p.nodes ?? []) covered.add(n);
      }
      const stranded = (before.nodes ?? []).filter((n) => !covered.has(n));
      const vxlan: TunnelEncapsulation = after.version === 6 ? "vxlan-v6" : "vxlan";
      const noVtep = after.vxlanMode === "Never" ? [] : lostTunnels(ctx, vxlan);
      if (stranded.length === 0 && noVtep.length === 0) continue;

      const source = ctx.current.pools.get(after.name)?.source;
      const common = {
        titleId: "disabled",
        span: source ? source.at(["spec", "disabled"]) : acknowledgementSpan(model),
        resource,
        change: { field: "spec.disabled", from: "false", to: "true" },
        pools: [after.name],
        nodes: [...stranded, ...noVtep],
        targets: [{ kind: "IPPool", name: after.name }, { kind: "Installation" }],
      } as const;
      const version = after.version ?? 4;
      if (noVtep.length === 0) {
        ctx.report({
          ...common,
          messageId: "stranded",
          stepsId: "widenFirst",
          data: { pool: after.name, nodes: ctx.nodesText(stranded), version },
        });
      } else if (stranded.length === 0) {
        ctx.report({
          ...common,
          messageId: "vtepWithdrawn",
          stepsId: "tunnelFirst",
          data: { pool: after.name, tunnelNodes: ctx.nodesText(noVtep) },
        });
      } else {
        ctx.report({
          ...common,
          messageId: "strandedAndVtepWithdrawn",
          stepsId: "both",
          data: {
            pool: after.name,
            nodes: ctx.nodesText(stranded),
            version,
            tunnelNodes: ctx.nodesText(noVtep),
          },
        });
      }
    }
  },
});

/** Which note says what keeps carrying a disabled pool's workloads. */
function keepsNote(pool: PoolFacts): "keepsVXLAN" | "keepsIPIP" | "keepsRouted" {
  if (pool.vxlanMode !== "Never") return "keepsVXLAN";
  return pool.ipipMode !== "Never" ? "keepsIPIP" : "keepsRouted";
}

/** An IP-in-IP pool (a pool that sets both modes is VXLAN's, as routing.ts reads it). */
function usesIpip(pool: PoolFacts): boolean {
  return pool.ipipMode !== "Never" && pool.vxlanMode === "Never";
}

/** Nodes that had a `tunnel` address in the base and get none in the repository. */
function lostTunnels(
  ctx: { readonly base: NetworkFacts; readonly current: NetworkFacts },
  tunnel: TunnelEncapsulation,
): string[] {
  const had = ctx.base.tunnelNodes?.get(tunnel);
  const has = ctx.current.tunnelNodes?.get(tunnel);
  if (!had || !has) return [];
  return [...had].filter((n) => !has.has(n));
}
