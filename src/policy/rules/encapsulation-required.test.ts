import { describe, it } from "vitest";
import { clusterOn, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./encapsulation-required.js";

const pool = (...spec: string[]) => ({
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});
/** The base topology: node-1 in rack-1, node-2 in rack-2. */
const routed = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  underlay:
    routesWorkloadIPs: true
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
`;
const oneSubnet = `apiVersion: netcompile.dev/v1alpha1
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
    - name: node-2
      address: 10.0.1.11
`;
/** Dual-stack: both nodes in rack-1 (IPv4), in v6-a and v6-b (IPv6). */
const dualStack = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: lab
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.1.0/24
    - name: v6-a
      cidr: fd00:1::/64
    - name: v6-b
      cidr: fd00:2::/64
  nodes:
    - name: node-1
      address: 10.0.1.10
      addressV6: fd00:1::10
    - name: node-2
      address: 10.0.1.11
      addressV6: fd00:2::10
`;
const crossSubnet = "set ipipMode or vxlanMode to CrossSubnet";
const data = { pool: "p", subnetA: "rack-1", subnetB: "rack-2", fix: crossSubnet };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IP-in-IP CrossSubnet", files: pool("ipipMode: CrossSubnet") },
    { name: "IP-in-IP Always", files: pool("ipipMode: Always") },
    { name: "VXLAN CrossSubnet", files: pool("vxlanMode: CrossSubnet") },
    {
      name: "no encapsulation where the underlay routes workload addresses",
      files: { ...pool(), "topology.yaml": routed },
    },
    {
      name: "no encapsulation inside one subnet",
      files: { ...pool(), "topology.yaml": oneSubnet },
    },
    {
      name: "no encapsulation for a pool that selects nodes of one subnet",
      files: pool(`nodeSelector: kubernetes.io/hostname == "node-1"`),
    },
    { name: "a disabled pool serves no node", files: pool("disabled: true") },
  ],
  invalid: [
    {
      name: "no encapsulation written at all: the finding is at spec",
      files: pool(),
      errors: [{ messageId: "required", data, file: "pools.yaml", line: 5, column: 1 }],
    },
    {
      name: "ipipMode Never",
      files: pool("ipipMode: Never"),
      errors: [{ messageId: "required", data, file: "pools.yaml", line: 7, column: 13 }],
    },
    {
      name: "vxlanMode Never",
      files: pool("vxlanMode: Never"),
      errors: [{ messageId: "required", data, file: "pools.yaml", line: 7, column: 14 }],
    },
    {
      name: "on Azure the fix is VXLAN Always: IP-in-IP is dropped, and so is direct traffic",
      files: { ...clusterOn("azure"), ...pool("ipipMode: Never") },
      errors: [
        {
          messageId: "required",
          data: {
            ...data,
            fix: "set vxlanMode Always (Azure drops IP-in-IP, and unencapsulated traffic inside a subnet too)",
          },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "on GCP the fix is Always: GCE drops direct pod traffic inside a subnet too",
      files: { ...clusterOn("gcp"), ...pool("ipipMode: Never") },
      errors: [
        {
          messageId: "required",
          data: {
            ...data,
            fix: "set ipipMode or vxlanMode Always (GCE drops unencapsulated pod traffic inside a subnet too)",
          },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "an IPv6 pool crosses the IPv6 subnets; its fix is VXLAN (IP-in-IP carries IPv4 only)",
      files: {
        "topology.yaml": dualStack,
        "pools.yaml": poolYaml("p", "cidr: fd00:244::/48", "vxlanMode: Never"),
      },
      errors: [
        {
          messageId: "required",
          data: {
            pool: "p",
            subnetA: "v6-a",
            subnetB: "v6-b",
            fix: "set vxlanMode to CrossSubnet",
          },
          file: "pools.yaml",
          line: 7,
          column: 14,
        },
      ],
    },
    {
      name: "on AWS CrossSubnet stays the fix",
      files: { ...clusterOn("aws"), ...pool("ipipMode: Never") },
      errors: [{ messageId: "required", data, file: "pools.yaml", line: 7, column: 13 }],
    },
  ],
});
