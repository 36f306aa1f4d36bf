import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-selects-no-nodes.js";

const pool = (...spec: string[]) => ({
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet", ...spec),
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "all() selects every node", files: pool() },
    { name: "one node", files: pool(`nodeSelector: kubernetes.io/hostname == "node-1"`) },
    { name: "a disabled pool", files: pool(`nodeSelector: role == "db"`, "disabled: true") },
    {
      name: "a LoadBalancer pool serves no node",
      files: {
        "pools.yaml": poolYaml(
          "p",
          "cidr: 10.244.0.0/16",
          "allowedUses: [LoadBalancer]",
          `nodeSelector: all()`,
        ),
      },
    },
    {
      name: "a selector that does not parse is another rule's finding",
      files: pool("nodeSelector: a =="),
    },
  ],
  invalid: [
    {
      name: "a label no node has",
      files: pool(`nodeSelector: role == "db"`),
      errors: [
        {
          messageId: "none",
          data: { pool: "p", selector: 'role == "db"', count: 2 },
          file: "pools.yaml",
          line: 8,
          column: 17,
        },
      ],
    },
    {
      name: "!all()",
      files: pool("nodeSelector: '!all()'"),
      errors: [
        {
          messageId: "none",
          data: { pool: "p", selector: "!all()", count: 2 },
          file: "pools.yaml",
          line: 8,
          column: 17,
        },
      ],
    },
  ],
});
