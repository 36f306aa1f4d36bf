import { describe, it } from "vitest";
import { livePool, LiveRuleTester } from "../live-rule-tester.js";
import { rule } from "./live-pool-drift.js";

const running = (...spec: string[]) => ({ "ippools.yaml": livePool("pool-1", ...spec) });

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "the pool runs as written (Calico's defaults filled in)", live: {} },
    {
      name: "the cluster leaves defaults out",
      live: running("cidr: 192.168.0.0/16", "ipipMode: CrossSubnet", "natOutgoing: true"),
    },
    {
      name: "a pool only the cluster has is another rule's",
      live: { "other.yaml": livePool("pool-9", "cidr: 10.9.0.0/16") },
    },
  ],
  invalid: [
    {
      name: "another encapsulation and no outgoing NAT in the cluster",
      live: running("cidr: 192.168.0.0/16", "ipipMode: Always", "natOutgoing: false"),
      errors: [
        {
          messageId: "field",
          data: { pool: "pool-1", field: "spec.ipipMode", live: "Always", repo: "CrossSubnet" },
          file: "pools.yaml",
          line: 7,
          column: 13,
          related: [
            {
              file: "live/ippools.yaml",
              line: 7,
              column: 13,
              message: "IPPool pool-1: ipipMode Always",
            },
          ],
        },
        {
          messageId: "field",
          data: { pool: "pool-1", field: "spec.natOutgoing", live: "false", repo: "true" },
          file: "pools.yaml",
          line: 8,
          column: 16,
          related: [
            {
              file: "live/ippools.yaml",
              line: 8,
              column: 16,
              message: "IPPool pool-1: natOutgoing false",
            },
          ],
        },
      ],
    },
    {
      name: "a field the repository leaves to Calico's default differs",
      live: running(
        "cidr: 192.168.0.0/16",
        "ipipMode: CrossSubnet",
        "natOutgoing: true",
        "blockSize: 24",
      ),
      errors: [
        {
          messageId: "field",
          data: { pool: "pool-1", field: "spec.blockSize", live: "24", repo: "26" },
          file: "pools.yaml",
          line: 5,
          column: 1,
          related: [
            {
              file: "live/ippools.yaml",
              line: 9,
              column: 14,
              message: "IPPool pool-1: blockSize 24",
            },
          ],
        },
      ],
    },
  ],
});
