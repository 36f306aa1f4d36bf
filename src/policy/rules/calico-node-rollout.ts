import { definePlanRule } from "../plan-rule.js";

/**
 * calico-node reads calico-config (veth_mtu, calico_backend, the CNI configuration) only when it
 * starts, and netcompile puts a hash of calico-config on its pod template; so whenever the pod
 * template changes, the DaemonSet restarts calico-node on every node, one node at a time. The plan
 * says so in a note: it breaks nothing by itself, but the reviewer must know it happens.
 */
export const rule = definePlanRule({
  id: "calico-node-rollout",
  meta: {
    description:
      "The calico-node pod template changes (calico-config's hash included), so the DaemonSet restarts calico-node on every node, one at a time.",
    defaultSeverity: "info",
    scope: "plan",
    acknowledgeable: false,
    notesOnly: true,
    titles: {},
    messages: {},
    notes: {
      config:
        "calico-node restarts on {nodes}, one node at a time (a rolling update): calico-config changes ({changes}), which calico-node reads only when it starts, and its hash on the pod template changes with it",
      template:
        "calico-node restarts on {nodes}, one node at a time (a rolling update): its pod template changes",
    },
  },
  check(_model, ctx) {
    const before = ctx.base.calicoNode;
    const after = ctx.current.calicoNode;
    if (!before || !after || before.template === after.template) return;
    const nodes = ctx.current.nodes ? ctx.nodesText(ctx.current.nodes.keys()) : "every node";
    const changes = configChanges(before.config, after.config);
    const resource = "DaemonSet/calico-node";
    if (changes) ctx.note({ noteId: "config", data: { nodes, changes }, resource });
    else ctx.note({ noteId: "template", data: { nodes }, resource });
  },
});

/** `veth_mtu 1480 -> 1450, cni_network_config`: the keys that differ, short values shown. */
function configChanges(
  before: ReadonlyMap<string, string> | undefined,
  after: ReadonlyMap<string, string> | undefined,
): string {
  if (!before || !after) return "";
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const shown = (v: string | undefined) => (v === undefined ? "(absent)" : v);
  const short = (v: string | undefined) => v === undefined || (v.length <= 40 && !v.includes("\n"));
  return keys
    .filter((k) => before.get(k) !== after.get(k))
    .map((k) => {
      const [b, a] = [before.get(k), after.get(k)];
      return short(b) && short(a) ? `${k} ${shown(b)} -> ${shown(a)}` : k;
    })
    .join(", ");
}
