import { poolsSendingUnencapsulated } from "../../model/aws.js";
import { defineRule } from "../rule.js";
import { crossSubnetField, encapsulationSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/**
 * EC2 drops packets whose addresses are not the instance's own unless the source/destination
 * check is off. Unless the Cluster says the check is off already, netcompile renders
 * FelixConfiguration awsSrcDstCheck: Disable (src/model/aws.ts), and Felix can only do that with
 * EC2 permissions; calico-node is not ready until it has.
 */
export const rule = defineRule({
  id: "aws-src-dst-check",
  meta: {
    description:
      "On AWS, an IPPool sends unencapsulated pod traffic, which EC2's source/destination check drops, and the Cluster does not say the check is off.",
    defaultSeverity: "warning",
    category: "topology",
    needsEvery: [],
    messages: {
      crossSubnet:
        'IPPool "{pool}" ({field} CrossSubnet) sends traffic between nodes of one subnet unencapsulated, which AWS drops while the EC2 source/destination check is on; netcompile sets FelixConfiguration awsSrcDstCheck: Disable, so calico-node needs the IAM permissions ec2:DescribeInstances and ec2:ModifyNetworkInterfaceAttribute and stays NotReady until the call succeeds; if the instances have the check off already, say so: spec.aws.sourceDestCheck: disabled',
      unencapsulated:
        'IPPool "{pool}" does not encapsulate, and AWS drops pod traffic while the EC2 source/destination check is on; netcompile sets FelixConfiguration awsSrcDstCheck: Disable, so calico-node needs the IAM permissions ec2:DescribeInstances and ec2:ModifyNetworkInterfaceAttribute and stays NotReady until the call succeeds; if the instances have the check off already, say so: spec.aws.sourceDestCheck: disabled',
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    if (cluster.provider !== "aws" || cluster.awsSourceDestCheck === "disabled") return;
    // The same pools as the FelixConfiguration renderer's (disabled ones included).
    for (const pool of poolsSendingUnencapsulated(model)) {
      const field = crossSubnetField(pool);
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
