/**
 * calico-typha (install: manifest, when model.typha says so): the Service, Deployment and
 * PodDisruptionBudget of Calico's calico-typha.yaml, with the replica count decided in
 * src/model/typha.ts. calico-config and calico-node (calico.ts) point Felix at it.
 */
import type { Model } from "../model/types.js";
import { MANAGED_BY, type KeyValue } from "./calico.js";
import { renderTemplate } from "./engine.js";
import type { RenderedFile } from "./types.js";

export interface TyphaContext {
  readonly image: string;
  readonly replicas: number;
  /** The Cluster asked for Typha (or its replicas); otherwise the node count did. */
  readonly requested: boolean;
  readonly managedBy: KeyValue;
}

export function renderTyphaManifests(model: Model): RenderedFile[] {
  if (!model.typha.enabled) return [];
  const context: TyphaContext = {
    image: `quay.io/calico/typha:${model.cluster.calicoVersion}`,
    replicas: model.typha.replicas,
    requested: model.typha.reason === "requested",
    managedBy: MANAGED_BY,
  };
  return [
    { path: "manifests/calico-typha.yaml", content: renderTemplate("calico-typha.yaml", context) },
  ];
}
