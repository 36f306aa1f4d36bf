import { describe, it } from "vitest";
import { LiveRuleTester, kubeNode } from "../live-rule-tester.js";
import { groupYaml, oneSubnetTopology } from "../tester.js";
import { rule } from "./live-node-absent.js";

const group = oneSubnetTopology(`  nodeGroups:\n${groupYaml("w-", 4, "10.0.1.20")}`);

new LiveRuleTester({ describe, it }).run(rule, {
  valid: [{ name: "every Topology node runs", live: {} }],
  invalid: [
    {
      name: "a listed node is not in the cluster",
      live: { "node-2.yaml": null },
      errors: [
        {
          messageId: "node",
          data: { node: "node-2" },
          file: "topology.yaml",
          line: 14,
          column: 13,
        },
      ],
    },
    {
      name: "two members of a group are not in the cluster: one finding for the group",
      files: group,
      live: {
        "node-1.yaml": null,
        "node-2.yaml": null,
        "w-1.yaml": kubeNode("w-1", { ipv4: "10.0.1.20/24" }),
        "w-3.yaml": kubeNode("w-3", { ipv4: "10.0.1.22/24" }),
      },
      errors: [
        {
          messageId: "group",
          data: { group: "w-", count: 2, size: 4, node: "w-2" },
          file: "topology.yaml",
          line: 10,
          column: 19,
        },
      ],
    },
  ],
});
