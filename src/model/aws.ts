/**
 * AWS's EC2 source/destination check: an instance drops packets whose source or destination is
 * not one of its own addresses, pod packets sent without encapsulation included. The
 * FelixConfiguration renderer and the aws-src-dst-check rule ask this module.
 */
import type { Model, Pool } from "./types.js";

/**
 * Pools whose pod packets cross the network unencapsulated: CrossSubnet (inside a subnet) or no
 * encapsulation. Disabled pools count: their workloads keep sending until they move.
 */
export function poolsSendingUnencapsulated(model: Model): Pool[] {
  return model.pools.filter((p) => p.ipipMode !== "Always" && p.vxlanMode !== "Always");
}

/**
 * Whether Felix must turn the check off (FelixConfiguration awsSrcDstCheck: Disable): on AWS, a
 * pool sends unencapsulated, and the Cluster has not said the check is off already.
 */
export function felixDisablesSrcDstCheck(model: Model): boolean {
  const { cluster } = model;
  return (
    cluster.provider === "aws" &&
    cluster.awsSourceDestCheck === "enabled" &&
    poolsSendingUnencapsulated(model).length > 0
  );
}
