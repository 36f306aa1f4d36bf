/**
 * `netcompile init`: a minimal valid repository to start from — a Cluster, a Topology of two
 * subnets with a node each, one IPPool — commented, for a provider. It validates with no finding
 * but, on cloud providers, the firewall-requirements info (init.test.ts, for every provider). Encapsulation: VXLAN everywhere (it crosses any network
 * that passes UDP and needs no BGP); `Always` on clouds, whose networks drop packets from
 * addresses they did not assign (pod addresses) unless told otherwise, `CrossSubnet` on bare
 * metal and elsewhere. The underlay MTU is left to netcompile's default for the provider unless
 * the user states one. Existing files are never overwritten.
 */
import { lstatSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT_FILE } from "../load/load.js";
import { PROVIDERS } from "../schema/schemas/common.js";
import { DOCS_BASE_URL } from "../version.js";

export type Provider = (typeof PROVIDERS)[number];
export { PROVIDERS };

export interface InitRequest {
  readonly provider: Provider;
  /** The underlay MTU, when the user states it; else the provider's default applies. */
  readonly underlayMTU?: number;
}

const CLOUDS: readonly Provider[] = ["aws", "azure", "gcp", "openstack"];

/** The starter repository's files, by path. */
export function starterRepository(request: InitRequest): Record<string, string> {
  const { provider } = request;
  const cloud = CLOUDS.includes(provider);
  const mode = cloud ? "Always" : "CrossSubnet";
  const mtu =
    request.underlayMTU === undefined
      ? `    # underlayMTU: the network's MTU. Left out, netcompile uses its default for the
    # provider; state it when your network's MTU differs (jumbo frames, a VPN, …).
`
      : `    # The network's MTU, as stated to netcompile init; the pod MTU is derived from it.
    underlayMTU: ${request.underlayMTU}
`;
  return {
    [ROOT_FILE]: `# netcompile.yaml marks the repository and holds its one Cluster.
# Every field: ${DOCS_BASE_URL}README.md#the-repository
# Check the repository with \`netcompile validate\`; write its output with \`netcompile build\`.
apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: my-cluster
spec:
  # Where the nodes run: aws, azure, gcp, openstack, bare-metal or other. Rules and defaults
  # follow it (Azure drops IP-in-IP; AWS's source/destination check drops pod traffic, …).
  provider: ${provider}
  # manifest: netcompile renders calico-node; operator: an Installation for the Tigera operator.
  install: manifest
  networking:
${mtu}    # The cluster's service range: no IP pool may overlap it.
    serviceCIDRs:
      - 10.96.0.0/12
  # calico: Felix owns the tunnels, host files set the underlay. static: the host files are
  # the overlay (no Felix on the hosts).
  hostNetwork:
    mode: calico
`,
    "topology.yaml": `# The underlay: subnets and the nodes in them. Nodes in one subnet reach each other
# directly; between subnets a router decides, and netcompile asks whether it routes pod
# addresses (underlay.routesWorkloadIPs). Many nodes: use nodeGroups (see the README).
apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: underlay
spec:
  underlay:
    # false: routers between subnets do not carry pod addresses, so traffic between subnets
    # must be encapsulated. true only when they peer BGP with Calico or have static routes.
    routesWorkloadIPs: false
  subnets:
    - name: subnet-a
      cidr: 10.0.1.0/24
    - name: subnet-b
      cidr: 10.0.2.0/24
  nodes:
    # Each node's address must lie inside exactly one subnet.
    - name: node-a1
      address: 10.0.1.10
    - name: node-b1
      address: 10.0.2.10
`,
    "pools.yaml": `# Calico IP pools, exactly as Calico's docs write them (projectcalico.org/v3): paste yours.
# Pods get addresses from a pool's cidr; how their packets cross the underlay is its
# ipipMode / vxlanMode (Never, Always or CrossSubnet). One pool cannot use both.
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 192.168.0.0/16
  # VXLAN crosses any network that passes UDP and needs no BGP. ${
    cloud
      ? `Always: a cloud network drops
  # packets from addresses it did not assign, pods' included, unless each instance is told
  # otherwise; CrossSubnet would send them unencapsulated inside a subnet.${provider === "aws" ? " See the\n  # aws-src-dst-check rule before you choose it." : ""}`
      : `CrossSubnet: unencapsulated
  # inside a subnet (no overhead), encapsulated across subnets, where routers drop pod
  # addresses.`
  }
  vxlanMode: ${mode}
  natOutgoing: true
`,
  };
}

export type InitResult =
  | { readonly status: "written"; readonly files: readonly string[] }
  | { readonly status: "exists"; readonly files: readonly string[] };

/**
 * Writes the starter repository into `dir` (created when missing), or nothing at all when any
 * of its files is there already (a file, a folder, a symbolic link).
 */
export function initRepo(dir: string, request: InitRequest): InitResult {
  const files = Object.entries(starterRepository(request));
  const there = (path: string) => {
    try {
      lstatSync(join(dir, path));
      return true;
    } catch {
      return false;
    }
  };
  const existing = files.map(([path]) => path).filter(there);
  if (existing.length) return { status: "exists", files: existing };
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const [path, content] of files) {
    try {
      // "wx" fails if anything appeared there meanwhile: then nothing of ours is left behind.
      writeFileSync(join(dir, path), content, { flag: "wx" });
      written.push(path);
    } catch (error) {
      for (const done of written) rmSync(join(dir, done), { force: true });
      if ((error as NodeJS.ErrnoException).code === "EEXIST")
        return { status: "exists", files: [path] };
      throw error;
    }
  }
  return { status: "written", files: written };
}
