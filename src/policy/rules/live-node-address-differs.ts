import { modelFamilies, pairedNodes } from "../../live/compare.js";
import { nodeAddress } from "../../model/families.js";
import type { LiveAddress } from "../../live/snapshot.js";
import type { Node, NodeAddress } from "../../model/types.js";
import { defineLiveRule } from "../live-rule.js";
import { must } from "../../util/must.js";
import { byGroup, liveRelated, subnetOf, whoText } from "../live-helpers.js";
import { nodeFieldSpan } from "../spans.js";
import { nodeResource } from "../../model/resources.js";

/** A node's address in the cluster is not the Topology's: every decision about it used the wrong one. */
export const rule = defineLiveRule({
  id: "live-node-address-differs",
  meta: {
    description:
      "A node's address in the cluster (Calico's, else its InternalIP) differs from its address in the Topology.",
    defaultSeverity: "error",
    scope: "live",
    category: "live",
    messages: {
      subnet:
        '{who} has address {live} in the cluster, not {repo}, and so is in {where} there, not in subnet "{subnet}": netcompile decided its routes and encapsulation for the wrong subnet',
      address: '{who} has address {live} in the cluster, not {repo} (both in subnet "{subnet}")',
      missing: "{who} has no IPv{family} address in the cluster; the Topology gives it {repo}",
    },
  },
  check(model, ctx) {
    const found: { node: Node; family: 4 | 6; live: LiveAddress | undefined; mine: NodeAddress }[] =
      [];
    for (const { node, live } of pairedNodes(model, ctx.live)) {
      for (const family of modelFamilies(node)) {
        const mine = must(nodeAddress(node, family), `${node.name}'s IPv${family} address`);
        const theirs = live.address[family];
        if (theirs?.address.value === mine.address.value) continue;
        found.push({ node, family, live: theirs, mine });
      }
    }
    for (const set of byGroup(found, (f) =>
      f.live ? String(subnetOf(model, f.live.address)?.name) : "none",
    )) {
      const { node, family, live, mine } = set[0];
      const repo = mine.address.text;
      const who = whoText(set.map((f) => f.node));
      const where = { span: nodeFieldSpan(node, mine.field), resource: nodeResource(node) };
      if (!live) {
        ctx.report({ messageId: "missing", data: { who, family, repo }, ...where });
        continue;
      }
      const related = [liveRelated(live.origin, `${live.field} ${live.text}`)];
      const there = subnetOf(model, live.address);
      const subnet = mine.subnet?.name ?? "(none)";
      if (there && there === mine.subnet) {
        ctx.report({
          messageId: "address",
          data: { who, live: live.address.text, repo, subnet },
          ...where,
          related,
        });
        continue;
      }
      ctx.report({
        messageId: "subnet",
        data: {
          who,
          live: live.address.text,
          repo,
          where: there ? `subnet "${there.name}"` : "no subnet of the Topology",
          subnet,
        },
        ...where,
        related,
      });
    }
  },
});
