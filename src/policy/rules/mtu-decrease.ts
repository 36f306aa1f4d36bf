import { allNodes, encapsulationSwitched } from "../../model/facts.js";
import { definePlanRule } from "../plan-rule.js";
import { poolModeSpan, subnetMTUSpan } from "../spans.js";

/**
 * The workload (pod) MTU decreases, as written or as derived from the underlay and the
 * encapsulation: a workload's interface gets its MTU when it is created, so the ones running
 * keep the larger MTU until they are recreated.
 */
export const rule = definePlanRule({
  id: "mtu-decrease",
  meta: {
    description:
      "The workload MTU decreases (as written or derived); running workloads keep the larger MTU and lose their large packets until recreated.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: {
      explicit: "workload MTU {from} -> {to}",
      derived: "workload MTU {from} -> {to} (derived)",
    },
    messages: {
      keepsOld:
        "workloads created before the change keep MTU {from} on their interfaces until they are recreated; their packets larger than {to} bytes are dropped or fragmented on {nodes} (path MTU discovery fails where ICMP is filtered)",
    },
    steps: { recreate: ["Recreate (roll) the workloads once calico-node has rolled out."] },
  },
  check(model, ctx) {
    const change = ctx.diff.podMTU;
    if (!change || change.after >= change.before) return;
    const { cluster } = model;
    const explicit = cluster.podMTU !== undefined;
    const subnet = ctx.diff.subnetMTUs.find((s) => s.after < s.before);
    const tunnel = encapsulationSwitched(ctx.diff)?.after.name;
    const nodes = allNodes(ctx.base, ctx.current);
    ctx.report({
      messageId: "keepsOld",
      titleId: explicit ? "explicit" : "derived",
      stepsId: "recreate",
      data: { from: change.before, to: change.after, nodes: ctx.nodesText(nodes) },
      // A derived MTU points at what it follows: a smaller subnet MTU, else the new encapsulation.
      span: explicit
        ? cluster.source.at(["spec", "networking", "podMTU"])
        : subnet
          ? subnetMTUSpan(model, subnet.name)
          : (poolModeSpan(tunnel === undefined ? undefined : ctx.current.pools.get(tunnel)) ??
            cluster.source.at(["spec", "networking"])),
      resource: `Cluster/${cluster.metadata.name}`,
      change: {
        field: "networking.podMTU",
        from: String(change.before),
        to: String(change.after),
      },
      nodes,
      targets: [{ kind: "ConfigMap", name: "calico-config" }, { kind: "Installation" }],
    });
  },
});
