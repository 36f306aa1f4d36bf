import { describe, it } from "vitest";
import { calicoConfig, LiveRuleTester, providerAt } from "../live-rule-tester.js";
import { clusterOn } from "../tester.js";
import { rule } from "./live-mtu-differs.js";

const veth = (value: string) => ({
  file: "live/calico-config.yaml",
  line: 8,
  column: 14,
  message: `ConfigMap calico-config: veth_mtu ${value}`,
});

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "the derived pod MTU", live: { "calico-config.yaml": calicoConfig("1480") } },
    {
      name: "veth_mtu 0: Felix detects the MTU",
      live: { "calico-config.yaml": calicoConfig("0") },
    },
    { name: "too large is another rule's", live: { "calico-config.yaml": calicoConfig("1500") } },
  ],
  invalid: [
    {
      name: "a smaller MTU in the cluster than the derived one",
      live: { "calico-config.yaml": calicoConfig("1400") },
      errors: [
        {
          messageId: "differs",
          data: {
            live: 1400,
            repo: 1480,
            how: "the underlay MTU 1500 (the default for provider bare-metal: Ethernet's MTU) less 20 bytes of IP-in-IP",
          },
          ...providerAt("bare-metal"),
          related: [veth("1400")],
        },
      ],
    },
    {
      // Nothing declares an MTU: the repository derives the pod MTU from AWS's 9001 (providers.ts).
      name: "the provider's MTU: AWS's jumbo frames, where the cluster runs Ethernet's",
      files: clusterOn("aws"),
      live: { "calico-config.yaml": calicoConfig("1480") },
      errors: [
        {
          messageId: "differs",
          data: {
            live: 1480,
            repo: 8981,
            how: "the underlay MTU 9001 (the default for provider aws: AWS's jumbo-frame MTU inside one VPC) less 20 bytes of IP-in-IP",
          },
          ...providerAt("aws"),
          related: [veth("1480")],
        },
      ],
    },
    {
      name: "an explicit podMTU",
      files: clusterOn("bare-metal", "    podMTU: 1450\n"),
      live: { "calico-config.yaml": calicoConfig("1400") },
      errors: [
        {
          messageId: "differs",
          data: { live: 1400, repo: 1450, how: "networking.podMTU" },
          file: "netcompile.yaml",
          line: 8,
          column: 13,
          related: [veth("1400")],
        },
      ],
    },
  ],
});
