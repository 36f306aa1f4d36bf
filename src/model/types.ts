/**
 * The resolved model: what every rule and renderer reads. Immutable once built, all the way
 * down: objects and arrays frozen, maps and sets FrozenMap/FrozenSet (freeze.ts), addresses and
 * CIDRs frozen where cidr.ts makes them (immutable.test.ts tries to change every part).
 * Every object keeps `source`, so a finding can point at the exact field it is about.
 */
import type { SourceRef } from "../load/source.js";
import type { ClusterSpec, IPPoolSpec, PolicySpec } from "../schema/documents.js";
import type { PodCIDRAllocation } from "./allocation.js";
import type { Cidr, IpAddress } from "./cidr.js";
import type { DeepReadonly } from "./freeze.js";
import type { MTUOrigin, PodMTULimit, TunnelEncapsulation, UnderlayMTU } from "./mtu.js";
import type { Selector } from "./selector.js";
import type { TyphaDecision, TyphaRequest } from "./typha.js";

// The model's vocabulary is the schemas' own: each union is read off the schema that accepts
// it (schema/documents.ts), so the two cannot disagree.
type ClusterSpecField<K extends keyof ClusterSpec> = NonNullable<ClusterSpec[K]>;
export type Provider = ClusterSpecField<"provider">;
export type InstallStyle = ClusterSpecField<"install">;
export type Backend = NonNullable<ClusterSpecField<"networking">["backend"]>;
/**
 * ipipMode and vxlanMode take the same values (one enum in the IPPool schema), as Calico stores
 * them: an empty one is Never (clientv3 ippool.go:497-505).
 */
export type EncapMode = Exclude<NonNullable<IPPoolSpec["ipipMode"]>, "">;
export type HostNetworkMode = NonNullable<ClusterSpecField<"hostNetwork">["mode"]>;
export type AwsSourceDestCheck = NonNullable<ClusterSpecField<"aws">["sourceDestCheck"]>;
export type HostFormat = NonNullable<ClusterSpecField<"hostNetwork">["formats"]>[number];
export type RuleSetting = ClusterSpecField<"rules">[string];
export type AllowedUse = NonNullable<IPPoolSpec["allowedUses"]>[number];
export type AssignmentMode = NonNullable<IPPoolSpec["assignmentMode"]>;

