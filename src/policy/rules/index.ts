/**
 * The rule registry: every rule module, model, plan and live scope, in id order. `validate`
 * runs the model rules (engine.ts), `plan` the plan rules (src/plan/disruption.ts), `verify` the
 * live rules (live-engine.ts). A test checks ids, files, tests, docs pages and the README agree.
 */
import type { AnyRule } from "../rule.js";
import { rule as awsSrcDstCheck } from "./aws-src-dst-check.js";
import { rule as backendChange } from "./backend-change.js";
import { rule as backendNonePool } from "./backend-none-pool.js";
import { rule as calicoNodeRollout } from "./calico-node-rollout.js";
import { rule as encapsulationRequired } from "./encapsulation-required.js";
import { rule as encapsulationSwitch } from "./encapsulation-switch.js";
import { rule as firewallRequirements } from "./firewall-requirements.js";
import { rule as ipipCrossSubnetPreferred } from "./ipip-cross-subnet-preferred.js";
import { rule as ipipRequiresBgp } from "./ipip-requires-bgp.js";
import { rule as ipipUnsupportedProvider } from "./ipip-unsupported-provider.js";
import { rule as liveBlockOrphaned } from "./live-block-orphaned.js";
import { rule as liveMtuDiffers } from "./live-mtu-differs.js";
import { rule as liveMtuExceedsUnderlay } from "./live-mtu-exceeds-underlay.js";
import { rule as liveNodeAbsent } from "./live-node-absent.js";
import { rule as liveNodeAddressDiffers } from "./live-node-address-differs.js";
import { rule as liveNodeUnknown } from "./live-node-unknown.js";
import { rule as livePoolDrift } from "./live-pool-drift.js";
import { rule as livePoolSelectionDiffers } from "./live-pool-selection-differs.js";
import { rule as livePoolUnmanaged } from "./live-pool-unmanaged.js";
import { rule as livePrefixMismatch } from "./live-prefix-mismatch.js";
import { rule as livePrefixWider } from "./live-prefix-wider.js";
import { rule as liveTunnelAddressMissing } from "./live-tunnel-address-missing.js";
import { rule as mtuDecrease } from "./mtu-decrease.js";
import { rule as mtuExceedsUnderlay } from "./mtu-exceeds-underlay.js";
import { rule as mtuMixedUnderlay } from "./mtu-mixed-underlay.js";
import { rule as nodeAddressFamilyMissing } from "./node-address-family-missing.js";
import { rule as nodeAddressOutsideSubnets } from "./node-address-outside-subnets.js";
import { rule as nodeAddressReserved } from "./node-address-reserved.js";
import { rule as nodeDuplicateAddress } from "./node-duplicate-address.js";
import { rule as nodeDuplicateName } from "./node-duplicate-name.js";
import { rule as nodeNameInvalid } from "./node-name-invalid.js";
import { rule as nodeRemoved } from "./node-removed.js";
import { rule as nodeWithoutPool } from "./node-without-pool.js";
import { rule as operatorPoolMetadata } from "./operator-pool-metadata.js";
import { rule as operatorPoolUnsupported } from "./operator-pool-unsupported.js";
import { rule as poolAllowedUses } from "./pool-allowed-uses.js";
import { rule as poolBlockSizeRange } from "./pool-block-size-range.js";
import { rule as poolCidrInvalid } from "./pool-cidr-invalid.js";
import { rule as poolCidrLinkLocal } from "./pool-cidr-link-local.js";
import { rule as poolCidrNotMasked } from "./pool-cidr-not-masked.js";
import { rule as poolDisabled } from "./pool-disabled.js";
import { rule as poolDuplicateName } from "./pool-duplicate-name.js";
import { rule as poolEncapsulationExclusive } from "./pool-encapsulation-exclusive.js";
import { rule as poolImmutableField } from "./pool-immutable-field.js";
import { rule as poolIpipIpv6 } from "./pool-ipip-ipv6.js";
import { rule as poolLegacyField } from "./pool-legacy-field.js";
import { rule as poolLegacyFieldRejected } from "./pool-legacy-field-rejected.js";
import { rule as poolMetadataInvalid } from "./pool-metadata-invalid.js";
import { rule as poolModeEmpty } from "./pool-mode-empty.js";
import { rule as poolNameInvalid } from "./pool-name-invalid.js";
import { rule as poolOverlap } from "./pool-overlap.js";
import { rule as poolOverlapsServiceCidr } from "./pool-overlaps-service-cidr.js";
import { rule as poolOverlapsUnderlay } from "./pool-overlaps-underlay.js";
import { rule as poolRemoved } from "./pool-removed.js";
import { rule as poolSelectorInvalid } from "./pool-selector-invalid.js";
import { rule as poolSelectsNoNodes } from "./pool-selects-no-nodes.js";
import { rule as poolSmallerThanBlock } from "./pool-smaller-than-block.js";
import { rule as poolSpecialRange } from "./pool-special-range.js";
import { rule as poolTunnelAddress } from "./pool-tunnel-address.js";
import { rule as providerDropsUnencapsulated } from "./provider-drops-unencapsulated.js";
import { rule as serviceCidrInvalid } from "./service-cidr-invalid.js";
import { rule as staticModeNodeCount } from "./static-mode-node-count.js";
import { rule as subnetCidrInvalid } from "./subnet-cidr-invalid.js";
import { rule as subnetOverlap } from "./subnet-overlap.js";
import { rule as underlayMtuDecrease } from "./underlay-mtu-decrease.js";
import { rule as vxlanOnlyBgpUnneeded } from "./vxlan-only-bgp-unneeded.js";
import { rule as vxlanPortChange } from "./vxlan-port-change.js";
import { rule as vxlanSettingsInvalid } from "./vxlan-settings-invalid.js";
import { rule as vxlanVniChange } from "./vxlan-vni-change.js";
import { rule as wireguardChange } from "./wireguard-change.js";

