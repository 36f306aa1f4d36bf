import { pairedNodes } from "../../live/compare.js";
import type { LiveNode } from "../../live/snapshot.js";
import type { Selector } from "../../model/selector.js";
import { defineLiveRule } from "../live-rule.js";
import { liveRelated, namesText } from "../live-helpers.js";
import { fieldSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * The nodes' labels in the cluster make a pool of the repository select other nodes than the
 * Topology's labels do: every check of that pool (encapsulation, overlap, MTU) was made for
 * the wrong nodes.
 */
export const rule = defineLiveRule({
  id: "live-pool-selection-differs",
  meta: {
    description:
      "With the nodes' labels in the cluster, an IPPool's nodeSelector selects other nodes than with the Topology's labels.",
    defaultSeverity: "error",
    scope: "live",
    category: "live",
    messages: {
      more: 'IPPool "{pool}" selects {nodes} in the cluster, which the Topology\'s labels leave out: its checks did not cover them',
      fewer:
        'IPPool "{pool}" does not select {nodes} in the cluster, which the Topology\'s labels select: they take addresses from other pools, or none',
    },
  },
  check(model, ctx) {
    const pairs = pairedNodes(model, ctx.live);
    for (const pool of model.pools) {
      const selector = pool.nodeSelector;
      if (!selector || pool.disabled || !pool.allowedUses.includes("Workload")) continue;
      const more: { live: LiveNode; why: string }[] = [];
      const fewer: { live: LiveNode; why: string }[] = [];
      for (const { node, live } of pairs) {
        const repo = selector.matches(node.labels);
        const there = selector.matches(live.labels);
        if (repo === there) continue;
        (there ? more : fewer).push({ live, why: deciding(selector, node.labels, live.labels) });
      }
      const span = fieldSpan(pool.source, ["spec", "nodeSelector"]);
      for (const [messageId, nodes] of [
        ["more", more],
        ["fewer", fewer],
      ] as const) {
        if (nodes.length === 0) continue;
        ctx.report({
          messageId,
          data: { pool: pool.name, nodes: namesText(nodes.map((n) => n.live.name)) },
          span,
          resource: poolResource(pool),
          related: nodes.slice(0, 3).map((n) => liveRelated(n.live.labelsOrigin, n.why)),
        });
      }
    }
  },
});

/**
 * The labels that make the difference: those whose live value alone flips the selection (at
 * most three), else the first three that differ. "zone=b (Topology: a)".
 */
function deciding(
  selector: Selector,
  repo: Readonly<Record<string, string>>,
  live: Readonly<Record<string, string>>,
): string {
  const keys = [...new Set([...Object.keys(repo), ...Object.keys(live)])]
    .filter((k) => repo[k] !== live[k])
    .sort();
  const wanted = selector.matches(live);
  const flips = keys.filter((k) => {
    const changed = { ...repo };
    if (live[k] === undefined) delete changed[k];
    else changed[k] = live[k];
    return selector.matches(changed) === wanted;
  });
  const shown = (flips.length ? flips : keys).slice(0, 3).map((k) => {
    const now = live[k] === undefined ? `no ${k}` : `${k}=${live[k]}`;
    return `${now} (Topology: ${repo[k] === undefined ? "not set" : repo[k]})`;
  });
  return `labels ${shown.join(", ")}`;
}
