import { describe, it } from "vitest";
import { BASE_REPO, RuleTester } from "../tester.js";
import { rule } from "./operator-pool-metadata.js";

const operator = `${BASE_REPO["netcompile.yaml"]}  install: operator\n`;
const pool = (...metadata: string[]) =>
  [
    "apiVersion: projectcalico.org/v3",
    "kind: IPPool",
    "metadata:",
    "  name: p",
    ...metadata.map((l) => `  ${l}`),
    "spec:",
    "  cidr: 10.244.0.0/16",
    "  vxlanMode: CrossSubnet",
    "",
  ].join("\n");
const file = "pools.yaml";

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "no labels or annotations", files: { "netcompile.yaml": operator } },
    {
      name: "labels and annotations with install: manifest (ippools.yaml carries them)",
      files: { "pools.yaml": pool("labels: {team: a}", "annotations: {note: x}") },
    },
    {
      name: "netcompile's own annotations and the managed-by label",
      files: {
        "netcompile.yaml": operator,
        "pools.yaml": pool(
          "labels: {app.kubernetes.io/managed-by: gitops}",
          "annotations:",
          "  netcompile.dev/waive: 'pool-selects-no-nodes: later'",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "labels and annotations, each listed by key",
      files: {
        "netcompile.yaml": operator,
        "pools.yaml": pool(
          "labels: {tier: gold, team: a}",
          "annotations: {note: x, netcompile.dev/waive: 'pool-selects-no-nodes: later'}",
        ),
      },
      errors: [
        {
          messageId: "dropped",
          data: { pool: "p", field: "labels", keys: "team, tier" },
          file,
          line: 5,
          column: 11,
        },
        {
          messageId: "dropped",
          data: { pool: "p", field: "annotations", keys: "note" },
          file,
          line: 6,
          column: 16,
        },
      ],
    },
  ],
});
