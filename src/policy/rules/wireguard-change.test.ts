import { describe, it } from "vitest";
import { clusterYaml, PLAN_BASE_REPO, PlanRuleTester } from "../../plan/rule-tester.js";
import { rule } from "./wireguard-change.js";

/** networking.wireguard with these lines ("ipv4: true"), at line 9 and below. */
const wireguard = (...lines: string[]) => ({
  "netcompile.yaml": clusterYaml("networking:", "  wireguard:", ...lines.map((l) => `    ${l}`)),
});
const nodes = ["node-1", "node-2", "worker-1", "worker-2", "worker-3"];
const nodesText = "5 nodes (2 listed, worker-*: 3)";
const turnsOn = (family: 4 | 6, line: number) => ({
  messageId: "turnsOn",
  titleId: "change",
  stepsId: "rollOut",
  data: {
    family,
    from: "off",
    to: "on",
    nodes: nodesText,
    device: family === 6 ? "wg-v6.cali" : "wireguard.cali",
    overhead: family === 6 ? 80 : 60,
  },
  file: "netcompile.yaml",
  line,
  column: 13,
  change: {
    resource: "Cluster/lab",
    field: `networking.wireguard.ipv${family}`,
    from: "false",
    to: "true",
  },
  acknowledgeable: true,
  pools: [],
  nodes,
  addresses: ["projectcalico.org/v3/FelixConfiguration/default"],
});

new PlanRuleTester({ describe, it }, PLAN_BASE_REPO).run(rule, {
  valid: [
    { name: "on on both sides", before: wireguard("ipv4: true"), after: wireguard("ipv4: true") },
    { name: "off written out is off left out", before: {}, after: wireguard("ipv4: false") },
    {
      name: "another setting changes beside it",
      before: wireguard("ipv4: true"),
      after: {
        "netcompile.yaml": clusterYaml(
          "networking:",
          "  vxlanPort: 8472",
          "  wireguard:",
          "    ipv4: true",
        ),
      },
    },
  ],
  invalid: [
    {
      name: "turned on for IPv4",
      before: {},
      after: wireguard("ipv4: true"),
      disruptions: [turnsOn(4, 9)],
    },
    {
      name: "turned on for both families: one finding each",
      before: {},
      after: wireguard("ipv4: true", "ipv6: true"),
      disruptions: [turnsOn(4, 9), turnsOn(6, 10)],
    },
    {
      name: "turned on, planned against the rendered tree (no WireGuard fields there: off)",
      before: {},
      after: wireguard("ipv4: true"),
      rendered: {},
      disruptions: [turnsOn(4, 9)],
    },
    {
      name: "turned off: traffic goes unencrypted",
      before: wireguard("ipv4: true"),
      after: wireguard("ipv4: false"),
      disruptions: [
        {
          ...turnsOn(4, 9),
          messageId: "turnsOff",
          data: { family: 4, from: "on", to: "off", nodes: nodesText, device: "wireguard.cali" },
          change: {
            resource: "Cluster/lab",
            field: "networking.wireguard.ipv4",
            from: "true",
            to: "false",
          },
        },
      ],
    },
  ],
});
