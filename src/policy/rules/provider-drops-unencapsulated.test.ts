import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./provider-drops-unencapsulated.js";

const on = (provider: string, ...spec: string[]) => ({
  "netcompile.yaml": BASE_REPO["netcompile.yaml"]!.replace("bare-metal", provider),
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});
const routed = {
  "topology.yaml": BASE_REPO["topology.yaml"]!.replace(
    "spec:\n",
    "spec:\n  underlay:\n    routesWorkloadIPs: true\n",
  ),
};
/** The pool's first spec line after cidr is line 7; its value starts at column 13 or 14. */
const at = (column: number) => ({ file: "pools.yaml", line: 7, column });

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "VXLAN Always on Azure", files: on("azure", "vxlanMode: Always") },
    { name: "IP-in-IP Always on GCP", files: on("gcp", "ipipMode: Always") },
    { name: "VXLAN Always on GCP", files: on("gcp", "vxlanMode: Always") },
    {
      name: "IP-in-IP on Azure is ipip-unsupported-provider's finding",
      files: on("azure", "ipipMode: CrossSubnet"),
    },
    {
      name: "Azure with user-defined routes (routesWorkloadIPs)",
      files: { ...on("azure", "vxlanMode: CrossSubnet"), ...routed },
    },
    {
      name: "GCP with routes and IP forwarding (routesWorkloadIPs)",
      files: { ...on("gcp", "ipipMode: Never"), ...routed },
    },
    {
      name: "CrossSubnet on AWS is aws-src-dst-check's",
      files: on("aws", "vxlanMode: CrossSubnet"),
    },
    { name: "elsewhere", files: on("bare-metal", "ipipMode: Never") },
  ],
  invalid: [
    {
      name: "VXLAN CrossSubnet on Azure",
      files: on("azure", "vxlanMode: CrossSubnet"),
      errors: [{ messageId: "azureCrossSubnet", data: { pool: "p" }, ...at(14) }],
    },
    {
      name: "no encapsulation on Azure",
      files: on("azure", "vxlanMode: Never"),
      errors: [{ messageId: "azureNever", data: { pool: "p" }, ...at(14) }],
    },
    {
      name: "IP-in-IP CrossSubnet on GCP",
      files: on("gcp", "ipipMode: CrossSubnet"),
      errors: [{ messageId: "gcpCrossSubnet", data: { pool: "p", field: "ipipMode" }, ...at(13) }],
    },
    {
      name: "VXLAN CrossSubnet on GCP",
      files: on("gcp", "vxlanMode: CrossSubnet"),
      errors: [{ messageId: "gcpCrossSubnet", data: { pool: "p", field: "vxlanMode" }, ...at(14) }],
    },
    {
      // Felix keeps routing a disabled pool's blocks for the workloads that hold its addresses.
      name: "a disabled pool on GCP: its workloads keep sending",
      files: on("gcp", "ipipMode: CrossSubnet", "disabled: true"),
      errors: [{ messageId: "gcpCrossSubnet", data: { pool: "p", field: "ipipMode" }, ...at(13) }],
    },
    {
      name: "a disabled pool on Azure without encapsulation",
      files: on("azure", "vxlanMode: Never", "disabled: true"),
      errors: [{ messageId: "azureNever", data: { pool: "p" }, ...at(14) }],
    },
    {
      name: "no encapsulation written on GCP: at spec",
      files: on("gcp", "natOutgoing: true"),
      errors: [
        { messageId: "gcpNever", data: { pool: "p" }, file: "pools.yaml", line: 5, column: 1 },
      ],
    },
    {
      name: "an IPv6 pool without encapsulation on GCP: the fix is VXLAN, IP-in-IP carries IPv4 only",
      files: {
        "netcompile.yaml": BASE_REPO["netcompile.yaml"]!.replace("bare-metal", "gcp"),
        "pools.yaml": poolYaml("p", "cidr: fd00:10:244::/56", "vxlanMode: Never"),
      },
      errors: [{ messageId: "gcpNeverIPv6", data: { pool: "p" }, ...at(14) }],
    },
  ],
});
