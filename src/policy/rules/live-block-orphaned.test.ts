import { describe, it } from "vitest";
import { LiveRuleTester } from "../live-rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./live-block-orphaned.js";

const affinity = (node: string, cidr: string, extra = "") =>
  `apiVersion: crd.projectcalico.org/v1
kind: BlockAffinity
metadata:
  name: ${node}-${cidr.replace(/[./]/g, "-")}
spec:
  cidr: ${cidr}
  deleted: "false"
  node: ${node}
  state: confirmed
  type: host
${extra}`;
/** pool-1 selecting only node-1 (its nodeSelector's value: line 8, column 17). */
const onlyNode1 = {
  "pools.yaml": poolYaml(
    "pool-1",
    "cidr: 192.168.0.0/16",
    "ipipMode: CrossSubnet",
    "nodeSelector: kubernetes.io/hostname == 'node-1'",
  ),
};
const selector = { file: "pools.yaml", line: 8, column: 17 };

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "blocks of pools that select their nodes",
      live: { "b1.yaml": affinity("node-2", "192.168.20.0/26") },
    },
    {
      name: "a block being deleted is not held",
      files: onlyNode1,
      live: {
        "b1.yaml": affinity("node-2", "192.168.20.0/26").replace(
          'deleted: "false"',
          'deleted: "true"',
        ),
      },
    },
    {
      name: "a block of no pool of the repository",
      files: onlyNode1,
      live: { "b1.yaml": affinity("node-2", "10.99.0.0/26") },
    },
  ],
  invalid: [
    {
      name: "node-2 still holds two blocks of a pool that no longer selects it",
      files: onlyNode1,
      live: {
        "b1.yaml": affinity("node-2", "192.168.20.0/26"),
        "b2.yaml": affinity("node-2", "192.168.20.64/26"),
        "b3.yaml": affinity("node-1", "192.168.10.0/26"),
      },
      errors: [
        {
          messageId: "held",
          data: {
            pool: "pool-1",
            nodes: "1 node (node-2)",
            blocks: "2 blocks",
            block: "192.168.20.0/26 on node-2",
          },
          ...selector,
          related: [
            {
              file: "live/b1.yaml",
              line: 6,
              column: 9,
              message: "BlockAffinity node-2-192-168-20-0-26: 192.168.20.0/26 affine to node-2",
            },
            {
              file: "live/b2.yaml",
              line: 6,
              column: 9,
              message: "BlockAffinity node-2-192-168-20-64-26: 192.168.20.64/26 affine to node-2",
            },
          ],
        },
      ],
    },
  ],
});
