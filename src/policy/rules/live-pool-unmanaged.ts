import { poolSelects } from "../../live/compare.js";
import { encapsulationName } from "../../model/facts.js";
import { defineLiveRule } from "../live-rule.js";
import { liveRelated, namesText } from "../live-helpers.js";
import { poolResource } from "../../model/resources.js";

/** A pool the cluster runs that the repository does not hold: nothing checks it, nothing owns it. */
export const rule = defineLiveRule({
  id: "live-pool-unmanaged",
  meta: {
    description:
      "An IPPool runs in the cluster but is not in the repository (e.g. the default-ipv4-ippool calico-node creates).",
    defaultSeverity: "warning",
    scope: "live",
    category: "live",
    messages: {
      enabled:
        'IPPool "{pool}" ({cidr}, {encapsulation}) runs in the cluster but is not in the repository, and is enabled for {nodes}: IPAM can hand out its addresses there, and netcompile checked none of its routes; add it to the repository, or disable it and delete it once no workload holds its addresses',
      idle: 'IPPool "{pool}" ({cidr}, {encapsulation}) runs in the cluster but is not in the repository; it {why}: delete it once no workload holds its addresses, or add it to the repository',
    },
  },
  check(model, ctx) {
    const known = new Set(model.pools.map((p) => p.name));
    for (const pool of ctx.live.pools) {
      if (known.has(pool.name)) continue;
      const nodes = [...ctx.live.nodes.values()]
        .filter((n) => poolSelects(pool, n.labels))
        .map((n) => n.name);
      const common = {
        pool: pool.name,
        cidr: pool.cidr?.canonical ?? pool.cidrText,
        encapsulation: encapsulationName(pool),
      };
      const where = {
        span: model.cluster.source.at(["metadata", "name"]),
        resource: poolResource(pool),
        related: [liveRelated(pool.origin, `not in the repository (${pool.snapshotFile})`)],
      };
      if (nodes.length > 0) {
        ctx.report({
          messageId: "enabled",
          data: { ...common, nodes: namesText(nodes) },
          ...where,
        });
      } else {
        const why = pool.disabled ? "is disabled" : "selects no node of the cluster";
        ctx.report({ messageId: "idle", data: { ...common, why }, ...where });
      }
    }
  },
});
