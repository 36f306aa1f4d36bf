import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-duplicate-name.js";

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "two names",
      files: { "pools2.yaml": poolYaml("pool-2", "cidr: 10.244.0.0/16") },
    },
  ],
  invalid: [
    {
      // pools2.yaml is read after pools.yaml: the second definition is the finding.
      name: "the same name in two files",
      files: { "pools2.yaml": poolYaml("pool-1", "cidr: 10.244.0.0/16") },
      errors: [
        {
          messageId: "duplicate",
          data: { pool: "pool-1" },
          file: "pools2.yaml",
          line: 4,
          column: 9,
        },
      ],
    },
    {
      name: "the same name twice in one file",
      files: {
        "pools2.yaml": `${poolYaml("x", "cidr: 10.244.0.0/16")}---\n${poolYaml("x", "cidr: 10.245.0.0/16")}`,
      },
      errors: [
        { messageId: "duplicate", data: { pool: "x" }, file: "pools2.yaml", line: 11, column: 9 },
      ],
    },
  ],
});
