import { defineRule } from "../rule.js";
import { encapsulationSpan, poolResource } from "../spans.js";

/**
 * EC2 drops packets whose addresses are not the instance's own unless the source/destination
 * check is off. netcompile renders FelixConfiguration awsSrcDstCheck: Disable for these
 * pools; Felix can only do that with the IAM permission to change the instance.
 */
export const rule = defineRule({
  id: "aws-src-dst-check",
  meta: {
    description:
      "On AWS, an IPPool sends unencapsulated pod traffic, which EC2's source/destination check drops.",
    defaultSeverity: "warning",
    category: "topology",
    messages: {
      crossSubnet:
        'IPPool "{pool}" ({field} CrossSubnet) sends traffic between nodes of one subnet unencapsulated, which AWS drops while the EC2 source/destination check is on; netcompile sets FelixConfiguration awsSrcDstCheck: Disable, so calico-node needs the IAM permission ec2:ModifyNetworkInterfaceAttribute (or turn the check off on every instance)',
      unencapsulated:
        'IPPool "{pool}" does not encapsulate, and AWS drops pod traffic while the EC2 source/destination check is on; netcompile sets FelixConfiguration awsSrcDstCheck: Disable, so calico-node needs the IAM permission ec2:ModifyNetworkInterfaceAttribute (or turn the check off on every instance)',
    },
  },
  check(model, ctx) {
    if (model.cluster.provider !== "aws") return;
    for (const pool of model.pools) {
      // The same condition as the FelixConfiguration renderer's.
      if (pool.disabled || pool.ipipMode === "Always" || pool.vxlanMode === "Always") continue;
      const field =
        pool.ipipMode === "CrossSubnet"
          ? "ipipMode"
          : pool.vxlanMode === "CrossSubnet"
            ? "vxlanMode"
            : undefined;
      ctx.report({
        ...(field
          ? { messageId: "crossSubnet", data: { pool: pool.name, field } }
          : { messageId: "unencapsulated", data: { pool: pool.name } }),
        span: field ? pool.source.at(["spec", field]) : encapsulationSpan(pool),
        resource: poolResource(pool),
      });
    }
  },
});
