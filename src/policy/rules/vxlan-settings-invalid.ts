import { PORT_RANGE, VXLAN_VNI_RANGE } from "../calico-limits.js";
import { defineRule } from "../rule.js";

/** Felix and netplan pass these through unchecked; the kernel refuses them at run time. */
export const rule = defineRule({
  id: "vxlan-settings-invalid",
  meta: {
    description:
      "The Cluster's networking.vxlanVNI is outside 1-16777215, or its networking.vxlanPort outside 1-65535.",
    defaultSeverity: "error",
    category: "topology",
    needsEvery: [],
    messages: {
      vni: "networking.vxlanVNI {value} is outside {min}-{max}: a VXLAN network identifier has 24 bits",
      port: "networking.vxlanPort {value} is outside {min}-{max}, the UDP port numbers",
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    const resource = `Cluster/${cluster.metadata.name}`;
    const settings = [
      ["vni", "vxlanVNI", cluster.vxlanVNI, VXLAN_VNI_RANGE],
      ["port", "vxlanPort", cluster.vxlanPort, PORT_RANGE],
    ] as const;
    for (const [messageId, field, value, { min, max }] of settings) {
      if (value >= min && value <= max) continue;
      ctx.report({
        messageId,
        data: { value, min, max },
        span: cluster.source.at(["spec", "networking", field]),
        resource,
      });
    }
  },
});
