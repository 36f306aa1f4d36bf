import { cidrOverlaps } from "../../model/cidr.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/** A pod and a Kubernetes service must never get the same address. */
export const rule = defineRule({
  id: "pool-overlaps-service-cidr",
  meta: {
    description: "An IPPool overlaps one of the Cluster's service CIDRs.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      overlap:
        'IPPool "{pool}": cidr {cidr} overlaps the service CIDR {service}; a pod and a service could get the same address',
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    for (const pool of model.pools) {
      const { cidr } = pool;
      if (!cidr) continue;
      cluster.serviceCIDRs.forEach((service, i) => {
        if (!service || !cidrOverlaps(cidr, service)) return;
        ctx.report({
          messageId: "overlap",
          data: { pool: pool.name, cidr: pool.cidrText, service: service.canonical },
          span: pool.source.at(["spec", "cidr"]),
          resource: poolResource(pool),
          related: [
            {
              ...cluster.source.at(["spec", "networking", "serviceCIDRs", i]),
              message: "the service CIDR",
            },
          ],
        });
      });
    }
  },
});
