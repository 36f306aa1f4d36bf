import { describe, it } from "vitest";
import { BASE_REPO, poolYaml, RuleTester } from "../tester.js";
import { rule } from "./vxlan-only-bgp-unneeded.js";

const bird = `${BASE_REPO["netcompile.yaml"]}  networking:\n    backend: bird\n`;
const vxlan = poolYaml("p", "cidr: 10.244.0.0/16", "vxlanMode: Always");

new RuleTester({ describe, it }).run(rule, {
  valid: [
    { name: "no backend written (derived: vxlan)", files: { "pools.yaml": vxlan } },
    { name: "bird with an IP-in-IP pool", files: { "netcompile.yaml": bird } },
    {
      name: "bird with a LoadBalancer pool to announce",
      files: {
        "netcompile.yaml": bird,
        "pools.yaml": vxlan,
        "lb.yaml": poolYaml("lb", "cidr: 10.250.0.0/24", "allowedUses: [LoadBalancer]"),
      },
    },
    {
      name: "bird with no pool at all",
      files: { "netcompile.yaml": bird, "pools.yaml": null },
    },
    {
      name: "bird while a disabled IP-in-IP pool remains: BIRD still routes its workloads",
      files: {
        "netcompile.yaml": bird,
        "pools.yaml": vxlan,
        "old.yaml": poolYaml("old", "cidr: 10.250.0.0/16", "ipipMode: Always", "disabled: true"),
      },
    },
  ],
  invalid: [
    {
      name: "bird with only VXLAN pools",
      files: { "netcompile.yaml": bird, "pools.yaml": vxlan },
      errors: [{ messageId: "unneeded", file: "netcompile.yaml", line: 8, column: 14 }],
    },
    {
      name: "bird with only a disabled VXLAN pool",
      files: {
        "netcompile.yaml": bird,
        "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "vxlanMode: Always", "disabled: true"),
      },
      errors: [{ messageId: "unneeded", file: "netcompile.yaml", line: 8, column: 14 }],
    },
  ],
});
