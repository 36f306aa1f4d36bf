import { calicoNodeFamilies, nodeAddress, poolFamily } from "../../model/families.js";
import type { IpFamily, Model, Node, Pool } from "../../model/types.js";
import { defineRule, type TypedRuleContext } from "../rule.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource, poolResource } from "../../model/resources.js";

const messages = {
  calicoNode:
    'node "{node}" has no IPv{family} address, but IPPool "{pool}" is IPv{family}: calico-node detects an IPv{family} address on every node ({setting}) and exits where it finds none, so pods never start there; give the node {field}',
  calicoNodeNoPool:
    'node "{node}" has no IPv4 address, and no enabled pool is IPv6: calico-node then detects an IPv4 address on every node ({setting}) and exits where it finds none; give the node an IPv4 address, or add an IPv6 pool',
  pool: 'node "{node}" has no IPv{family} address, but IPPool "{pool}" (IPv{family}) selects it: no other node routes to its IPv{family} workloads; give the node {field}, or narrow the pool\'s nodeSelector',
  group:
    'node group "{group}": {count} of its nodes (first "{node}") have no IPv{family} address: {why}; give the group {field}',
} as const;

/**
 * Felix routes a pool of each family with the nodes' addresses of that family: a node without
 * one has no route of that family to or from any other node. In calico mode calico-node does
 * not even start on it, when it is asked to detect that family on every node.
 */
export const rule = defineRule({
  id: "node-address-family-missing",
  meta: {
    description:
      "A node has no address of an IP family its pools use: calico-node detects that family on every node and exits without one (calico mode), or the pool's workloads on it are unreachable (static mode).",
    defaultSeverity: "error",
    category: "topology",
    // Which families the pools use needs every IPPool; a node's IPv6 subnet, every Topology.
    needsEvery: ["Topology", "IPPool"],
    messages,
  },
  check(model, ctx) {
    if (model.cluster.hostNetwork.mode === "static") {
      for (const pool of model.pools) {
        if (pool.disabled || !pool.cidr) continue;
        const family = poolFamily(pool);
        report(model, ctx, model.nodesByPool.get(pool.name) ?? [], family, pool, "pool");
      }
      return;
    }
    const families = calicoNodeFamilies(model.pools);
    for (const family of [4, 6] as const) {
      if (!(family === 4 ? families.ipv4 : families.ipv6)) continue;
      const pool = model.pools.find((p) => !p.disabled && p.cidr?.version === family);
      report(model, ctx, model.topology.nodes, family, pool, "calicoNode");
    }
  },
});

/** One finding per node written out, one per node group (its first member and a count). */
function report(
  model: Model,
  ctx: TypedRuleContext<typeof messages>,
  nodes: readonly Node[],
  family: IpFamily,
  pool: Pool | undefined,
  messageId: "pool" | "calicoNode",
): void {
  const groups = new Map<string, { first: Node; count: number }>();
  for (const node of nodes) {
    // A node whose address does not parse is node-address-outside-subnets' finding.
    if (!node.address || nodeAddress(node, family)) continue;
    if (node.group !== undefined) {
      const g = groups.get(node.group);
      if (g) g.count++;
      else groups.set(node.group, { first: node, count: 1 });
      continue;
    }
    const field =
      family === 6 ? "addressV6 (an IPv6 address in an IPv6 subnet)" : "an IPv4 address";
    const at = where(node, pool);
    if (!pool) {
      const data = { node: node.name, setting: setting(model, 4) };
      ctx.report({ ...at, messageId: "calicoNodeNoPool", data });
    } else if (messageId === "pool") {
      const data = { node: node.name, family, pool: pool.name, field };
      ctx.report({ ...at, messageId, data });
    } else {
      const data = {
        node: node.name,
        family,
        pool: pool.name,
        setting: setting(model, family),
        field,
      };
      ctx.report({ ...at, messageId, data });
    }
  }
  for (const [group, { first, count }] of groups) {
    const why =
      messageId === "pool" && pool
        ? `IPPool "${pool.name}" (IPv${family}) selects them, and no other node routes to their IPv${family} workloads`
        : `calico-node detects one on every node (${setting(model, family)}) and exits where it finds none`;
    ctx.report({
      ...where(first, pool),
      messageId: "group",
      data: {
        group,
        count,
        node: first.name,
        family,
        why,
        field: family === 6 ? "subnetV6 and firstAddressV6" : "IPv4 addresses",
      },
    });
  }
}

function where(node: Node, pool: Pool | undefined) {
  return {
    span: nodeFieldSpan(node, "address"),
    resource: nodeResource(node),
    related: pool
      ? [{ ...pool.source.at(["spec", "cidr"]), message: `${poolResource(pool)}` }]
      : undefined,
  };
}

/** How calico-node is told to detect the family: the DaemonSet's env, or the operator's field. */
function setting(model: Model, family: IpFamily): string {
  if (model.cluster.install === "operator")
    return `Installation nodeAddressAutodetectionV${family}`;
  return family === 6 ? "IP6=autodetect" : "IP=autodetect";
}
