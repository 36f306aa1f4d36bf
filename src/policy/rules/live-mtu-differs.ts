import { defineLiveRule } from "../live-rule.js";
import { compareMTU } from "../live-mtu.js";
import { fieldSpan } from "../spans.js";

/** The pod MTU the repository renders is not the one the cluster runs: applying it changes every pod's. */
export const rule = defineLiveRule({
  id: "live-mtu-differs",
  meta: {
    description:
      "The calico-config ConfigMap's veth_mtu in the cluster differs from the pod MTU the repository gives (and still fits the underlay).",
    defaultSeverity: "warning",
    scope: "live",
    category: "live",
    messages: {
      differs:
        "the cluster's calico-config sets veth_mtu {live}, the repository gives pods {repo} ({how}): applying it changes the MTU of every new pod; running pods keep {live} until they are recreated",
    },
  },
  check(model, ctx) {
    const mtu = compareMTU(model, ctx.live);
    if (!mtu || mtu.live > mtu.budget.mtu || mtu.live === model.podMTU) return;
    ctx.report({
      messageId: "differs",
      data: {
        live: mtu.live,
        repo: model.podMTU,
        how: model.podMTUDerived
          ? `the underlay MTU ${mtu.underlay} (${mtu.where}) less ${mtu.budget.overhead} bytes of ${mtu.encapsulation}`
          : "networking.podMTU",
      },
      span: model.podMTUDerived
        ? mtu.underlayAt
        : fieldSpan(model.cluster.source, ["spec", "networking", "podMTU"]),
      resource: `Cluster/${model.cluster.metadata.name}`,
      related: [{ ...mtu.liveSpan, message: `${mtu.liveObject}: veth_mtu ${mtu.live}` }],
    });
  },
});
