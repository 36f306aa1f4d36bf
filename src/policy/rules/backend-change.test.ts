import { describe, it } from "vitest";
import {
  clusterYaml,
  PLAN_BASE_REPO,
  PlanRuleTester,
  type ExpectedDisruption,
} from "../../plan/rule-tester.js";
import { poolYaml } from "../tester.js";
import { rule } from "./backend-change.js";

// Backend none with a pool is backend-none-pool's error: turned off to plan the change itself.
const backend = (name: string) => ({
  "netcompile.yaml": clusterYaml(
    "networking:",
    `  backend: ${name}`,
    ...(name === "none" ? ["rules:", '  backend-none-pool: "off"'] : []),
  ),
});
const vxlan = { "pools.yaml": poolYaml("pool-1", "cidr: 192.168.0.0/16", "vxlanMode: Always") };
const changed = (from: string, to: string, messageId: string): ExpectedDisruption => ({
  messageId,
  titleId: "explicit",
  stepsId: "rollOut",
  data: { from, to, nodes: "5 nodes (2 listed, worker-*: 3)" },
  file: "netcompile.yaml",
  line: 8,
  column: 14,
  change: { resource: "Cluster/lab", field: "networking.backend", from, to },
  acknowledgeable: true,
  pools: [],
  nodes: ["node-1", "node-2", "worker-1", "worker-2", "worker-3"],
  addresses: ["v1/ConfigMap/kube-system/calico-config"],
});

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    {
      name: "the derived backend written out: the same backend",
      before: {},
      after: backend("bird"),
    },
  ],
  invalid: [
    {
      name: "derived from the pools: bird -> vxlan, at the pool that switched",
      before: {},
      after: vxlan,
      disruptions: [
        {
          ...changed("bird", "vxlan", "birdStops"),
          titleId: "derived",
          file: "pools.yaml",
          line: 7,
          column: 14,
        },
      ],
    },
    {
      name: "written: bird -> vxlan",
      before: { ...backend("bird"), ...vxlan },
      after: { ...backend("vxlan"), ...vxlan },
      disruptions: [changed("bird", "vxlan", "birdStops")],
    },
    {
      name: "written: bird -> none",
      before: { ...backend("bird"), ...vxlan },
      after: { ...backend("none"), ...vxlan },
      disruptions: [changed("bird", "none", "birdStopsNoRoutes")],
    },
    {
      name: "written: vxlan -> bird",
      before: { ...backend("vxlan"), ...vxlan },
      after: { ...backend("bird"), ...vxlan },
      disruptions: [changed("vxlan", "bird", "birdStarts")],
    },
    {
      name: "written: vxlan -> none",
      before: { ...backend("vxlan"), ...vxlan },
      after: { ...backend("none"), ...vxlan },
      disruptions: [changed("vxlan", "none", "toNone")],
    },
    {
      name: "written: none -> vxlan",
      before: { ...backend("none"), ...vxlan },
      after: { ...backend("vxlan"), ...vxlan },
      disruptions: [changed("none", "vxlan", "toVxlan")],
    },
  ],
});
