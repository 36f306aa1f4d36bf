import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./ipip-unsupported-provider.js";

const on = (provider: string, ...spec: string[]) => ({
  "netcompile.yaml": BASE_REPO["netcompile.yaml"]!.replace("bare-metal", provider),
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});
const at = { file: "pools.yaml", line: 7, column: 13 };

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "VXLAN on Azure", files: on("azure", "vxlanMode: Always") },
    {
      name: "IP-in-IP Never on Azure",
      files: on("azure", "ipipMode: Never", "vxlanMode: CrossSubnet"),
    },
    { name: "IP-in-IP on AWS", files: on("aws", "ipipMode: Always") },
  ],
  invalid: [
    {
      name: "IP-in-IP Always on Azure",
      files: on("azure", "ipipMode: Always"),
      errors: [
        { messageId: "azure", data: { pool: "p", mode: "Always", fix: "vxlanMode Always" }, ...at },
      ],
    },
    {
      // Felix keeps routing a disabled pool's blocks through tunl0 for the workloads that hold its addresses.
      name: "a disabled IP-in-IP pool on Azure: its workloads keep sending",
      files: on("azure", "ipipMode: Always", "disabled: true"),
      errors: [
        { messageId: "azure", data: { pool: "p", mode: "Always", fix: "vxlanMode Always" }, ...at },
      ],
    },
    {
      // Not vxlanMode CrossSubnet: Azure drops its unencapsulated traffic inside a subnet too.
      name: "IP-in-IP CrossSubnet on Azure: the fix is VXLAN Always",
      files: on("azure", "ipipMode: CrossSubnet"),
      errors: [
        {
          messageId: "azure",
          data: { pool: "p", mode: "CrossSubnet", fix: "vxlanMode Always" },
          ...at,
        },
      ],
    },
    {
      name: "IP-in-IP CrossSubnet on Azure with user-defined routes: VXLAN CrossSubnet will do",
      files: {
        ...on("azure", "ipipMode: CrossSubnet"),
        "topology.yaml": BASE_REPO["topology.yaml"]!.replace(
          "spec:\n",
          "spec:\n  underlay:\n    routesWorkloadIPs: true\n",
        ),
      },
      errors: [
        {
          messageId: "azure",
          data: { pool: "p", mode: "CrossSubnet", fix: "vxlanMode CrossSubnet" },
          ...at,
        },
      ],
    },
  ],
});
