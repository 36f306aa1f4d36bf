/**
 * NetworkManager writer: `hosts/<node>/networkmanager/calico.conf` marks Calico's interfaces
 * unmanaged, for hosts that run NetworkManager (Calico's own advice). calico mode only: in
 * static mode there is no Felix, and the overlay devices are networkd's.
 */
import { renderTemplate } from "./engine.js";
import type { HostModel } from "./host-model.js";
import type { RenderedFile } from "./types.js";

/** The same text for every host with the same interfaces (all of them): rendered once. */
const texts = new WeakMap<readonly string[], string>();

export function networkManagerHostFiles(host: HostModel): RenderedFile[] {
  if (host.mode !== "calico") return [];
  let content = texts.get(host.unmanagedInterfaces);
  if (content === undefined) {
    content = renderTemplate("networkmanager-calico.conf", {
      devices: host.unmanagedInterfaces.map((glob) => `interface-name:${glob}`).join(";"),
    });
    texts.set(host.unmanagedInterfaces, content);
  }
  return [{ path: `hosts/${host.node}/networkmanager/calico.conf`, content }];
}