export interface ObjectMeta {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface ClusterModel {
  readonly metadata: ObjectMeta;
  readonly provider: Provider;
  readonly install: InstallStyle;
  readonly calicoVersion: string;
  /** The backend in force: as written, or derived from the pools. */
  readonly backend: Backend;
  /** True when `networking.backend` was absent and the value was derived. */
  readonly backendDerived: boolean;
  readonly serviceCIDRs: readonly (Cidr | undefined)[];
  /** `networking.underlayMTU` as declared, else the provider's figure (providers.ts). */
  readonly underlayMTU: number;
  /** True when `networking.underlayMTU` is written. */
  readonly underlayMTUExplicit: boolean;
  readonly podMTU: number | undefined;
  readonly vxlanPort: number;
  readonly vxlanVNI: number;
  /** `networking.wireguard`: Felix encrypts pod traffic between nodes, per family. */
  readonly wireguard: { readonly ipv4: boolean; readonly ipv6: boolean };
  /** `aws.sourceDestCheck`: whether the instances' EC2 source/destination check is on (EC2's default). */
  readonly awsSourceDestCheck: AwsSourceDestCheck;
  readonly hostNetwork: { readonly mode: HostNetworkMode; readonly formats: readonly HostFormat[] };
  /** spec.typha as written; `Model.typha` is the decision. */
  readonly typha: TyphaRequest;
  readonly outputDir: string;
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly ignore: readonly string[];
  /** Disruptive changes the repository accepts (`spec.acknowledgements`), read by `plan`. */
  readonly acknowledgements: readonly Acknowledgement[];
  readonly source: SourceRef;
}

/**
 * One acknowledged disruptive change: the exact resource, field and before -> after values
 * (as text) that `netcompile plan` reports, and why it is accepted.
 */
export interface Acknowledgement {
  readonly resource: string;
  readonly field: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly source: SourceRef;
}

export interface Subnet {
  readonly name: string;
  /** Undefined when the text is not a CIDR (a rule reports it). */
  readonly cidr: Cidr | undefined;
  readonly cidrText: string;
  /** The subnet's own MTU, or the Cluster's underlay MTU, or the provider's (mtu.ts). */
  readonly mtu: number;
  /** True when the subnet writes its own `mtu`. */
  readonly mtuExplicit: boolean;
  readonly mtuOrigin: MTUOrigin;
  /**
   * The NIC MTU the repository declares for the subnet's nodes (its `mtu`, else an explicit
   * `networking.underlayMTU`): the only MTU host files write. Undefined: the NIC keeps what the
   * system or the provider's DHCP gives it.
   */
  readonly declaredMTU: number | undefined;
  /** The VPC (or other provider network) holding the subnet, when the Topology says. */
  readonly vpc: string | undefined;
  readonly zone: string | undefined;
  readonly gateway: string | undefined;
  readonly dhcp: boolean;
  readonly source: SourceRef;
}

/** An IP family: Felix decides the routes of IPv4 and IPv6 pools apart. */
export type IpFamily = 4 | 6;

/**
 * A node's address of one IP family and the subnet it sits in: what Felix routes a pool of that
 * family with (felix/calc/l3_route_resolver.go:868-885, 900-915).
 */
export interface NodeAddress {
  readonly family: IpFamily;
  readonly address: IpAddress;
  /** Every subnet whose CIDR contains the address (a rule wants exactly one). */
  readonly subnets: readonly Subnet[];
  /** The first of `subnets`, if any. */
  readonly subnet: Subnet | undefined;
  /** The field it is written in: `address`, or `addressV6` (`firstAddress(V6)` for a group member). */
  readonly field: "address" | "addressV6";
}

export interface Node {
  readonly name: string;
  readonly addressText: string;
  readonly address: IpAddress | undefined;
  /** Dual-stack: `addressV6` as written. */
  readonly addressV6Text: string | undefined;
  /** The node's IPv4 address: `address` when it is IPv4. */
  readonly ipv4: NodeAddress | undefined;
  /** The node's IPv6 address: `address` when it is IPv6, else `addressV6` when that is IPv6. */
  readonly ipv6: NodeAddress | undefined;
  readonly interface: string;
  /** Labels as written plus the implicit ones (kubernetes.io/hostname, zone from the subnet). */
  readonly labels: Readonly<Record<string, string>>;
  readonly podCIDR: Cidr | undefined;
  readonly podCIDRText: string | undefined;
  /** Static host networking, dual-stack: `podCIDRV6` as written and parsed. */
  readonly podCIDRV6: Cidr | undefined;
  readonly podCIDRV6Text: string | undefined;
  /** Every subnet whose CIDR contains the address (a rule wants exactly one). */
  readonly subnets: readonly Subnet[];
  /** The subnet the node sits in: the first of `subnets`, if any. */
  readonly subnet: Subnet | undefined;
  /** The node group the node was expanded from, if any. */
  readonly group: string | undefined;
  /** For a group member: its index in the group (0-based). */
  readonly groupIndex: number | undefined;
  readonly source: SourceRef;
}

export interface NodeGroup {
  readonly namePrefix: string;
  readonly count: number;
  readonly subnet: string;
  readonly firstAddress: string;
  /** Dual-stack: the IPv6 subnet and first IPv6 address (both or neither: the schema says). */
  readonly subnetV6: string | undefined;
  readonly firstAddressV6: string | undefined;
  readonly interface: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  /** Static host networking: member i takes the i-th block counted from this CIDR. */
  readonly firstPodCIDR: string | undefined;
  readonly firstPodCIDRV6: string | undefined;
  readonly source: SourceRef;
}

export interface Topology {
  readonly subnets: readonly Subnet[];
  readonly nodes: readonly Node[];
  readonly nodeGroups: readonly NodeGroup[];
  readonly routesWorkloadIPs: boolean;
  /** One per Topology document, in load order. */
  readonly sources: readonly SourceRef[];
  /** Each Topology document's metadata, parallel to `sources` (waivers live in its annotations). */
  readonly documentMetadata: readonly ObjectMeta[];
}

export interface Pool {
  readonly apiVersion: string;
  readonly metadata: ObjectMeta;
  readonly name: string;
  readonly cidrText: string;
  /** Undefined when cidr is not a CIDR. Host bits are kept (a rule reports them); see `cidr.network`. */
  readonly cidr: Cidr | undefined;
  readonly blockSize: number;
  readonly blockSizeExplicit: boolean;
  readonly ipipMode: EncapMode;
  readonly vxlanMode: EncapMode;
  readonly natOutgoing: boolean;
  readonly disabled: boolean;
  readonly disableBGPExport: boolean;
  readonly nodeSelectorText: string;
  /** Undefined when the selector does not parse (a rule reports it). */
  readonly nodeSelector: Selector | undefined;
  readonly namespaceSelectorText: string | undefined;
  readonly allowedUses: readonly AllowedUse[];
  readonly assignmentMode: AssignmentMode;
  /** Fields as written that Calico reads its own way: empty modes, the v1 `ipip` and `nat-outgoing`. */
  readonly written: WrittenPoolFields;
  readonly source: SourceRef;
}

export interface WrittenPoolFields {
  readonly ipipMode: string | undefined;
  readonly vxlanMode: string | undefined;
  /** The v1 `ipip` field: undefined when absent, null when written empty. */
  readonly ipip: { readonly enabled?: boolean; readonly mode?: string } | null | undefined;
  /** The v1 `nat-outgoing` field. */
  readonly natOutgoingV1: boolean | undefined;
}

export interface PolicyDoc {
  readonly name: string;
  readonly spec: DeepReadonly<PolicySpec>;
  readonly source: SourceRef;
}

/** How workload traffic leaves a pool: which tunnel, and when. */
export type Encapsulation = "ipip" | "vxlan" | "none";

export interface Model {
  readonly cluster: ClusterModel;
  readonly topology: Topology;
  readonly pools: readonly Pool[];
  readonly policies: readonly PolicyDoc[];
  /** Pools that select each node (by node name), enabled pools only, in pool order. */
  readonly poolsByNode: ReadonlyMap<string, readonly Pool[]>;
  /** Nodes each pool selects (by pool name). */
  readonly nodesByPool: ReadonlyMap<string, readonly Node[]>;
  /** The tunnels Felix turns on: encapsulations of any pool, disabled ones included (mtu.ts). */
  readonly encapsulations: ReadonlySet<TunnelEncapsulation>;
  /** The smallest MTU of the subnets that hold nodes, or a provider's path limit (mtu.ts). */
  readonly effectiveUnderlayMTU: number;
  /** The same figure and where it comes from. */
  readonly underlayMTU: UnderlayMTU;
  /** The same per IP family: the subnets holding the nodes' addresses of that family. */
  readonly familyUnderlayMTU: Readonly<Record<IpFamily, number>>;
  /** The same per IP family, with where each comes from. */
  readonly familyUnderlay: Readonly<Record<IpFamily, UnderlayMTU>>;
  /** What limits the derived pod MTU: a family's underlay less its largest tunnel header (mtu.ts). */
  readonly podMTULimit: PodMTULimit | undefined;
  /** The workload (veth and tunnel) MTU: explicit, or the underlay minus the largest overhead (mtu.ts). */
  readonly podMTU: number;
  readonly podMTUDerived: boolean;
  /** Static host networking: each node's pod CIDR (allocation.ts). Empty in calico mode (Calico IPAM). */
  readonly podCIDRs: ReadonlyMap<string, PodCIDRAllocation>;
  /** The same for IPv6 (dual-stack or IPv6 nodes with an IPv6 pool). */
  readonly podCIDRsV6: ReadonlyMap<string, PodCIDRAllocation>;
  /** Whether netcompile renders Typha, and how many replicas (typha.ts). */
  readonly typha: TyphaDecision;
}
