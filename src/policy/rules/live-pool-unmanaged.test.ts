import { describe, it } from "vitest";
import { livePool, LiveRuleTester } from "../live-rule-tester.js";
import { rule } from "./live-pool-unmanaged.js";

/** The Cluster's metadata.name in the base netcompile.yaml: line 4, column 9. */
const cluster = { file: "netcompile.yaml", line: 4, column: 9 };
const related = {
  file: "live/default.yaml",
  line: 4,
  column: 9,
  message: "IPPool default-ipv4-ippool: not in the repository (default.yaml)",
};

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [{ name: "every live pool is in the repository", live: {} }],
  invalid: [
    {
      name: "upstream's default pool, enabled for every node",
      live: {
        "default.yaml": livePool(
          "default-ipv4-ippool",
          "cidr: 172.20.0.0/16",
          "ipipMode: Always",
          "nodeSelector: all()",
        ),
      },
      errors: [
        {
          messageId: "enabled",
          data: {
            pool: "default-ipv4-ippool",
            cidr: "172.20.0.0/16",
            encapsulation: "IPIP",
            nodes: "2 nodes (node-1, node-2)",
          },
          ...cluster,
          related: [related],
        },
      ],
    },
    {
      name: "a disabled pool left behind",
      live: {
        "default.yaml": livePool("default-ipv4-ippool", "cidr: 172.20.0.0/16", "disabled: true"),
      },
      errors: [
        {
          messageId: "idle",
          data: {
            pool: "default-ipv4-ippool",
            cidr: "172.20.0.0/16",
            encapsulation: "None",
            why: "is disabled",
          },
          ...cluster,
          related: [related],
        },
      ],
    },
    {
      name: "a pool that selects no node",
      live: {
        "default.yaml": livePool(
          "default-ipv4-ippool",
          "cidr: 172.20.0.0/16",
          "nodeSelector: gpu == 'yes'",
        ),
      },
      errors: [
        {
          messageId: "idle",
          data: {
            pool: "default-ipv4-ippool",
            cidr: "172.20.0.0/16",
            encapsulation: "None",
            why: "selects no node of the cluster",
          },
          ...cluster,
          related: [related],
        },
      ],
    },
  ],
});
