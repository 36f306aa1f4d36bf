import { describe, it } from "vitest";
import { RuleTester } from "../tester.js";
import { rule } from "./pool-metadata-invalid.js";

/** A pool whose metadata has these lines below `name:` (indented by two). */
const pool = (...meta: string[]) => ({
  "pools.yaml": [
    "apiVersion: projectcalico.org/v3",
    "kind: IPPool",
    "metadata:",
    "  name: p",
    ...meta.map((l) => `  ${l}`),
    "spec:",
    "  cidr: 192.168.0.0/16",
    "  ipipMode: CrossSubnet",
    "",
  ].join("\n"),
});
const x = (n: number) => "x".repeat(n);
const at = (line: number, column: number) => ({ file: "pools.yaml", line, column });

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "no labels or annotations", files: pool() },
    // Calico's validator tests (validator_test.go:570, :604, :626, :648).
    {
      name: "a 63-character label value",
      files: pool("labels:", `  projectcalico.org/label: ${x(63)}`),
    },
    {
      name: "an upper-case label name",
      files: pool("labels:", "  projectcalico.org/Label: value"),
    },
    {
      name: "annotation keys with upper case in domain and name",
      files: pool("annotations:", "  ProjectCalico.org/Label: value"),
    },
    { name: "annotations of exactly 256 KiB", files: pool("annotations:", `  key: ${x(262141)}`) },
    {
      name: "netcompile's own annotations are not rendered and do not count",
      files: pool("annotations:", `  netcompile.dev/waive: "pool-selects-no-nodes: ${x(262144)}"`),
    },
    { name: "an empty label value", files: pool("labels:", '  team: ""') },
  ],
  invalid: [
    {
      name: "a 64-character label value (validator_test.go:582)",
      files: pool("labels:", `  projectcalico.org/label: ${x(64)}`),
      errors: [
        {
          messageId: "labelValue",
          data: {
            pool: "p",
            key: "projectcalico.org/label",
            why: "must be no more than 63 characters",
            length: 64,
          },
          ...at(6, 30),
        },
      ],
    },
    {
      name: "an upper-case label domain (validator_test.go:593)",
      files: pool("labels:", "  ProjectCalico.org/label: value"),
      errors: [
        {
          messageId: "labelKey",
          data: {
            pool: "p",
            key: "ProjectCalico.org/label",
            why: "the prefix must be a lowercase DNS subdomain",
          },
          ...at(6, 5),
        },
      ],
    },
    {
      name: "a label value with a space",
      files: pool("labels:", '  team: "a b"'),
      errors: [
        {
          messageId: "labelValue",
          data: {
            pool: "p",
            key: "team",
            why: "must be empty or consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
            length: 3,
          },
          ...at(6, 11),
        },
      ],
    },
    {
      name: "a $ in an annotation key (validator_test.go:615)",
      files: pool("annotations:", "  projectcalico.org$label: value"),
      errors: [
        {
          messageId: "annotationKey",
          data: {
            pool: "p",
            key: "projectcalico.org$label",
            why: "the name part must consist of letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
          },
          ...at(6, 5),
        },
      ],
    },
    {
      name: "annotations one byte over 256 KiB (validator_test.go:659)",
      files: pool("annotations:", `  key: ${x(262142)}`),
      errors: [
        {
          messageId: "annotationsTooLarge",
          data: { pool: "p", size: 262145, limit: 262144 },
          ...at(5, 3),
        },
      ],
    },
    {
      name: "two slashes in a label key",
      files: pool("labels:", "  a/b/c: v"),
      errors: [
        {
          messageId: "labelKey",
          data: {
            pool: "p",
            key: "a/b/c",
            why: 'at most one "/", between a DNS subdomain prefix and the name',
          },
          ...at(6, 5),
        },
      ],
    },
  ],
});
