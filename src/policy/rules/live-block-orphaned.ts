import type { LiveBlock } from "../../live/snapshot.js";
import { cidrContains } from "../../model/cidr.js";
import type { Pool } from "../../model/types.js";
import { defineLiveRule } from "../live-rule.js";
import { liveRelated, namesText, type NonEmpty } from "../live-helpers.js";
import { fieldSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * Blocks a node still holds from a pool whose nodeSelector no longer selects it: Calico does not
 * take a block back while addresses in it are in use, so the node's workloads keep addresses,
 * routes and encapsulation of a pool that the repository says is not theirs.
 */
export const rule = defineLiveRule({
  id: "live-block-orphaned",
  meta: {
    description:
      "A node holds blocks (BlockAffinity) of an IPPool whose nodeSelector in the repository does not select it.",
    defaultSeverity: "warning",
    scope: "live",
    category: "live",
    messages: {
      held: 'IPPool "{pool}" does not select {nodes}, yet they hold {blocks} of it in the cluster (e.g. {block}): their workloads keep those addresses and the pool\'s routing until the blocks empty and Calico releases them',
    },
  },
  check(model, ctx) {
    const repoNodes = new Set(model.topology.nodes.map((n) => n.name));
    const selectedBy = new Map<string, Set<string>>();
    const selects = (pool: Pool, node: string) => {
      let names = selectedBy.get(pool.name);
      if (!names) {
        names = new Set((model.nodesByPool.get(pool.name) ?? []).map((n) => n.name));
        selectedBy.set(pool.name, names);
      }
      return names.has(node);
    };
    const orphaned = new Map<Pool, NonEmpty<LiveBlock>>();
    for (const block of ctx.live.blocks) {
      if (!repoNodes.has(block.node)) continue; // live-node-unknown reports the node
      const pool = model.pools.find(
        (p) => !p.disabled && p.cidr && cidrContains(p.cidr, block.cidr),
      );
      if (!pool) continue; // no enabled pool of the repository holds it
      if (selects(pool, block.node)) continue;
      const list = orphaned.get(pool);
      if (list) list.push(block);
      else orphaned.set(pool, [block]);
    }
    for (const [pool, blocks] of orphaned) {
      const [first] = blocks;
      ctx.report({
        messageId: "held",
        data: {
          pool: pool.name,
          nodes: namesText([...new Set(blocks.map((b) => b.node))]),
          blocks: ctx.countText(blocks.length, "block"),
          block: `${first.cidr.canonical} on ${first.node}`,
        },
        span: fieldSpan(pool.source, ["spec", "nodeSelector"]),
        resource: poolResource(pool),
        related: blocks
          .slice(0, 3)
          .map((b) => liveRelated(b.origin, `${b.cidr.canonical} affine to ${b.node}`)),
      });
    }
  },
});
