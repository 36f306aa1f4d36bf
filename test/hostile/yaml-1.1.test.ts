/**
 * Values YAML 1.1 and YAML 1.2 read differently (issue 18, item 20). netcompile reads YAML 1.2
 * (the core schema); Kubernetes tools read YAML 1.1 (go-yaml), so `blockSize: 030` is 30 to
 * netcompile and 24 to kubectl, `yes` a string to one and true to the other. Each such plain
 * scalar, in any document netcompile reads, is a warning (NC1040) naming the field, both
 * readings and the unambiguous form.
 */
import { spawnSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { cli } from "../support.js";
import { repositories } from "./support.js";

const repos = repositories();
afterEach(() => repos.cleanup());

async function warnings(files: Record<string, string>) {
  const dir = repos.make(files);
  const r = await cli(["validate", "--repo", dir, "--format", "json"], dir);
  const ds = (
    JSON.parse(r.stdout) as {
      diagnostics: { code: string; message: string; line: number; column: number }[];
    }
  ).diagnostics;
  return ds.filter((d) => d.code === "NC1040");
}

const pool = (lines: string) => `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
  labels:
    team: x
spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
${lines}`;

describe("NC1040: YAML 1.1 and 1.2 read the value differently", () => {
  it("blockSize: 030 names the field, 30 and 24, and the fix", async () => {
    const found = await warnings({ "pools.yaml": pool("  blockSize: 030\n") });
    expect(found).toEqual([
      expect.objectContaining({
        line: 10,
        column: 14,
        message:
          'spec.blockSize is written 030: netcompile (YAML 1.2) reads the number 30, YAML 1.1 readers (kubectl and other go-yaml tools) read the number 24; write 30 for the number netcompile reads, or quote it ("030") for the string',
      }),
    ]);
  });

  it.each([
    ["natOutgoing: yes", "spec.natOutgoing", 'the string "yes"', "the boolean true"],
    ["natOutgoing: off", "spec.natOutgoing", 'the string "off"', "the boolean false"],
    ["natOutgoing: Y", "spec.natOutgoing", 'the string "Y"', "the boolean true"],
    ["blockSize: 0o30", "spec.blockSize", "the number 24", 'the string "0o30"'],
    ["blockSize: 0b11010", "spec.blockSize", 'the string "0b11010"', "the number 26"],
    ["blockSize: 2_6", "spec.blockSize", 'the string "2_6"', "the number 26"],
    ["blockSize: 1:20", "spec.blockSize", 'the string "1:20"', "the number 80"],
    ["blockSize: -0x1A", "spec.blockSize", 'the string "-0x1A"', "the number -26"],
    [
      "nodeSelector: 2024-01-01",
      "spec.nodeSelector",
      'the string "2024-01-01"',
      "a timestamp (2024-01-01T00:00:00.000Z)",
    ],
  ])("%s: %s is %s to netcompile, %s to YAML 1.1", async (line, field, reading, reading11) => {
    const found = await warnings({ "pools.yaml": pool(`  ${line}\n`) });
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain(
      `${field} is written ${line.split(": ")[1]}: netcompile (YAML 1.2) reads ${reading}, YAML 1.1 readers (kubectl and other go-yaml tools) read ${reading11}; `,
    );
  });

  it("a key counts too: a label key `on` is true to YAML 1.1", async () => {
    const found = await warnings({ "pools.yaml": pool("").replace("team: x", "on: x") });
    expect(found.map((d) => d.message)).toEqual([
      'the key "on" of metadata.labels is written on: netcompile (YAML 1.2) reads the string "on", YAML 1.1 readers (kubectl and other go-yaml tools) read the boolean true; quote it ("on") so every reader reads the string',
    ]);
  });

  it("nothing is said where both read the same: 26, 0x1A, true, null, ~, 1e3, addresses, quoted 030", async () => {
    const found = await warnings({
      "pools.yaml": pool(
        '  blockSize: 26\n  natOutgoing: true\n  disabled: false\n  nodeSelector: "030"\n',
      ),
      "policy.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Policy
metadata:
  name: sizes
spec:
  message: m
  match: {kinds: [IPPool]}
  assert:
    properties:
      a: {const: 0x1A}
      b: {const: ~}
      c: {const: null}
      d: {const: 1e3}
      e: {const: 10.0.1.10}
      f: {const: .5}
      g: {const: -26}
      h: {enum: [1.5, +3]}
`,
    });
    expect(found).toEqual([]);
  });

  it("the same readings as libyaml, a YAML 1.1 reader (PyYAML's CSafeLoader), where it is installed", async (ctx) => {
    const probe = spawnSync("python3", ["-c", "import yaml; yaml.CSafeLoader"]);
    if (probe.status !== 0) ctx.skip();
    const values = ["030", "yes", "off", "1:20", "0b101", "1_000", "-0x1F", "on"];
    const r = spawnSync(
      "python3",
      [
        "-c",
        "import json,sys,yaml; print(json.dumps([yaml.load('v: ' + v, Loader=yaml.CSafeLoader)['v'] for v in json.load(sys.stdin)]))",
      ],
      { input: JSON.stringify(values), encoding: "utf8" },
    );
    const libyaml = JSON.parse(r.stdout) as unknown[];
    // Our message's YAML 1.1 reading of each value, from the warning text.
    for (const [i, v] of values.entries()) {
      const found = await warnings({ "pools.yaml": pool(`  nodeSelector: ${v}\n`) });
      const reading11 = /YAML 1\.1 readers \(kubectl and other go-yaml tools\) read (.*?);/.exec(
        found[0]!.message,
      )![1]!;
      expect(reading11, v).toBe(
        typeof libyaml[i] === "boolean"
          ? `the boolean ${String(libyaml[i])}`
          : `the number ${String(libyaml[i])}`,
      );
    }
  });
});
