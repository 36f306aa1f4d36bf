import { describe, it } from "vitest";
import { clusterOn, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./ipip-cross-subnet-preferred.js";

/** node-1 and node-3 share rack-1; node-2 is alone in rack-2. */
const shared = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: rack-2
      cidr: 10.0.2.0/24
  nodes:
    - name: node-1
      address: 10.0.1.10
    - name: node-2
      address: 10.0.2.10
    - name: node-3
      address: 10.0.1.11
`;

const pool = (...spec: string[]) => ({
  "topology.yaml": shared,
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    {
      name: "Always when no two nodes share a subnet",
      files: { "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: Always") },
    },
    { name: "CrossSubnet", files: pool("ipipMode: CrossSubnet") },
    {
      // ipip-unsupported-provider errors there: advice to keep IP-in-IP would contradict it.
      name: "Always on Azure, which drops IP-in-IP",
      files: { ...pool("ipipMode: Always"), ...clusterOn("azure") },
    },
    {
      // GCE drops the direct traffic CrossSubnet keeps inside a subnet (provider-drops-unencapsulated).
      name: "Always on GCP, Calico's advice there",
      files: { ...pool("ipipMode: Always"), ...clusterOn("gcp") },
    },
    { name: "VXLAN Always is not this rule's business", files: pool("vxlanMode: Always") },
    {
      name: "Always for a pool that selects one node per subnet",
      files: pool("ipipMode: Always", `nodeSelector: kubernetes.io/hostname != "node-3"`),
    },
  ],
  invalid: [
    {
      name: "Always with two nodes in one subnet",
      files: pool("ipipMode: Always"),
      errors: [
        {
          messageId: "preferCrossSubnet",
          data: { pool: "p", nodeA: "node-1", nodeB: "node-3", subnet: "rack-1" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "Always on GCP whose underlay routes workload addresses (routes, canIpForward)",
      files: {
        ...pool("ipipMode: Always"),
        ...clusterOn("gcp"),
        "topology.yaml": shared.replace(
          "spec:\n",
          "spec:\n  underlay: { routesWorkloadIPs: true }\n",
        ),
      },
      errors: [
        {
          messageId: "preferCrossSubnet",
          data: { pool: "p", nodeA: "node-1", nodeB: "node-3", subnet: "rack-1" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
  ],
});