export const rules: readonly AnyRule[] = [
  awsSrcDstCheck,
  backendChange,
  backendNonePool,
  calicoNodeRollout,
  encapsulationRequired,
  encapsulationSwitch,
  firewallRequirements,
  ipipCrossSubnetPreferred,
  ipipRequiresBgp,
  ipipUnsupportedProvider,
  liveBlockOrphaned,
  liveMtuDiffers,
  liveMtuExceedsUnderlay,
  liveNodeAbsent,
  liveNodeAddressDiffers,
  liveNodeUnknown,
  livePoolDrift,
  livePoolSelectionDiffers,
  livePoolUnmanaged,
  livePrefixMismatch,
  livePrefixWider,
  liveTunnelAddressMissing,
  mtuDecrease,
  mtuExceedsUnderlay,
  mtuMixedUnderlay,
  nodeAddressFamilyMissing,
  nodeAddressOutsideSubnets,
  nodeAddressReserved,
  nodeDuplicateAddress,
  nodeDuplicateName,
  nodeNameInvalid,
  nodeRemoved,
  nodeWithoutPool,
  operatorPoolMetadata,
  operatorPoolUnsupported,
  poolAllowedUses,
  poolBlockSizeRange,
  poolCidrInvalid,
  poolCidrLinkLocal,
  poolCidrNotMasked,
  poolDisabled,
  poolDuplicateName,
  poolEncapsulationExclusive,
  poolImmutableField,
  poolIpipIpv6,
  poolLegacyField,
  poolLegacyFieldRejected,
  poolMetadataInvalid,
  poolModeEmpty,
  poolNameInvalid,
  poolOverlap,
  poolOverlapsServiceCidr,
  poolOverlapsUnderlay,
  poolRemoved,
  poolSelectorInvalid,
  poolSelectsNoNodes,
  poolSmallerThanBlock,
  poolSpecialRange,
  poolTunnelAddress,
  providerDropsUnencapsulated,
  serviceCidrInvalid,
  staticModeNodeCount,
  subnetCidrInvalid,
  subnetOverlap,
  underlayMtuDecrease,
  vxlanOnlyBgpUnneeded,
  vxlanPortChange,
  vxlanSettingsInvalid,
  vxlanVniChange,
  wireguardChange,
];
