import { describe, it } from "vitest";
import { BASE_REPO, RuleTester } from "../tester.js";
import { rule, STATIC_MODE_MAX_NODES } from "./static-mode-node-count.js";

const cluster = (mode: string) =>
  `${BASE_REPO["netcompile.yaml"]}  hostNetwork:\n    mode: ${mode}\n`;
const topology = (count: number) => `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.0.0/16
      gateway: 10.0.0.1
  nodeGroups:
    - namePrefix: edge-
      count: ${count}
      subnet: rack-1
      firstAddress: 10.0.1.10
      firstPodCIDR: 192.168.0.0/26
`;

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "static mode at the limit",
      files: {
        "netcompile.yaml": cluster("static"),
        "topology.yaml": topology(STATIC_MODE_MAX_NODES),
      },
    },
    {
      name: "calico mode above the limit",
      files: {
        "netcompile.yaml": cluster("calico"),
        "topology.yaml": topology(STATIC_MODE_MAX_NODES + 1),
      },
    },
  ],
  invalid: [
    {
      name: "static mode above the limit",
      files: {
        "netcompile.yaml": cluster("static"),
        "topology.yaml": topology(STATIC_MODE_MAX_NODES + 1),
      },
      errors: [
        {
          messageId: "tooMany",
          data: {
            nodes: STATIC_MODE_MAX_NODES + 1,
            entries: (STATIC_MODE_MAX_NODES + 1) * STATIC_MODE_MAX_NODES,
          },
          file: "netcompile.yaml",
          line: 8,
          column: 11,
        },
      ],
    },
  ],
});
