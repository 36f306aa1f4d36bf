import { definePlanRule } from "../plan-rule.js";
import { acknowledgementSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

const AFTER =
  "host network files are deleted and Calico stops routing to them; workloads still running there lose their network";

/**
 * Nodes of the base are gone from the topology: their host files are deleted, peers stop
 * routing to them. Nodes of a node group are one change of the group's count; a listed node
 * is one change each.
 */
export const rule = definePlanRule({
  id: "node-removed",
  meta: {
    description:
      "Nodes leave the topology; their host network files are deleted and workloads still running there lose their network.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: true,
    titles: {
      group: "node group {group}: {removed} removed ({from} -> {to})",
      listed: "node {node} removed",
    },
    messages: {
      leaves: `{nodes} leaves the topology: its ${AFTER}`,
      leave: `{nodes} leave the topology: their ${AFTER}`,
    },
    steps: {
      drain: [
        "Drain the nodes (kubectl drain) and remove them from the cluster before this change is applied.",
      ],
    },
  },
  check(model, ctx) {
    const topology = model.topology.sources[0];
    const message = (names: readonly string[]) => (names.length === 1 ? "leaves" : "leave");
    const count = (side: typeof ctx.base, group: string) =>
      [...(side.nodes?.values() ?? [])].filter((n) => n.group === group).length;
    for (const { group, nodes: names } of ctx.diff.nodesRemovedByGroup) {
      const targets = [{ hostFilesOf: names, action: "delete" as const }];
      if (group === "") {
        for (const name of names) {
          ctx.report({
            messageId: "leaves",
            titleId: "listed",
            stepsId: "drain",
            data: { node: name, nodes: ctx.nodesText([name]) },
            span: topology?.keyAt(["spec", "nodes"]) ?? acknowledgementSpan(model),
            resource: nodeResource({ name }),
            change: { field: "state", from: "present", to: "absent" },
            nodes: [name],
            targets: [{ hostFilesOf: [name], action: "delete" }],
          });
        }
        continue;
      }
      const from = count(ctx.base, group);
      const to = count(ctx.current, group);
      const entry = model.topology.nodeGroups.find((g) => g.namePrefix === group);
      ctx.report({
        messageId: message(names),
        titleId: "group",
        stepsId: "drain",
        data: {
          group,
          removed: ctx.countText(names.length, "node"),
          from,
          to,
          nodes: ctx.nodesText(names),
        },
        // A group gone from the topology points at its list (or where acknowledgements go).
        span: entry
          ? entry.source.at(["count"])
          : (topology?.keyAt(["spec", "nodeGroups"]) ?? acknowledgementSpan(model)),
        resource: `NodeGroup/${group}`,
        change: { field: "count", from: String(from), to: String(to) },
        nodes: names,
        targets,
      });
    }
  },
});
