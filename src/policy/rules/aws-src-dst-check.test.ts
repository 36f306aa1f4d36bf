import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./aws-src-dst-check.js";

const on = (provider: string, ...spec: string[]) => ({
  "netcompile.yaml": BASE_REPO["netcompile.yaml"]!.replace("bare-metal", provider),
  "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", ...spec),
});

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "IP-in-IP Always on AWS", files: on("aws", "ipipMode: Always") },
    { name: "VXLAN Always on AWS", files: on("aws", "vxlanMode: Always") },
    { name: "CrossSubnet elsewhere", files: on("gcp", "ipipMode: CrossSubnet") },
    {
      name: "CrossSubnet on AWS, the Cluster saying the check is off on the instances",
      files: {
        ...on("aws", "ipipMode: CrossSubnet"),
        "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]!.replace("bare-metal", "aws")}  aws:\n    sourceDestCheck: disabled\n`,
      },
    },
  ],
  invalid: [
    {
      name: "a disabled CrossSubnet pool on AWS: its workloads keep sending until they move",
      files: on("aws", "ipipMode: CrossSubnet", "disabled: true"),
      errors: [
        {
          messageId: "crossSubnet",
          data: { pool: "p", field: "ipipMode" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "CrossSubnet on AWS, the Cluster saying the check is on",
      files: {
        ...on("aws", "ipipMode: CrossSubnet"),
        "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]!.replace("bare-metal", "aws")}  aws:\n    sourceDestCheck: enabled\n`,
      },
      errors: [
        {
          messageId: "crossSubnet",
          data: { pool: "p", field: "ipipMode" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "IP-in-IP CrossSubnet on AWS",
      files: on("aws", "ipipMode: CrossSubnet"),
      errors: [
        {
          messageId: "crossSubnet",
          data: { pool: "p", field: "ipipMode" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
    {
      name: "VXLAN CrossSubnet on AWS",
      files: on("aws", "vxlanMode: CrossSubnet"),
      errors: [
        {
          messageId: "crossSubnet",
          data: { pool: "p", field: "vxlanMode" },
          file: "pools.yaml",
          line: 7,
          column: 14,
        },
      ],
    },
    {
      name: "no encapsulation on AWS",
      files: on("aws", "ipipMode: Never"),
      errors: [
        {
          messageId: "unencapsulated",
          data: { pool: "p" },
          file: "pools.yaml",
          line: 7,
          column: 13,
        },
      ],
    },
  ],
});
