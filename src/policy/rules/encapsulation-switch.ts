import { encapsulationName, type PoolFacts } from "../../model/facts.js";
import { definePlanRule } from "../plan-rule.js";
import { acknowledgementSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/** Calico's own warning (docs, "Overlay networking"), quoted after every message. */
const CALICO =
  " (Calico: switching encapsulation modes can cause disruption to in-progress connections)";
const ON = "in-progress connections between its workloads on {nodes} are disrupted";
const SAME_SUBNET = <Verb extends string, Pairs extends string>(verb: Verb, pairs: Pairs) =>
  `traffic of pool {pool} between nodes in the same subnet ${verb} going through the tunnel: in-progress connections between its workloads on ${pairs} that share a subnet are disrupted, among {nodes}; traffic across subnets keeps the tunnel${CALICO}` as const;

type Tunnel = "ipip" | "vxlan" | "none";

/**
 * An enabled pool's encapsulation changes (IP-in-IP <-> VXLAN, Always <-> CrossSubnet <->
 * Never): Felix restarts, swaps or drops its tunnel device and reprograms every route of the
 * pool, so in-progress connections between its workloads break.
 */
export const rule = definePlanRule({
  id: "encapsulation-switch",
  meta: {
    description:
      "An enabled IPPool's encapsulation changes; in-progress connections between its workloads are disrupted.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: { switch: "IPPool/{pool}: encapsulation {from} -> {to}" },
    messages: {
      ipipToVxlan: `every node of pool {pool} replaces IP-in-IP (tunl0) with VXLAN (vxlan.calico) and reprograms its routes: ${ON}${CALICO}`,
      vxlanToIpip: `every node of pool {pool} replaces VXLAN (vxlan.calico) with IP-in-IP (tunl0) and reprograms its routes: ${ON}${CALICO}`,
      starts: `traffic of pool {pool} between nodes starts being encapsulated: ${ON}${CALICO}`,
      startsAcrossSubnets: `traffic of pool {pool} between nodes starts being encapsulated across subnets: ${ON}${CALICO}`,
      stops: `traffic of pool {pool} between nodes stops being encapsulated: ${ON}; across subnets it then works only when the underlay routes workload IPs${CALICO}`,
      stopsAcrossSubnets: `traffic of pool {pool} between nodes stops being encapsulated across subnets: ${ON}; across subnets it then works only when the underlay routes workload IPs${CALICO}`,
      intoTunnel: SAME_SUBNET("starts", "{pairs}"),
      outOfTunnel: SAME_SUBNET("stops", "{pairs}"),
      // The base does not say every node's subnet (a rendered tree): the pairs are not counted.
      intoTunnelUncounted: SAME_SUBNET("starts", "nodes"),
      outOfTunnelUncounted: SAME_SUBNET("stops", "nodes"),
    },
    steps: {
      window: [
        "Apply it when connection resets are acceptable (a maintenance window): long-lived connections must reconnect.",
      ],
    },
  },
  check(model, ctx) {
    // Per family: an IPv6 pool's pairs share a subnet when their IPv6 addresses do.
    const subnetOf = { 4: new Map<string, string>(), 6: new Map<string, string>() };
    for (const side of [ctx.base, ctx.current]) {
      for (const node of side.nodes?.values() ?? []) {
        if (node.subnet && !subnetOf[4].has(node.name)) subnetOf[4].set(node.name, node.subnet);
        const v6 = node.subnetV6 ?? node.subnet;
        if (v6 && !subnetOf[6].has(node.name)) subnetOf[6].set(node.name, v6);
      }
    }
    for (const { before, after } of ctx.diff.poolsChanged) {
      const from = encapsulationName(before);
      const to = encapsulationName(after);
      if (from === to || before.disabled || after.disabled) continue;
      const nodes = new Set([...(before.nodes ?? []), ...(after.nodes ?? [])]);
      const source = ctx.current.pools.get(after.name)?.source;
      const report = {
        titleId: "switch",
        stepsId: "window",
        span: source
          ? source.at(["spec", changedField(before, after)])
          : acknowledgementSpan(model),
        resource: poolResource(after),
        change: { field: "encapsulation", from, to },
        pools: [after.name],
        nodes,
        targets: [{ kind: "IPPool", name: after.name }, { kind: "Installation" }],
      } as const;
      const data = { pool: after.name, from, to, nodes: ctx.nodesText(nodes) };
      if (tunnel(from) !== "none" && tunnel(to) !== "none" && tunnel(from) !== tunnel(to)) {
        const messageId = tunnel(from) === "ipip" ? "ipipToVxlan" : "vxlanToIpip";
        ctx.report({ ...report, messageId, data });
      } else if (tunnel(from) === "none" || tunnel(to) === "none") {
        const starts = tunnel(from) === "none";
        const crossSubnet = (starts ? to : from).endsWith("CrossSubnet");
        const messageId =
          `${starts ? "starts" : "stops"}${crossSubnet ? "AcrossSubnets" : ""}` as const;
        ctx.report({ ...report, messageId, data });
      } else {
        const pairs = sameSubnetPairs(nodes, subnetOf[after.version ?? 4]);
        const messageId = to.endsWith("CrossSubnet") ? "outOfTunnel" : "intoTunnel";
        if (pairs === undefined)
          ctx.report({ ...report, messageId: `${messageId}Uncounted`, data });
        else {
          const counted = { ...data, pairs: ctx.countText(pairs, "node pair") };
          ctx.report({ ...report, messageId, data: counted });
        }
      }
    }
  },
});

function tunnel(encapsulation: string): Tunnel {
  return encapsulation.startsWith("IPIP")
    ? "ipip"
    : encapsulation.startsWith("VXLAN")
      ? "vxlan"
      : "none";
}

/** The mode field that turns the new encapsulation on (or, when it turns off, the one that did). */
function changedField(before: PoolFacts, after: PoolFacts): "ipipMode" | "vxlanMode" {
  if (before.vxlanMode !== after.vxlanMode && after.vxlanMode !== "Never") return "vxlanMode";
  if (before.ipipMode !== after.ipipMode) return "ipipMode";
  return "vxlanMode";
}

/** Pairs of nodes inside one subnet, or undefined when a node's subnet is unknown. */
function sameSubnetPairs(
  nodes: Iterable<string>,
  subnetOf: ReadonlyMap<string, string>,
): number | undefined {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    const s = subnetOf.get(n);
    if (s === undefined) return undefined;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let pairs = 0;
  for (const k of counts.values()) pairs += (k * (k - 1)) / 2;
  return pairs;
}
