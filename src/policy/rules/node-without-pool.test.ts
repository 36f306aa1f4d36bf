import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./node-without-pool.js";

const pool = (...spec: string[]) => ({
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet", ...spec),
});
/** node-1 labelled (labels at line 15), node-2 not (name at line 16); three workers (labels at line 24). */
const withGroup = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
      labels:
        role: db
    - name: node-2
      address: 10.0.2.10
  nodeGroups:
    - namePrefix: worker-
      count: 3
      subnet: rack-2
      firstAddress: 10.0.2.100
      labels:
        role: worker
`;

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "all() selects every node", files: pool() },
    {
      name: "no enabled workload pool at all: nothing to compare with",
      files: pool("disabled: true"),
    },
    {
      name: "two pools between them select every node",
      files: {
        ...pool(`nodeSelector: role == "worker" || role == "db"`),
        "topology.yaml": withGroup,
        "rest.yaml": poolYaml(
          "rest",
          "cidr: 10.245.0.0/16",
          "ipipMode: CrossSubnet",
          "nodeSelector: '!has(role)'",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "a node without labels: the finding is at its name",
      files: pool(`nodeSelector: kubernetes.io/hostname == "node-1"`),
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
      name: "a node with labels: the finding is at its labels",
      files: { ...pool(`nodeSelector: role == "worker"`), "topology.yaml": withGroup },
      errors: [
        { messageId: "node", data: { node: "node-1" }, file: "topology.yaml", line: 15, column: 9 },
        {
          messageId: "node",
          data: { node: "node-2" },
          file: "topology.yaml",
          line: 16,
          column: 13,
        },
      ],
    },
    {
      name: "a node group: one finding at the group's labels",
      files: {
        ...pool(`nodeSelector: role == "db" || kubernetes.io/hostname == "worker-2"`),
        "topology.yaml": withGroup,
      },
      errors: [
        {
          messageId: "node",
          data: { node: "node-2" },
          file: "topology.yaml",
          line: 16,
          column: 13,
        },
        {
          messageId: "group",
          data: { group: "worker-", count: 2, total: 3, node: "worker-1" },
          file: "topology.yaml",
          line: 24,
          column: 9,
        },
      ],
    },
  ],
});
