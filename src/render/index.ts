/** Every renderer, in one list: a new output is one module and one line here. */
import type { Model } from "../model/types.js";
import { renderCalicoManifests } from "./calico.js";
import { renderNetplan } from "./netplan.js";
import { renderNetworkd } from "./networkd.js";
import { renderNetworkManager } from "./networkmanager.js";
import { renderOperatorManifests } from "./operator.js";
import { renderTyphaManifests } from "./typha.js";
import type { RenderedFile, Renderer } from "./types.js";

const manifestRenderers: readonly Renderer[] = [
  renderCalicoManifests,
  renderOperatorManifests,
  renderTyphaManifests,
];
const hostRenderers: readonly Renderer[] = [renderNetplan, renderNetworkd, renderNetworkManager];

export function renderAll(model: Model, what: "all" | "manifests"): RenderedFile[] {
  const renderers = what === "all" ? [...manifestRenderers, ...hostRenderers] : manifestRenderers;
  const files = renderers.flatMap((render) => render(model));
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
