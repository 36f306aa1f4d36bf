import { allNodes, encapsulationSwitched } from "../../model/facts.js";
import { definePlanRule } from "../plan-rule.js";
import { acknowledgementSpan, poolModeSpan } from "../spans.js";

const BIRD_STOPS =
  "BIRD stops on {nodes}: every BGP session drops and the routes it carried are withdrawn";
const ROLLS = "calico-node restarts on each node (rolling update)";

/**
 * The Cluster's networking backend (bird, vxlan, none) changes, as written or as derived from
 * the pools: calico-node picks its daemons at start, so every node restarts it, and BGP sessions
 * drop or start.
 */
export const rule = definePlanRule({
  id: "backend-change",
  meta: {
    description:
      "The networking backend changes (as written or derived from the pools); calico-node restarts on every node and BGP sessions drop or start.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: {
      explicit: "networking backend {from} -> {to}",
      derived: "networking backend {from} -> {to} (derived from the pools)",
    },
    messages: {
      birdStops: `${BIRD_STOPS}; ${ROLLS}`,
      birdStopsNoRoutes: `${BIRD_STOPS}; no routes between nodes are programmed after it; ${ROLLS}`,
      birdStarts:
        "calico-node restarts on {nodes} to start BIRD; the nodes then open BGP sessions (TCP 179 must be allowed between them)",
      toNone: "calico-node restarts on {nodes}; no routes between nodes are programmed after it",
      toVxlan: "calico-node restarts on {nodes}; VXLAN routes replace the previous ones",
    },
    steps: {
      rollOut: ["Apply it in a maintenance window; watch calico-node roll out node by node."],
    },
  },
  check(model, ctx) {
    const change = ctx.diff.backend;
    if (!change) return;
    const { before: from, after: to } = change;
    const messageId =
      from === "bird"
        ? to === "none"
          ? "birdStopsNoRoutes"
          : "birdStops"
        : to === "bird"
          ? "birdStarts"
          : to === "none"
            ? "toNone"
            : "toVxlan";
    const { cluster } = model;
    const explicit = !cluster.backendDerived;
    const cause = encapsulationSwitched(ctx.diff)?.after.name;
    const nodes = allNodes(ctx.base, ctx.current);
    ctx.report({
      messageId,
      titleId: explicit ? "explicit" : "derived",
      stepsId: "rollOut",
      data: { from, to, nodes: ctx.nodesText(nodes) },
      // A derived backend follows the pool whose encapsulation changed.
      span: explicit
        ? cluster.source.at(["spec", "networking", "backend"])
        : (poolModeSpan(cause === undefined ? undefined : ctx.current.pools.get(cause)) ??
          acknowledgementSpan(model)),
      resource: `Cluster/${cluster.metadata.name}`,
      change: { field: "networking.backend", from, to },
      nodes,
      targets: [
        { kind: "ConfigMap", name: "calico-config" },
        { kind: "Installation" },
        { kind: "DaemonSet", name: "calico-node" },
      ],
    });
  },
});
