/**
 * What netcompile knows of each provider's network, in one place, each fact with the document
 * it comes from: the underlay MTU to assume when the repository declares none, how the
 * provider's fabric treats pod traffic, and what its firewalls are called. `explain`, the MTU
 * derivation (mtu.ts) and the provider rules read it; README "Providers" lists the same facts.
 */
import type { Provider } from "./types.js";

/** A figure and the document that gives it. */
export interface SourcedFigure {
  readonly mtu: number;
  /** Why, in a few words: "AWS's jumbo-frame MTU inside one VPC". */
  readonly what: string;
  /** The document: a URL, or a path in the tigera/docs repository (Calico's docs). */
  readonly source: string;
}

export interface ProviderFacts {
  /** How messages name the provider. */
  readonly title: string;
  /** The underlay MTU when no subnet `mtu` and no `networking.underlayMTU` is declared. */
  readonly underlayMTU: SourcedFigure;
  /** Paths that leave one VPC (AWS): smaller than inside it. */
  readonly vpcBoundaryMTU?: SourcedFigure;
  /** The path MTU for packets with Don't Fragment set, where smaller than the NIC's (Azure). */
  readonly dontFragmentPathMTU?: SourcedFigure;
  /** What the provider calls the firewall between instances. */
  readonly firewall: string;
  /** The provider's fabric filters traffic between instances (security groups, firewall rules). */
  readonly fabricFirewall: boolean;
  /** The fabric drops IP-in-IP (IP protocol 4) between instances: only VXLAN (UDP) arrives. */
  readonly dropsIPIP?: FabricDrop;
  /**
   * The fabric delivers a packet to a pod address only along routes the user adds: unencapsulated
   * pod traffic is dropped, inside one subnet too, unless `underlay.routesWorkloadIPs` says those
   * routes exist.
   */
  readonly dropsUnroutedPodTraffic?: FabricDrop;
}

/** What a provider's fabric drops, who says so, and how messages name that fabric. */
export interface FabricDrop {
  /** "Azure", "GCE" (GCP's instances' network). */
  readonly fabric: string;
  /** Calico's page on the provider (tigera/docs). */
  readonly source: string;
}

const AZURE: FabricDrop = {
  fabric: "Azure",
  source: "tigera/docs calico/reference/public-cloud/azure.mdx",
};
const GCE: FabricDrop = {
  fabric: "GCE",
  source: "tigera/docs calico/reference/public-cloud/gce.mdx",
};

const CALICO_MTU_DOC = "tigera/docs calico/networking/configuring/mtu.mdx";

/** AWS: what leaves a VPC is limited to Ethernet's MTU. */
export const AWS_VPC_BOUNDARY_MTU: SourcedFigure = {
  mtu: 1500,
  what: "AWS's limit for traffic that leaves a VPC (internet gateway, VPN, between Regions)",
  source: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/network_mtu.html",
};

export const PROVIDERS: Readonly<Record<Provider, ProviderFacts>> = {
  aws: {
    title: "AWS",
    underlayMTU: {
      mtu: 9001,
      what: "AWS's jumbo-frame MTU inside one VPC",
      source: `https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/network_mtu.html; ${CALICO_MTU_DOC} ("9001 (AWS Jumbo)")`,
    },
    vpcBoundaryMTU: AWS_VPC_BOUNDARY_MTU,
    firewall: "security groups",
    fabricFirewall: true,
  },
  azure: {
    title: "Azure",
    underlayMTU: {
      mtu: 1500,
      what: "the NIC MTU of Azure VMs, which Calico's MTU table uses for IP-in-IP and VXLAN on AKS",
      source: `https://learn.microsoft.com/en-us/azure/virtual-network/virtual-network-tcpip-performance-tuning; ${CALICO_MTU_DOC} ("1500 (AKS)")`,
    },
    dontFragmentPathMTU: {
      mtu: 1400,
      what: "the MTU of Azure's underlying network; larger packets are fragmented, or dropped when Don't Fragment is set (WireGuard)",
      source: CALICO_MTU_DOC,
    },
    firewall: "network security groups",
    fabricFirewall: true,
    dropsIPIP: AZURE,
    dropsUnroutedPodTraffic: AZURE,
  },
  gcp: {
    title: "GCP",
    underlayMTU: {
      mtu: 1460,
      what: "the default MTU of a Google Cloud VPC network",
      source: `https://cloud.google.com/vpc/docs/mtu; ${CALICO_MTU_DOC} ("1460 (GCE)")`,
    },
    firewall: "VPC firewall rules",
    fabricFirewall: true,
    dropsUnroutedPodTraffic: GCE,
  },
  openstack: {
    title: "OpenStack",
    underlayMTU: {
      mtu: 1500,
      what: "Ethernet's MTU (an OpenStack VXLAN tenant network carries 1450: declare it)",
      source: `${CALICO_MTU_DOC} ("1450 (OpenStack VXLAN)")`,
    },
    firewall: "security groups",
    fabricFirewall: true,
  },
  "bare-metal": {
    title: "bare metal",
    underlayMTU: { mtu: 1500, what: "Ethernet's MTU", source: CALICO_MTU_DOC },
    firewall: "firewalls",
    fabricFirewall: false,
  },
  other: {
    title: "this provider",
    underlayMTU: { mtu: 1500, what: "Ethernet's MTU", source: CALICO_MTU_DOC },
    firewall: "firewalls",
    fabricFirewall: false,
  },
};

/** A NIC's MTU when nothing (a file, DHCP) sets another: Ethernet's. */
export const ETHERNET_MTU = 1500;
