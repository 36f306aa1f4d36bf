/** The Policy kind: organisation rules as data, through the real pipeline. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostics/types.js";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { BASE_REPO, poolYaml } from "./tester.js";

function validate(files: Record<string, string>): readonly Diagnostic[] {
  return compile(new MemoryRepoReader({ ...BASE_REPO, ...files })).diagnostics;
}
const brief = (d: Diagnostic) =>
  `${d.file}:${d.line}:${d.column} ${d.severity}${d.waived ? " (waived)" : ""} ${d.code} ${d.resource ?? "-"}: ${d.message}`;

/** A Policy document; `spec` is written as YAML lines below `spec:`. */
function policy(name: string, ...spec: string[]): string {
  return [
    "apiVersion: netcompile.dev/v1alpha1",
    "kind: Policy",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    ...spec.map((l) => `  ${l}`),
    "",
  ].join("\n");
}

const natOutgoing = policy(
  "nat-outgoing-required",
  "message: pods must reach the internet through their node",
  "match:",
  "  kinds: [IPPool]",
  "assert:",
  "  properties:",
  "    spec:",
  "      properties:",
  "        natOutgoing: { const: true }",
);

describe("Policy documents", () => {
  it("report a matched resource that fails the assertion, at the field, with the Policy's id", () => {
    const d = validate({
      "policy.yaml": natOutgoing,
      "pools.yaml": poolYaml(
        "p",
        "cidr: 10.244.0.0/16",
        "ipipMode: CrossSubnet",
        "natOutgoing: false",
      ),
    });
    expect(d.map(brief)).toEqual([
      "pools.yaml:8:16 error nat-outgoing-required IPPool/p: pods must reach the internet through their node (spec.natOutgoing must be equal to constant)",
    ]);
    expect(d[0]!.related).toEqual([
      { file: "policy.yaml", line: 4, column: 9, endLine: 4, endColumn: 30, message: "the Policy" },
    ]);
  });

  it("see Calico's defaults: a field left out fails too, reported at spec", () => {
    const d = validate({
      "policy.yaml": natOutgoing,
      "pools.yaml": poolYaml("p", "cidr: 10.244.0.0/16", "ipipMode: CrossSubnet"),
    });
    expect(d.map(brief)).toEqual([
      "pools.yaml:5:1 error nat-outgoing-required IPPool/p: pods must reach the internet through their node (spec.natOutgoing must be equal to constant)",
    ]);
  });

  it("pass a resource that satisfies the assertion", () => {
    expect(validate({ "policy.yaml": natOutgoing })).toEqual([]);
  });

  it("match by selector over labels and by provider", () => {
    const prodOnly = policy(
      "prod-block-size",
      "message: production pools use /26 blocks",
      "severity: warning",
      "match:",
      "  kinds: [IPPool]",
      '  selector: tier == "prod"',
      "  providers: [bare-metal]",
      "assert:",
      "  properties:",
      "    spec:",
      "      properties:",
      "        blockSize: { const: 26 }",
    );
    const labelled = (name: string, tier: string, cidr: string) =>
      poolYaml(name, `cidr: ${cidr}`, "ipipMode: CrossSubnet", "blockSize: 28").replace(
        `  name: ${name}\n`,
        `  name: ${name}\n  labels:\n    tier: ${tier}\n`,
      );
    const files = {
      "policy.yaml": prodOnly,
      "pools.yaml": labelled("prod", "prod", "10.244.0.0/16"),
      "pools2.yaml": labelled("dev", "dev", "10.245.0.0/16"),
    };
    expect(validate(files).map(brief)).toEqual([
      "pools.yaml:10:14 warning prod-block-size IPPool/prod: production pools use /26 blocks (spec.blockSize must be equal to constant)",
    ]);
    const elsewhere = { ...files, "policy.yaml": prodOnly.replace("[bare-metal]", "[aws, gcp]") };
    expect(validate(elsewhere)).toEqual([]);
  });

  it("check nodes, once per node group, at the group's field", () => {
    const zoned = policy(
      "nodes-have-a-role",
      "message: every node says what it is for",
      "match:",
      "  kinds: [Node]",
      "assert:",
      "  properties:",
      "    labels:",
      "      required: [role]",
    );
    const topology = `${BASE_REPO["topology.yaml"]}  nodeGroups:
    - namePrefix: w-
      count: 3
      subnet: rack-2
      firstAddress: 10.0.2.100
      labels:
        tier: batch
`;
    expect(validate({ "policy.yaml": zoned, "topology.yaml": topology }).map(brief)).toEqual([
      "topology.yaml:12:13 error nodes-have-a-role Node/node-1: every node says what it is for (labels.role is required)",
      "topology.yaml:14:13 error nodes-have-a-role Node/node-2: every node says what it is for (labels.role is required)",
      'topology.yaml:21:7 error nodes-have-a-role Node/w-1: every node says what it is for (labels.role is required); 3 of the 3 matched nodes of group "w-" fail, Node/w-1 first',
    ]);
  });

  it("check subnets, the Cluster and the merged Topology", () => {
    const jumbo = policy(
      "jumbo-frames",
      "message: the datacentre runs jumbo frames",
      "match:",
      "  kinds: [Subnet, Cluster]",
      "assert:",
      "  anyOf:",
      "    - properties: { mtu: { minimum: 9000 } }",
      "      required: [mtu]",
      "    - properties: { kind: { const: Cluster } }",
      "      required: [kind]",
    );
    const routed = policy(
      "underlay-routes-pods",
      "message: our fabric routes pod addresses",
      "match:",
      "  kinds: [Topology]",
      "assert:",
      "  properties:",
      "    spec:",
      "      properties:",
      "        underlay:",
      "          properties:",
      "            routesWorkloadIPs: { const: true }",
    );
    expect(validate({ "policy.yaml": jumbo, "routed.yaml": routed }).map(brief)).toEqual([
      "topology.yaml:5:1 error underlay-routes-pods Topology/lab: our fabric routes pod addresses (spec.underlay.routesWorkloadIPs must be equal to constant)",
      "topology.yaml:7:13 error jumbo-frames Subnet/rack-1: the datacentre runs jumbo frames (mtu must be >= 9000)",
      "topology.yaml:9:13 error jumbo-frames Subnet/rack-2: the datacentre runs jumbo frames (mtu must be >= 9000)",
    ]);
  });

  it("take their severity from the Cluster's spec.rules, and can be waived", () => {
    const cluster = `${BASE_REPO["netcompile.yaml"]}  rules:\n    nat-outgoing-required: info\n`;
    const pool = poolYaml(
      "p",
      "cidr: 10.244.0.0/16",
      "ipipMode: CrossSubnet",
      "natOutgoing: false",
    );
    expect(
      validate({ "netcompile.yaml": cluster, "policy.yaml": natOutgoing, "pools.yaml": pool }).map(
        (d) => d.severity,
      ),
    ).toEqual(["info"]);
    const off = cluster.replace(": info", ': "off"');
    expect(
      validate({ "netcompile.yaml": off, "policy.yaml": natOutgoing, "pools.yaml": pool }),
    ).toEqual([]);
    const waived = pool.replace(
      "  name: p\n",
      '  name: p\n  annotations:\n    netcompile.dev/waive: "nat-outgoing-required: egress through the NAT gateway"\n',
    );
    expect(validate({ "policy.yaml": natOutgoing, "pools.yaml": waived }).map(brief)).toEqual([
      "pools.yaml:10:16 error (waived) nat-outgoing-required IPPool/p: pods must reach the internet through their node (spec.natOutgoing must be equal to constant)",
    ]);
  });

  it("support JSON Schema formats", () => {
    const v4 = policy(
      "ipv4-nodes",
      "message: nodes have IPv4 addresses",
      "match: { kinds: [Node] }",
      "assert: { properties: { address: { format: ipv4 } } }",
    );
    const topology = BASE_REPO["topology.yaml"]!.replace(
      "    - name: rack-2\n      cidr: 10.0.2.0/24\n",
      "    - name: rack-2\n      cidr: fd00::/64\n",
    ).replace("address: 10.0.2.10", "address: fd00::10");
    // (node-address-family-missing reports node-2 too: calico-node needs its IPv4 address.)
    const found = validate({ "policy.yaml": v4, "topology.yaml": topology });
    expect(found.filter((d) => d.code === "ipv4-nodes").map(brief)).toEqual([
      'topology.yaml:15:16 error ipv4-nodes Node/node-2: nodes have IPv4 addresses (address must match format "ipv4")',
    ]);
  });

  it("refuse a selector that does not parse, a schema ajv cannot compile, and a built-in rule's id", () => {
    const badSelector = policy(
      "bad-selector",
      "message: m",
      "match:",
      "  selector: a ==",
      "assert: {}",
    );
    const badSchema = policy("bad-schema", "message: m", "match: {}", "assert: { type: nope }");
    const taken = policy("pool-overlap", "message: m", "match: {}", "assert: {}");
    const d = validate({ "a.yaml": badSelector, "b.yaml": badSchema, "c.yaml": taken });
    expect(d.map((x) => `${x.file}:${x.line}:${x.column} ${x.code}`)).toEqual([
      "a.yaml:8:15 NC3006",
      "b.yaml:8:3 NC3007",
      "c.yaml:4:9 NC3008",
    ]);
    expect(d[0]!.message).toBe(
      'Policy "bad-selector": spec.match.selector does not parse at character 5: expected a quoted string after "==" but found the end of the selector',
    );
    expect(d[1]!.message).toContain(
      'Policy "bad-schema": spec.assert is not a usable JSON Schema: schema is invalid',
    );
  });
});

