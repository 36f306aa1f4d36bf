/**
 * Every renderer, in one list: a new output is one module and one line here. Manifests are
 * rendered from the model; a host's files from its host model alone (host-model.ts), which the
 * host writers' signature makes sure of — so equal host models render equal files, and a plan
 * whose base shares a host's model need not render that host again (plan/base.ts).
 */
import type { Model } from "../model/types.js";
import { renderCalicoManifests } from "./calico.js";
import { hostFileDiagnostics } from "./host-checks.js";
import { buildHostModels, type HostModel } from "./host-model.js";
import { netplanHostFiles } from "./netplan.js";
import { networkdHostFiles } from "./networkd.js";
import { networkManagerHostFiles } from "./networkmanager.js";
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
const hostWriters: readonly ((host: HostModel) => RenderedFile[])[] = [
  netplanHostFiles,
  networkdHostFiles,
  networkManagerHostFiles,
];

/** Every file of one host, in no particular order. */
export function renderHostFiles(host: HostModel): RenderedFile[] {
  return hostWriters.flatMap((write) => write(host));
}

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
  const files = manifests.flatMap((render) => render(model));
  if (what === "all")
    for (const host of buildHostModels(model)) files.push(...renderHostFiles(host));
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
