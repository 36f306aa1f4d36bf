/**
 * `plan --live`: the running cluster as the base. What a snapshot holds becomes the base's
 * facts and its part of the rendered tree, so that the plan says what applying the repository
 * does to the cluster as it is:
 *   - the IPPools (rendered as netcompile renders pools, so only real differences show), except
 *     pools that neither the repository holds nor netcompile wrote (no managed-by label): those
 *     are not the repository's to delete (`verify` reports them: live-pool-unmanaged);
 *   - calico-config's veth_mtu and calico_backend, when the snapshot has the ConfigMap.
 * The repository's side is compared on the same files only; host files, calico-node and
 * FelixConfiguration are not in a snapshot, and the plan notes what it could not analyse
 * (NC7016).
 */
import { SERVER_ANNOTATIONS } from "../live/kinds.js";
import type { LivePool, LiveSnapshot } from "../live/snapshot.js";
import type { NetworkFacts, PoolFacts } from "../model/facts.js";
import { poolFacts } from "./facts.js";
import { felixEncapsulations, type TunnelEncapsulation } from "../model/mtu.js";
import type { Backend, Model } from "../model/types.js";
import { MANAGED_BY } from "../render/calico.js";
import { renderAll } from "../render/index.js";
import type { RenderedFile } from "../render/types.js";
import { note, type BaseSide } from "./plan.js";

export function liveBase(snapshot: LiveSnapshot, shown: string, current: Model): BaseSide {
  const known = new Set(current.pools.map((p) => p.name));
  const pools = snapshot.pools.filter(
    (p) => known.has(p.name) || p.labels[MANAGED_BY.key] === MANAGED_BY.value,
  );
  const skipped = snapshot.pools.filter((p) => !pools.includes(p)).map((p) => p.name);
  const config = snapshot.calicoConfig;
  const veth = config?.vethMTU?.value;
  const backend = asBackend(config?.backend?.value);
  const missing: string[] = [];
  if (!config) missing.push("calico-config (the workload MTU and the backend)");
  else {
    if (veth === undefined || veth === 0)
      missing.push("the workload MTU (veth_mtu 0: Felix detects it)");
    if (backend === undefined) missing.push("the networking backend");
  }
  missing.push(
    "the VXLAN port and VNI and WireGuard (no FelixConfiguration)",
    "subnet MTUs",
    "host files",
  );

  const files = liveFiles(current, pools, {
    podMTU: veth !== undefined && veth > 0 ? veth : undefined,
    backend,
    config: config !== undefined,
  });
  const facts: NetworkFacts = {
    origin: "live",
    clusterName: undefined,
    install: config ? "manifest" : undefined,
    calicoVersion: undefined,
    backend,
    podMTU: veth !== undefined && veth > 0 ? veth : undefined,
    vxlanPort: undefined,
    vxlanVNI: undefined,
    wireguard: undefined,
    pools: new Map(pools.map((p) => [p.name, livePoolFacts(p, snapshot)])),
    // Which nodes exist is verify's (live-node-unknown, live-node-absent): applying the
    // repository adds or removes no node of the cluster.
    nodes: undefined,
    subnets: undefined,
    groups: undefined,
    tunnelNodes: liveTunnelNodes(snapshot),
    // The snapshot holds no DaemonSet: whether calico-node restarts is not known from it.
    calicoNode: undefined,
    missing,
    model: undefined,
  };
  const notes = [
    note("NC7016", {
      what: missing.join("; "),
      consequence: "changes to them are not analysed for disruption",
    }),
  ];
  if (skipped.length) {
    notes.push(
      note("NC7016", {
        what: `who owns IPPool ${skipped.join(", ")} (not in the repository, not written by netcompile)`,
        consequence: "the plan leaves them alone, as a sync does; netcompile verify reports them",
      }),
    );
  }
  return {
    info: {
      kind: "live",
      ref: shown,
      commit: undefined,
      description: `live snapshot ${shown}`,
      analysis: "live",
    },
    files,
    facts,
    notes,
  };
}

/** The repository's files that a snapshot can say something about: the plan compares only these. */
export function comparableFiles(base: BaseSide, files: readonly RenderedFile[]): RenderedFile[] {
  const paths = new Set(base.files.map((f) => f.path));
  return files.filter((f) => paths.has(f.path));
}

/**
 * The cluster's pools and calico-config as netcompile would render them: the repository's model
 * with the live pools, MTU and backend in place, rendered, and only those files kept.
 */
function liveFiles(
  current: Model,
  pools: readonly LivePool[],
  live: {
    readonly podMTU: number | undefined;
    readonly backend: Backend | undefined;
    readonly config: boolean;
  },
): RenderedFile[] {
  // Felix's tunnels: every pool's, disabled ones included, as the repository's model decides them.
  const encapsulations = felixEncapsulations(pools);
  // What the API server adds to an object is not the pool's: not a change to show.
  const asWritten = pools.map((p) => ({
    ...p,
    metadata: {
      ...p.metadata,
      annotations: Object.fromEntries(
        Object.entries(p.metadata.annotations).filter(([k]) => !SERVER_ANNOTATIONS.includes(k)),
      ),
    },
  }));
  const model: Model = {
    ...current,
    cluster: { ...current.cluster, backend: live.backend ?? current.cluster.backend },
    pools: asWritten,
    encapsulations,
    podMTU: live.podMTU ?? current.podMTU,
  };
  const keep = new Set(["manifests/ippools.yaml", "manifests/installation.yaml"]);
  if (live.config) keep.add("manifests/calico-config.yaml");
  return renderAll(model, "manifests").filter((f) => keep.has(f.path));
}

function livePoolFacts(pool: LivePool, snapshot: LiveSnapshot): PoolFacts {
  const nodes = pool.disabled
    ? []
    : [...snapshot.nodes.values()]
        .filter(
          (n) =>
            pool.allowedUses.includes("Workload") &&
            (pool.nodeSelector?.matches(n.labels) ?? false),
        )
        .map((n) => n.name);
  return poolFacts(pool, { nodes, source: undefined, file: pool.snapshotFile });
}

function asBackend(value: string | undefined): Backend | undefined {
  return value === "bird" || value === "vxlan" || value === "none" ? value : undefined;
}

/** The nodes that hold a tunnel address of each kind in the running cluster (their annotations or spec). */
function liveTunnelNodes(
  snapshot: LiveSnapshot,
): ReadonlyMap<TunnelEncapsulation, ReadonlySet<string>> {
  const kinds = [
    ["ipip", "ipip"],
    ["vxlan", "vxlan"],
    ["vxlan-v6", "vxlanV6"],
  ] as const;
  const nodes = [...snapshot.nodes.values()];
  return new Map(
    kinds.map(([tunnel, kind]) => [
      tunnel,
      new Set(nodes.filter((n) => n.tunnels[kind] !== undefined).map((n) => n.name)),
    ]),
  );
}