describe("the example policies in fixtures/examples/basic/policies", () => {
  const dir = join(import.meta.dirname, "..", "..", "fixtures", "examples", "basic");
  const read = (path: string) => readFileSync(join(dir, path), "utf8");
  const example = {
    "netcompile.yaml": read("netcompile.yaml"),
    "topology.yaml": read("topology.yaml"),
    "pools.yaml": read("pools.yaml"),
    "policies/nat-outgoing-required.yaml": read("policies/nat-outgoing-required.yaml"),
    "policies/nodes-in-a-zone.yaml": read("policies/nodes-in-a-zone.yaml"),
  };
  const codes = (files: Record<string, string>) =>
    compile(new MemoryRepoReader(files)).diagnostics.map((d) => `${d.severity} ${d.code}`);

  it("pass on the example", () => {
    expect(codes(example)).toEqual([
      "warning aws-src-dst-check",
      "info firewall-requirements",
      "info firewall-requirements",
    ]);
  });

  it("catch a pool without natOutgoing and a subnet without a zone", () => {
    const broken = {
      ...example,
      "pools.yaml": example["pools.yaml"].replace("  natOutgoing: true\n", ""),
      "topology.yaml": example["topology.yaml"].replace("      zone: us-east-1b\n", ""),
    };
    expect(codes(broken)).toEqual([
      "error nat-outgoing-required",
      "warning aws-src-dst-check",
      "info firewall-requirements",
      "info firewall-requirements",
      "warning nodes-in-a-zone",
    ]);
  });
});
