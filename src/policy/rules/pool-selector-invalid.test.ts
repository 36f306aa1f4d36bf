import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-selector-invalid.js";

const pool = (...spec: string[]) => ({
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});
/** The selector on spec line 2: line 7; nodeSelector's value at column 17, namespaceSelector's at 22. */
const node = { file: "pools.yaml", line: 7, column: 17 };
const namespace = { file: "pools.yaml", line: 7, column: 22 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "equality", files: pool(`nodeSelector: foo == "bar"`) },
    { name: "has()", files: pool("nodeSelector: has(team)") },
    { name: "all()", files: pool("nodeSelector: all()") },
    { name: "empty means all()", files: pool('nodeSelector: ""') },
    { name: "set membership", files: pool(`nodeSelector: region in {"east", "west"}`) },
    { name: "!all() parses (it selects nothing)", files: pool("nodeSelector: '!all()'") },
    {
      name: "a namespaceSelector that parses",
      files: pool(`namespaceSelector: environment contains "prod"`, "allowedUses: [Workload]"),
    },
  ],
  invalid: [
    {
      name: "not a selector (Calico's test)",
      files: pool("nodeSelector: this is not valid selector syntax"),
      errors: [
        {
          messageId: "syntax",
          data: {
            pool: "p",
            field: "nodeSelector",
            position: 6,
            reason:
              'expected an operator (==, !=, in, not in, contains, starts with, ends with) after label "this"',
          },
          ...node,
        },
      ],
    },
    {
      name: "an unterminated string",
      files: pool(`nodeSelector: 'a == "b'`),
      errors: [
        {
          messageId: "syntax",
          data: {
            pool: "p",
            field: "nodeSelector",
            position: 6,
            reason: 'unterminated string: no closing " for the string that starts here',
          },
          ...node,
        },
      ],
    },
    {
      name: "global() in nodeSelector",
      files: pool("nodeSelector: global()"),
      errors: [{ messageId: "global", data: { pool: "p", field: "nodeSelector" }, ...node }],
    },
    {
      name: "global() in namespaceSelector",
      files: pool("namespaceSelector: global()", "allowedUses: [Workload]"),
      errors: [
        { messageId: "global", data: { pool: "p", field: "namespaceSelector" }, ...namespace },
      ],
    },
    {
      name: "global( inside a quoted value (upstream tests the text)",
      files: pool(`nodeSelector: 'a == "global(x)"'`),
      errors: [{ messageId: "global", data: { pool: "p", field: "nodeSelector" }, ...node }],
    },
    {
      name: "a namespaceSelector that does not parse",
      files: pool("namespaceSelector: a ==", "allowedUses: [Workload]"),
      errors: [
        {
          messageId: "syntax",
          data: {
            pool: "p",
            field: "namespaceSelector",
            position: 5,
            reason: 'expected a quoted string after "==" but found the end of the selector',
          },
          ...namespace,
        },
      ],
    },
  ],
});
