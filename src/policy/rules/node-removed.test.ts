import { describe, it } from "vitest";
import {
  PLAN_BASE_REPO,
  PlanRuleTester,
  topologyYaml,
  type ExpectedDisruption,
} from "../../plan/rule-tester.js";
import { nodeYaml } from "../tester.js";
import { rule } from "./node-removed.js";

/** Gateways: host files are rendered only for nodes with a default route (NC5035). */
const subnet = { "rack-1": "gateway: 10.0.1.1", "rack-2": "gateway: 10.0.2.1" };
const workers = (n: number, nodes = "") => ({
  "topology.yaml": topologyYaml({ subnet, workers: n, nodes }),
});
const BASE = { ...PLAN_BASE_REPO, ...workers(3) };
const node3 = nodeYaml("node-3", "10.0.2.11");
/** A node's host files, deleted with it. */
const FILES = [
  "netplan/60-netcompile.yaml",
  "netplan/networkd/05-netcompile-calico.network",
  "netplan/networkd/networkd.conf.d/60-netcompile.conf",
  "networkd/05-netcompile-calico.network",
  "networkd/10-netcompile-eth0.network",
  "networkd/networkd.conf.d/60-netcompile.conf",
  "networkmanager/calico.conf",
];
const hostFiles = (node: string) => FILES.map((f) => `hosts/${node}/${f}`);
/**
 * The deleted host files of several group members: the files that differ per node (the node's
 * name and address in them) stay one entry per node, the others collapse into worker-*.
 */
const groupFiles = (names: readonly string[]) => {
  const each = (f: string) => names.map((n, i) => `hosts/${n}/${f}#${i + 1}`);
  return [
    ...each(FILES[0]!),
    ...FILES.slice(1, 4).map((f) => `hosts/worker-*/${f}`),
    ...each(FILES[4]!),
    ...FILES.slice(5).map((f) => `hosts/worker-*/${f}`),
  ];
};
const group = (from: number, to: number, names: string[], nodes: string): ExpectedDisruption => ({
  messageId: names.length === 1 ? "leaves" : "leave",
  titleId: "group",
  stepsId: "drain",
  data: {
    group: "worker-",
    removed: `${names.length} node${names.length === 1 ? "" : "s"}`,
    from,
    to,
    nodes,
  },
  file: "topology.yaml",
  line: 21,
  column: 14,
  change: { resource: "NodeGroup/worker-", field: "count", from: String(from), to: String(to) },
  acknowledgeable: true,
  pools: [],
  nodes: names,
  addresses: names.length === 1 ? hostFiles(names[0]!) : groupFiles(names),
});

new PlanRuleTester({ describe, it }, BASE).run(rule, {
  valid: [
    { name: "nothing changes", before: {}, after: {} },
    { name: "nodes added", before: {}, after: workers(5) },
  ],
  invalid: [
    {
      name: "two nodes of a group: one change of its count, for their host files",
      before: {},
      after: workers(1),
      disruptions: [group(3, 1, ["worker-2", "worker-3"], "2 nodes (worker-2, worker-3)")],
    },
    {
      name: "one node of a group",
      before: {},
      after: workers(2),
      disruptions: [group(3, 2, ["worker-3"], "1 node (worker-3)")],
    },
    {
      name: "a listed node: at the node list",
      before: workers(3, node3),
      after: {},
      disruptions: [
        {
          messageId: "leaves",
          titleId: "listed",
          stepsId: "drain",
          data: { node: "node-3", nodes: "1 node (node-3)" },
          file: "topology.yaml",
          line: 13,
          column: 3,
          change: { resource: "Node/node-3", field: "state", from: "present", to: "absent" },
          acknowledgeable: true,
          pools: [],
          nodes: ["node-3"],
          addresses: hostFiles("node-3"),
        },
      ],
    },
    {
      name: "a whole group gone: at the topology's spec",
      before: {},
      after: {
        "topology.yaml": workers(3)["topology.yaml"].slice(
          0,
          workers(3)["topology.yaml"].indexOf("  nodeGroups:"),
        ),
      },
      disruptions: [
        {
          ...group(
            3,
            0,
            ["worker-1", "worker-2", "worker-3"],
            "3 nodes (worker-1, worker-2, worker-3)",
          ),
          line: 6,
          column: 3,
        },
      ],
    },
  ],
});
