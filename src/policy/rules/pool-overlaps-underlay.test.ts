import { describe, it } from "vitest";
import { poolYaml, RuleTester } from "../tester.js";
import { rule } from "./pool-overlaps-underlay.js";

/** The base topology: rack-1 10.0.1.0/24 and rack-2 10.0.2.0/24. */
const pool = (cidr: string) => ({ "pools.yaml": poolYaml("p", `cidr: ${cidr}`) });
const at = { file: "pools.yaml", line: 6, column: 9 };
const subnet = (cidr: string, name: string, subnetCidr: string) => ({
  messageId: "subnet",
  data: { pool: "p", cidr, subnet: name, subnetCidr },
  ...at,
});
const looseNode = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: edge
      address: 172.16.0.5
`;

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "a separate range", files: pool("192.168.0.0/16") },
    { name: "touching rack-1 from below", files: pool("10.0.0.0/24") },
    { name: "touching rack-2 from above", files: pool("10.0.3.0/24") },
    {
      name: "a node outside every subnet, outside the pool",
      files: { "topology.yaml": looseNode },
    },
  ],
  invalid: [
    {
      name: "a pool over both racks",
      files: pool("10.0.0.0/16"),
      errors: [
        subnet("10.0.0.0/16", "rack-1", "10.0.1.0/24"),
        subnet("10.0.0.0/16", "rack-2", "10.0.2.0/24"),
      ],
    },
    {
      name: "a pool inside a rack",
      files: pool("10.0.1.128/25"),
      errors: [subnet("10.0.1.128/25", "rack-1", "10.0.1.0/24")],
    },
    {
      name: "a node outside every subnet, inside the pool",
      files: { "topology.yaml": looseNode, ...pool("172.16.0.0/16") },
      errors: [
        {
          messageId: "node",
          data: { pool: "p", cidr: "172.16.0.0/16", address: "172.16.0.5", node: "edge" },
          ...at,
        },
      ],
    },
  ],
});
