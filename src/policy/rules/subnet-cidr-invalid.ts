import { defineRule } from "../rule.js";
import { subnetResource } from "../../model/resources.js";

/** A subnet whose CIDR does not parse holds no node, and every overlap check skips it. */
export const rule = defineRule({
  id: "subnet-cidr-invalid",
  meta: {
    description: "A subnet's cidr is not a CIDR.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      invalid: 'subnet "{subnet}": cidr "{cidr}" is not a CIDR (e.g. 10.0.1.0/24)',
    },
  },
  check(model, ctx) {
    for (const subnet of model.topology.subnets) {
      if (subnet.cidr) continue;
      ctx.report({
        messageId: "invalid",
        data: { subnet: subnet.name, cidr: subnet.cidrText },
        span: subnet.source.at(["cidr"]),
        resource: subnetResource(subnet),
      });
    }
  },
});
