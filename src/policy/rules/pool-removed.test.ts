import { describe, it } from "vitest";
import { PLAN_BASE_REPO, PlanRuleTester } from "../../plan/rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./pool-removed.js";

const pools = (...docs: string[]) => ({ "pools.yaml": docs.join("---\n") });
const pool1 = poolYaml("pool-1", "cidr: 192.168.0.0/16", "ipipMode: CrossSubnet");
const pool2 = (...spec: string[]) =>
  poolYaml("pool-2", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet", ...spec);
const all = ["node-1", "node-2", "worker-1", "worker-2", "worker-3"];
const removed = {
  titleId: "deleted",
  stepsId: "migrate",
  file: "netcompile.yaml",
  line: 6,
  column: 3,
  change: { resource: "IPPool/pool-2", field: "state", from: "present", to: "absent" },
  acknowledgeable: true,
  pools: ["pool-2"],
  addresses: ["projectcalico.org/v3/IPPool/pool-2"],
};

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    { name: "a pool added", before: {}, after: pools(pool1, pool2()) },
  ],
  invalid: [
    {
      name: "a disabled pool deleted (the migration's last step): acknowledged once its workloads moved",
      before: pools(pool1, pool2("disabled: true")),
      after: pools(pool1),
      disruptions: [
        {
          ...removed,
          messageId: "removedDisabled",
          titleId: "deletedDisabled",
          stepsId: "checkMoved",
          data: { pool: "pool-2", cidr: "10.244.0.0/16" },
          nodes: [],
          related: [
            {
              file: "pools.yaml",
              line: 12,
              column: 9,
              message: "the base defines IPPool pool-2 here",
            },
          ],
        },
      ],
    },
    {
      name: "an enabled pool deleted: at the acknowledgements, the base's pool related",
      before: pools(pool1, pool2()),
      after: pools(pool1),
      disruptions: [
        {
          ...removed,
          messageId: "removed",
          data: { pool: "pool-2", cidr: "10.244.0.0/16", nodes: "5 nodes (2 listed, worker-*: 3)" },
          nodes: all,
          related: [
            {
              file: "pools.yaml",
              line: 12,
              column: 9,
              message: "the base defines IPPool pool-2 here",
            },
          ],
        },
      ],
    },
    {
      name: "against a rendered tree whose pool's selector cannot be read: its nodes are unknown",
      before: pools(pool1, pool2()),
      after: pools(pool1),
      rendered: {
        "manifests/ippools.yaml": pools(pool1, pool2("nodeSelector: has("))["pools.yaml"],
      },
      disruptions: [
        {
          ...removed,
          messageId: "removedNodesUnknown",
          data: { pool: "pool-2", cidr: "10.244.0.0/16" },
          nodes: [],
        },
      ],
    },
  ],
});
