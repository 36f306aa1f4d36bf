import { defineLiveRule } from "../live-rule.js";
import { compareMTU } from "../live-mtu.js";

/** calico-config lets pods send packets that, with the tunnel header, do not fit the underlay. */
export const rule = defineLiveRule({
  id: "live-mtu-exceeds-underlay",
  meta: {
    description:
      "The calico-config ConfigMap's veth_mtu in the cluster is larger than the repository's underlay MTU allows with the tunnels in use (WireGuard's included).",
    defaultSeverity: "error",
    scope: "live",
    category: "live",
    messages: {
      exceeds:
        "the cluster's calico-config sets veth_mtu {live}, but with the underlay MTU {underlay} ({where}) and {encapsulation} ({overhead} bytes) pods can send at most {max}: their larger packets are dropped (or the underlay MTU here is wrong)",
    },
  },
  check(model, ctx) {
    const mtu = compareMTU(model, ctx.live);
    if (!mtu || mtu.live <= mtu.budget.mtu) return;
    ctx.report({
      messageId: "exceeds",
      data: {
        live: mtu.live,
        underlay: mtu.underlay,
        where: mtu.where,
        encapsulation: mtu.encapsulation,
        overhead: mtu.budget.overhead,
        max: mtu.budget.mtu,
      },
      span: mtu.underlayAt,
      resource: `Cluster/${model.cluster.metadata.name}`,
      related: [{ ...mtu.liveSpan, message: `${mtu.liveObject}: veth_mtu ${mtu.live}` }],
    });
  },
});
