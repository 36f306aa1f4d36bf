import { defineRule } from "../rule.js";

/**
 * In static host mode every host file lists every other node (an FDB entry, a neighbour and a
 * route per peer), so the output grows with the square of the node count. Above this many
 * nodes a build takes seconds and hundreds of MB (measured by `npm run bench`, see
 * docs/PERFORMANCE.md), and every added node rewrites every host's files.
 */
export const STATIC_MODE_MAX_NODES = 200;

export const rule = defineRule({
  id: "static-mode-node-count",
  meta: {
    description: `Static host networking with more than ${STATIC_MODE_MAX_NODES} nodes: host files grow with the square of the node count.`,
    defaultSeverity: "warning",
    category: "topology",
    needsEvery: ["Topology"],
    messages: {
      tooMany: `hostNetwork mode static with {nodes} nodes (more than ${STATIC_MODE_MAX_NODES}): every host's files list every other node, so the output grows with the square of the node count ({entries} peer entries) and adding one node rewrites every host; use mode calico (Felix programs the routes) for clusters this large`,
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    if (cluster.hostNetwork.mode !== "static") return;
    const nodes = model.topology.nodes.length;
    if (nodes <= STATIC_MODE_MAX_NODES) return;
    ctx.report({
      messageId: "tooMany",
      data: { nodes, entries: nodes * (nodes - 1) },
      span: cluster.source.at(["spec", "hostNetwork", "mode"]),
      resource: `Cluster/${cluster.metadata.name}`,
    });
  },
});
