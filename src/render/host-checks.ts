/**
 * What rendering host files must say about them, where they are rendered (`build`, `plan`; not
 * `validate`, which renders nothing): a subnet that gives its nodes no default route gets none
 * (NC5035), and a NIC left at Ethernet's MTU below the provider's figure the pod MTU assumes is
 * named (NC5036).
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { hostFilesFor } from "../model/host-network.js";
import { ETHERNET_MTU, PROVIDERS } from "../model/providers.js";
import type { Model, Subnet } from "../model/types.js";
import { subnetResource } from "../model/resources.js";

export function hostFileDiagnostics(model: Model): Diagnostic[] {
  const { cluster, topology } = model;
  if (cluster.hostNetwork.formats.length === 0) return [];
  const nodeCount = new Map<Subnet, number>();
  for (const node of topology.nodes) {
    if (node.subnet) nodeCount.set(node.subnet, (nodeCount.get(node.subnet) ?? 0) + 1);
  }
  const provider = PROVIDERS[cluster.provider];
  const diagnostics: Diagnostic[] = [];
  for (const subnet of topology.subnets) {
    const count = nodeCount.get(subnet);
    if (count === undefined) continue;
    const at = subnet.source.at(["name"]);
    const extras = { resource: subnetResource(subnet) };
    // Static mode refuses such a subnet before rendering (NC3014, NC3070).
    if (cluster.hostNetwork.mode === "calico" && !hostFilesFor(subnet)) {
      diagnostics.push(diagnostic("NC5035", at, { subnet: subnet.name, count }, extras));
      continue;
    }
    // Without DHCP or a declared MTU a NIC keeps Ethernet's: tunnels sized for more do not fit.
    if (!subnet.dhcp && subnet.declaredMTU === undefined && subnet.mtu > ETHERNET_MTU) {
      const data = {
        subnet: subnet.name,
        ethernet: ETHERNET_MTU,
        provider: provider.title,
        mtu: subnet.mtu,
      };
      diagnostics.push(diagnostic("NC5036", at, data, extras));
    }
  }
  return diagnostics;
}
