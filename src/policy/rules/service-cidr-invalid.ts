import { defineRule } from "../rule.js";

/** A service CIDR that does not parse would otherwise be ignored by every overlap check. */
export const rule = defineRule({
  id: "service-cidr-invalid",
  meta: {
    description: "An entry of the Cluster's networking.serviceCIDRs is not a CIDR.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      invalid: "networking.serviceCIDRs[{index}] is not a CIDR (e.g. 10.96.0.0/12)",
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    cluster.serviceCIDRs.forEach((service, index) => {
      if (service) return;
      ctx.report({
        messageId: "invalid",
        data: { index },
        span: cluster.source.at(["spec", "networking", "serviceCIDRs", index]),
        resource: `Cluster/${cluster.metadata.name}`,
      });
    });
  },
});
