import { describe, it } from "vitest";
import { PLAN_BASE_REPO, PlanRuleTester, topologyYaml } from "../../plan/rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./pool-disabled.js";

const pools = (...docs: string[]) => ({ "pools.yaml": docs.join("---\n") });
const one = (disabled: boolean) =>
  poolYaml(
    "pool-1",
    "cidr: 192.168.0.0/16",
    "ipipMode: CrossSubnet",
    ...(disabled ? ["disabled: true"] : []),
  );
/** pool-b serves node-2 only (label pool=b). */
const poolB = poolYaml(
  "pool-b",
  "cidr: 10.244.0.0/16",
  "ipipMode: CrossSubnet",
  'nodeSelector: pool == "b"',
);
const v6 = poolYaml("pool-6", "cidr: fd00:10::/64", "vxlanMode: CrossSubnet");
/** The same nodes, dual-stack: an IPv6 pool needs every node to have an IPv6 address. */
const dualStack = topologyYaml()
  .replace(
    "      cidr: 10.0.2.0/24\n",
    "      cidr: 10.0.2.0/24\n    - name: rack-6\n      cidr: fd00:1::/64\n",
  )
  .replace("address: 10.0.1.10\n", "address: 10.0.1.10\n      addressV6: fd00:1::10\n")
  .replace("address: 10.0.2.10\n", "address: 10.0.2.10\n      addressV6: fd00:1::20\n")
  .replace(
    "firstAddress: 10.0.1.100\n",
    "firstAddress: 10.0.1.100\n      subnetV6: rack-6\n      firstAddressV6: fd00:1::100\n",
  );

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    {
      name: "disabled while another enabled pool serves every node (a migration's first step)",
      before: pools(one(false), poolYaml("new", "cidr: 10.245.0.0/16", "ipipMode: CrossSubnet")),
      after: pools(one(true), poolYaml("new", "cidr: 10.245.0.0/16", "ipipMode: CrossSubnet")),
    },
    {
      name: "a pool that was disabled already",
      before: pools(one(true), poolYaml("new", "cidr: 10.245.0.0/16", "ipipMode: CrossSubnet")),
      after: pools(one(true), poolYaml("new", "cidr: 10.245.0.0/16", "ipipMode: Always")),
    },
    {
      name: "enabled again",
      before: pools(one(true), poolYaml("new", "cidr: 10.245.0.0/16", "ipipMode: CrossSubnet")),
      after: pools(one(false), poolYaml("new", "cidr: 10.245.0.0/16", "ipipMode: CrossSubnet")),
    },
  ],
  invalid: [
    {
      name: "disabled while only some nodes have another pool: the others are stranded",
      before: pools(one(false), poolB),
      after: pools(one(true), poolB),
      disruptions: [
        {
          messageId: "stranded",
          titleId: "disabled",
          stepsId: "widenFirst",
          data: { pool: "pool-1", nodes: "4 nodes (1 listed, worker-*: 3)", version: 4 },
          file: "pools.yaml",
          line: 8,
          column: 13,
          change: { resource: "IPPool/pool-1", field: "spec.disabled", from: "false", to: "true" },
          acknowledgeable: true,
          pools: ["pool-1"],
          nodes: ["node-1", "worker-1", "worker-2", "worker-3"],
          addresses: ["projectcalico.org/v3/IPPool/pool-1"],
        },
      ],
    },
    {
      name: "an enabled pool of the other IP version does not count",
      before: { ...pools(one(false), v6), "topology.yaml": dualStack },
      after: { ...pools(one(true), v6), "topology.yaml": dualStack },
      disruptions: [
        {
          messageId: "stranded",
          titleId: "disabled",
          stepsId: "widenFirst",
          data: { pool: "pool-1", nodes: "5 nodes (2 listed, worker-*: 3)", version: 4 },
          file: "pools.yaml",
          line: 8,
          column: 13,
          change: { resource: "IPPool/pool-1", field: "spec.disabled", from: "false", to: "true" },
          acknowledgeable: true,
          pools: ["pool-1"],
          nodes: ["node-1", "node-2", "worker-1", "worker-2", "worker-3"],
          addresses: ["projectcalico.org/v3/IPPool/pool-1"],
        },
      ],
    },
  ],
});
