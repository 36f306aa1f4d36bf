/**
 * Whether Typha runs, and how many: Calico's manifest install recommends Typha above 50 nodes
 * (charts/calico/templates/calico-typha.yaml in Calico v3.31.7), and the Tigera operator sizes
 * it by node count (pkg/common/autoscale.go GetExpectedTyphaScale in tigera/operator v1.40.15).
 * netcompile renders Typha itself only with install: manifest; the operator runs its own.
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import type { SourceRef } from "../load/source.js";
import type { InstallStyle } from "./types.js";

/** Calico's manifest: "We recommend using Typha if you have more than 50 nodes." */
export const TYPHA_NODE_THRESHOLD = 50;
/** "Above 100 nodes it is essential (when using the Kubernetes datastore)." */
export const TYPHA_ESSENTIAL_ABOVE = 100;

/** spec.typha as written. */
export interface TyphaRequest {
  readonly enabled: boolean | undefined;
  readonly replicas: number | undefined;
}

export interface TyphaDecision {
  /** True when netcompile renders calico-typha (install: manifest only). */
  readonly enabled: boolean;
  readonly replicas: number;
  /** Why: asked for in spec.typha, or more nodes than the threshold. */
  readonly reason: "requested" | "node-count" | "off";
}

/**
 * The operator's Typha count for a node count: one per 200 nodes plus one spare, at least
 * three above four nodes, and always fewer than the nodes of a small cluster.
 */
export function expectedTyphaReplicas(nodes: number): number {
  if (nodes <= 2) return 1;
  if (nodes <= 4) return 2;
  return Math.max(3, Math.floor(nodes / 200) + 2);
}

export function decideTypha(
  install: InstallStyle,
  request: TyphaRequest,
  nodes: number,
): TyphaDecision {
  const off: TyphaDecision = { enabled: false, replicas: 0, reason: "off" };
  if (install !== "manifest" || request.enabled === false) return off;
  const requested = request.enabled === true || request.replicas !== undefined;
  if (!requested && nodes <= TYPHA_NODE_THRESHOLD) return off;
  return {
    enabled: true,
    replicas: request.replicas ?? expectedTyphaReplicas(nodes),
    reason: requested ? "requested" : "node-count",
  };
}

/** What spec.typha asks for that cannot happen, or that Calico advises against. */
export function typhaDiagnostics(
  install: InstallStyle,
  request: TyphaRequest,
  nodes: number,
  source: SourceRef,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (field: string) => source.at(["spec", "typha", field]);
  if (install === "operator") {
    if (request.enabled === false)
      out.push(diagnostic("NC3060", at("enabled"), { field: "enabled: false" }));
    if (request.replicas !== undefined)
      out.push(diagnostic("NC3060", at("replicas"), { field: "replicas" }));
    return out;
  }
  if (request.enabled === false) {
    if (request.replicas !== undefined) out.push(diagnostic("NC3063", at("replicas")));
    if (nodes > TYPHA_ESSENTIAL_ABOVE)
      out.push(diagnostic("NC3062", at("enabled"), { nodes, essential: TYPHA_ESSENTIAL_ABOVE }));
    return out;
  }
  if (request.replicas !== undefined && request.replicas > nodes)
    out.push(diagnostic("NC3061", at("replicas"), { replicas: request.replicas, nodes }));
  return out;
}
