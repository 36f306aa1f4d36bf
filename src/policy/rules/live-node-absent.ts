import { defineLiveRule } from "../live-rule.js";
import { byGroup } from "../live-helpers.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/** Nodes the Topology lists that the cluster does not run: not joined yet, or gone. */
export const rule = defineLiveRule({
  id: "live-node-absent",
  meta: {
    description:
      "A node of the Topology is not in the cluster snapshot: it has not joined yet, or it is gone.",
    defaultSeverity: "warning",
    scope: "live",
    category: "live",
    messages: {
      node: 'node "{node}" is in the Topology but not in the cluster: it has not joined yet, or it is gone (remove it)',
      group:
        'node group "{group}": the cluster does not run {count} of its {size} nodes (e.g. "{node}"): they have not joined yet, or they are gone (lower the count)',
    },
  },
  check(model, ctx) {
    const absent = model.topology.nodes
      .filter((n) => !ctx.live.nodes.has(n.name))
      .map((node) => ({ node }));
    for (const set of byGroup(absent)) {
      const first = set[0].node;
      if (first.group === undefined) {
        ctx.report({
          messageId: "node",
          data: { node: first.name },
          span: nodeFieldSpan(first, "name"),
          resource: nodeResource(first),
        });
        continue;
      }
      const size =
        model.topology.nodeGroups.find((g) => g.namePrefix === first.group)?.count ?? set.length;
      ctx.report({
        messageId: "group",
        data: {
          group: first.group,
          count: set.length,
          size,
          node: first.name,
        },
        span: nodeFieldSpan(first, "name"),
        resource: nodeResource(first),
      });
    }
  },
});
