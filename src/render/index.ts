/** Every renderer, in one list: a new output is one module and one line here. */
import type { Model } from "../model/types.js";
import { renderCalicoManifests } from "./calico.js";
import { hostFileDiagnostics } from "./host-checks.js";
import { renderNetplan } from "./netplan.js";
import { renderNetworkd } from "./networkd.js";
import { renderNetworkManager } from "./networkmanager.js";
import { renderOperatorManifests } from "./operator.js";
import { renderTyphaManifests } from "./typha.js";
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { fieldSpan } from "../policy/spans.js";
import type { RenderedFile, Renderer } from "./types.js";

const manifestRenderers: readonly Renderer[] = [
  renderCalicoManifests,
  renderOperatorManifests,
  renderTyphaManifests,
];
const hostRenderers: readonly Renderer[] = [renderNetplan, renderNetworkd, renderNetworkManager];

/**
 * Static host networking ships no Kubernetes objects: its hosts run no Felix, and calico-node
 * (or the operator's Installation) would start one on every node, creating vxlan.calico with
 * the VNI and port of the static nc-vxlan device (felix/dataplane/linux/vxlan_mgr.go:323-336),
 * and IPPools and a FelixConfiguration would configure a Calico that is not there.
 */
export function rendersManifests(model: Model): boolean {
  return model.cluster.hostNetwork.mode !== "static";
}

export function renderAll(model: Model, what: "all" | "manifests"): RenderedFile[] {
  const manifests = rendersManifests(model) ? manifestRenderers : [];
  const renderers = what === "all" ? [...manifests, ...hostRenderers] : manifests;
  const files = renderers.flatMap((render) => render(model));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** What rendering `what` must tell the user about its output (host-checks.ts, static mode). */
export function renderDiagnostics(model: Model, what: "all" | "manifests"): Diagnostic[] {
  const diagnostics = what === "all" ? hostFileDiagnostics(model) : [];
  if (!rendersManifests(model)) {
    const at = fieldSpan(model.cluster.source, ["spec", "hostNetwork", "mode"]);
    const extras = { resource: `Cluster/${model.cluster.metadata.name}` };
    // `render` feeds Argo CD, which prunes an application whose generated output is empty.
    diagnostics.push(diagnostic(what === "manifests" ? "NC5037" : "NC5038", at, undefined, extras));
  }
  return diagnostics;
}
