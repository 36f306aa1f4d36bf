import { describe, it } from "vitest";
import { calicoConfig, LiveRuleTester } from "../live-rule-tester.js";
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
          data: { live: 1400, repo: 1480, how: "the underlay MTU 1500 less 20 bytes of ipip" },
          file: "netcompile.yaml",
          line: 5,
          column: 1,
          related: [veth("1400")],
        },
      ],
    },
    {
      name: "an explicit podMTU",
      files: {
        "netcompile.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: test
spec:
  provider: bare-metal
  networking:
    podMTU: 1450
`,
      },
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
