/**
 * The static-mode host model builds each subnet's peer lists once and gives each host its
 * subnet's lists less itself. These tests hold it to the direct reading — for every host, for
 * every other node, Felix's decision (routing.ts decidePath) out to the peer's pool and back to
 * the host's — on repositories mixing VXLAN and IP-in-IP pools, Always, CrossSubnet and Never,
 * several subnets and overlapping ones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryRepoReader } from "../load/reader.js";
import { decidePath } from "../model/routing.js";
import type { Model } from "../model/types.js";
import { compile } from "../pipeline.js";
import {
  buildHostModels,
  peerList,
  peerListItems,
  type HostModel,
  type HostRoute,
  type PeerList,
} from "./host-model.js";

/** The host model's peer lists as the direct reading gives them, for every host. */
function reference(model: Model) {
  const nodes = model.topology.nodes
    .filter((n) => n.address && n.subnet?.cidr)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  return nodes
    .filter((n) => model.podCIDRs.has(n.name))
    .map((local) => {
      const own = model.podCIDRs.get(local.name)!;
      const underlay: string[] = [];
      const vxlan: string[] = [];
      const ipip: string[] = [];
      let needVxlan = false;
      let needIpip = false;
      for (const peer of nodes) {
        const theirs = model.podCIDRs.get(peer.name);
        if (peer === local || !theirs) continue;
        const out = decidePath(local, peer, theirs.pool);
        const back = decidePath(peer, local, own.pool);
        needVxlan ||= out.kind === "vxlan" || back.kind === "vxlan";
        needIpip ||= out.kind === "ipip" || back.kind === "ipip";
        if (out.kind === "vxlan") vxlan.push(peer.name);
        else if (out.kind === "ipip") ipip.push(peer.name);
        else if (out.sameSubnet) underlay.push(peer.name);
      }
      return { node: local.name, underlay, vxlan, ipip, needVxlan, needIpip };
    });
}

function lists(host: HostModel) {
  const names = (l: PeerList<HostRoute>) => peerListItems(l).map((r) => r.peer);
  const vxlanPeers = host.vxlan ? peerListItems(host.vxlan.peers).map((p) => p.node) : [];
  const vxlanRoutes = host.vxlan ? names(host.vxlan.routes) : [];
  expect(vxlanRoutes).toEqual(vxlanPeers);
  const all: (PeerList<unknown> | undefined)[] = [
    host.underlay.routes,
    host.vxlan?.peers,
    host.vxlan?.routes,
    host.ipip?.routes,
  ];
  for (const l of all) if (l) expect(l.length).toBe(peerListItems(l).length);
  return {
    node: host.node,
    underlay: names(host.underlay.routes),
    vxlan: vxlanPeers,
    ipip: host.ipip ? names(host.ipip.routes) : [],
    needVxlan: host.vxlan !== undefined,
    needIpip: host.ipip !== undefined,
  };
}

const modes = ["Always", "CrossSubnet", "Never"] as const;

function repository(
  pools: readonly { vxlan: (typeof modes)[number]; ipip: (typeof modes)[number] }[],
  groups: readonly number[],
  overlap: boolean,
): Record<string, string> {
  // With overlap, s1 is 10.0.0.0/15, which also contains s0's nodes: Felix's "same subnet" is
  // then not symmetric (s1's nodes reach s0's directly, not the other way round).
  const subnets = groups.map(
    (_, i) =>
      `    - { name: s${i}, cidr: ${overlap && i === 1 ? "10.0.0.0/15" : `10.${i}.0.0/16`}, zone: z${i}, gateway: 10.${i}.0.1 }`,
  );
  // Group i's pods come from pool i % pools (the pool that selects its zone).
  const nodeGroups = groups.map(
    (count, i) =>
      `    - { namePrefix: g${i}-, count: ${count}, subnet: s${i}, firstAddress: 10.${i}.0.10, firstPodCIDR: 192.168.${(i % pools.length) * 64 + Math.floor(i / pools.length) * 4}.0/26 }`,
  );
  const files: Record<string, string> = {
    "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata: { name: t }
spec:
  provider: bare-metal
  hostNetwork: { mode: static, formats: [netplan, networkd] }
`,
    "topology.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata: { name: t }
spec:
  subnets:
${subnets.join("\n")}
  nodeGroups:
${nodeGroups.join("\n")}
`,
  };
  pools.forEach((p, j) => {
    const zones = groups.map((_, i) => i).filter((i) => i % pools.length === j);
    files[`pool-${j}.yaml`] = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata: { name: p${j} }
spec:
  cidr: 192.168.${j * 64}.0/18
  blockSize: 26
  vxlanMode: ${p.vxlan}
  ipipMode: ${p.ipip}
  natOutgoing: true
  nodeSelector: "topology.kubernetes.io/zone in {${zones.map((i) => `'z${i}'`).join(", ")}}"
`;
  });
  return files;
}

describe("static-mode host model", () => {
  it("gives every host what the direct reading gives, on random clusters", () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ vxlan: fc.constantFrom(...modes), ipip: fc.constantFrom(...modes) }), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (pools, groups, overlap) => {
          const result = compile(new MemoryRepoReader(repository(pools, groups, overlap)), {
            render: "none",
          });
          if (!result.model) return;
          // Every node has a pod CIDR: the repository is well formed.
          expect(result.model.podCIDRs.size).toBe(groups.reduce((a, b) => a + b, 0));
          checked++;
          expect(buildHostModels(result.model).map(lists)).toEqual(reference(result.model));
        },
      ),
      {
        seed: 20261202,
        numRuns: 300,
        // VXLAN out of one subnet, IP-in-IP back from the wider one: only the peers' own
        // decision (back to this host's pool) says this host needs no VXLAN device.
        examples: [
          [
            [
              { vxlan: "CrossSubnet", ipip: "Never" },
              { vxlan: "Never", ipip: "CrossSubnet" },
            ],
            [2, 3],
            true,
          ],
        ],
      },
    );
    expect(checked).toBeGreaterThan(100);
  });

  it("a PeerList is its shared list less the one entry it skips", () => {
    expect(peerListItems(peerList(["a", "b", "c"], 1))).toEqual(["a", "c"]);
    expect(peerList(["a", "b", "c"], 1).length).toBe(2);
    expect(peerListItems(peerList(["a", "b"]))).toEqual(["a", "b"]);
    expect(peerList(["a", "b"]).length).toBe(2);
  });
});
