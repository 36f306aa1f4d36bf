/** The rule registry: every rule module, in id order. A test checks ids, files and docs agree. */
import type { Rule } from "../rule.js";
import { rule as nodeAddressOutsideSubnets } from "./node-address-outside-subnets.js";
import { rule as poolCidrInvalid } from "./pool-cidr-invalid.js";
import { rule as poolDuplicateName } from "./pool-duplicate-name.js";

export const rules: readonly Rule[] = [
  nodeAddressOutsideSubnets,
  poolCidrInvalid,
  poolDuplicateName,
];
