/**
 * The Tigera operator's resources (install: operator): the Installation that carries the pools
 * and says which CNI the operator installs, and the APIServer that serves projectcalico.org/v3.
 * Decisions are made here from calicoContext (calico.ts); templates only loop and branch.
 * docs/operator.md cites the operator source behind each one.
 */
import type { Model } from "../model/types.js";
import { calicoContext, type CalicoContext, type PoolContext } from "./calico.js";
import { renderTemplate } from "./engine.js";
import type { RenderedFile } from "./types.js";

export interface OperatorContext extends CalicoContext {
  /**
   * Installation spec.cni: always Calico's own plugin and IPAM. Left out, the operator picks
   * the cloud's CNI on EKS, AKS and GKE (or wherever aws-node runs) and then refuses every
   * encapsulating pool, and the pools need Calico IPAM to hand out their addresses at all.
   */
  readonly cni: { readonly type: "Calico"; readonly ipamType: "Calico" };
  readonly pools: readonly PoolContext[];
}

export function operatorContext(model: Model): OperatorContext {
  const context = calicoContext(model);
  return {
    ...context,
    cni: { type: "Calico", ipamType: "Calico" },
    // The operator fills an empty nodeSelector with all() and writes it back (Argo CD drift).
    pools: context.pools.map((p) => ({ ...p, nodeSelector: p.nodeSelector || "all()" })),
  };
}

export function renderOperatorManifests(model: Model): RenderedFile[] {
  if (model.cluster.install !== "operator") return [];
  const context = operatorContext(model);
  return [
    { path: "manifests/apiserver.yaml", content: renderTemplate("apiserver.yaml", context) },
    { path: "manifests/installation.yaml", content: renderTemplate("installation.yaml", context) },
  ];
}
