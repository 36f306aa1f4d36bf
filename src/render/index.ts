/**
 * Every renderer, in one list: a new output is one module and one line here. Manifests are
 * rendered from the model; a host's files from its host model alone (host-model.ts), which the
 * host writers' signature makes sure of — so equal host models render equal files, and a plan
 * whose base shares a host's model need not render that host again (plan/base.ts).
 */
import type { Model } from "../model/types.js";
import { renderCalicoManifests } from "./calico.js";
import { buildHostModels, type HostModel } from "./host-model.js";
import { netplanHostFiles } from "./netplan.js";
import { networkdHostFiles } from "./networkd.js";
import { networkManagerHostFiles } from "./networkmanager.js";
import { renderOperatorManifests } from "./operator.js";
import { renderTyphaManifests } from "./typha.js";
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

export function renderAll(model: Model, what: "all" | "manifests"): RenderedFile[] {
  const files = manifestRenderers.flatMap((render) => render(model));
  if (what === "all")
    for (const host of buildHostModels(model)) files.push(...renderHostFiles(host));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
