/**
 * The YAML quoting helper against a YAML 1.1 reader (issue 18, item 16). Kubernetes reads
 * manifests with go-yaml (sigs.k8s.io/yaml), a port of libyaml; netplan reads its files with
 * libyaml itself. YAML only allows printable characters in a stream (YAML 1.2 §5.1, 1.1 §5.1):
 * DEL, C1 controls, the BOM and U+FFFE/U+FFFF are refused raw, and NEL, U+2028 and U+2029 are
 * line breaks that a double-quoted scalar folds into a space. Every value must reach them
 * escaped and read back as exactly itself; a lone surrogate cannot be written at all.
 *
 * The reader is libyaml through PyYAML's CSafeLoader (python3 -c "import yaml"), when the
 * machine has it; otherwise these tests report themselves skipped.
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { yamlScalar } from "../../src/util/quote.js";
import { cli, readTree } from "../support.js";
import { afterEach } from "vitest";
import { repositories, yamlEscaped } from "./support.js";

const repos = repositories();
afterEach(() => repos.cleanup());

const READER = `
import json, sys, yaml
out = []
for doc in json.load(sys.stdin):
    try:
        out.append({"value": yaml.load(doc, Loader=yaml.CSafeLoader)})
    except yaml.YAMLError as e:
        out.append({"error": str(e).splitlines()[0]})
json.dump(out, sys.stdout)
`;

const libyaml = (() => {
  const r = spawnSync("python3", ["-c", "import yaml; yaml.CSafeLoader"], { encoding: "utf8" });
  return r.status === 0 ? undefined : "python3 with PyYAML's libyaml loader is not installed";
})();

/** Each document as libyaml reads it: the value, or its error. */
function readWithLibyaml(documents: readonly string[]): { value?: unknown; error?: string }[] {
  const r = spawnSync("python3", ["-c", READER], {
    input: JSON.stringify(documents),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { value?: unknown; error?: string }[];
}

/** The characters YAML readers refuse raw or read as line breaks, each in a string. */
const UNPRINTABLE = [
  "del\x7f",
  "c1\x80\x9b\x9f",
  "nel\x85line",
  "ls\u2028ps\u2029",
  "\ufeffbom",
  "non\ufffe\uffffchar",
  "nbsp\u00a0ok",
  "mixed \x1b[31m\x85\u2028 🎉",
];

describe.skipIf(libyaml !== undefined)(
  `yamlScalar read by libyaml (YAML 1.1)${libyaml ? ` — skipped: ${libyaml}` : ""}`,
  () => {
    it("DEL, C1, NEL, LS, PS, BOM and non-characters are escaped and read back exactly", () => {
      const docs = UNPRINTABLE.flatMap((s) => [
        `k: ${yamlScalar(s)}\n`,
        `- {k: ${yamlScalar(s)}}\n`,
      ]);
      const read = readWithLibyaml(docs);
      expect(read).toEqual(
        UNPRINTABLE.flatMap((s) => [{ value: { k: s } }, { value: [{ k: s }] }]),
      );
    });

    it("any well-formed string reads back as itself (random, full Unicode)", () => {
      const strings = fc.sample(
        fc
          .string({ unit: "binary", maxLength: 30 })
          .filter((s) => !/[\ud800-\udfff]/.test(s) || isWellFormed(s)),
        1000,
      );
      const read = readWithLibyaml(strings.map((s) => `k: ${yamlScalar(s)}\n`));
      read.forEach((r, i) =>
        expect(r, JSON.stringify(strings[i])).toEqual({ value: { k: strings[i] } }),
      );
    });

    // An annotation value: the one metadata field Calico takes any string in (label values and
    // keys with these characters are pool-metadata-invalid, never rendered).
    it("a rendered manifest with such an annotation reads back the same in libyaml", async () => {
      const value = UNPRINTABLE.join(" ");
      const dir = repos.make({
        "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
  annotations:
    note: ${yamlEscaped(value)}
spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
  natOutgoing: true
`,
      });
      const built = await cli(["build", "--repo", dir], dir);
      expect(built.code, built.stderr).toBe(0);
      const manifest = readTree(`${dir}/rendered`)["manifests/ippools.yaml"]!;
      const [read] = readWithLibyaml([manifest]);
      expect(read).toMatchObject({
        value: { metadata: { annotations: { note: value } } },
      });
    });
  },
);

describe("lone surrogates", () => {
  it("cannot be written: yamlScalar refuses them rather than write what no reader takes", () => {
    for (const s of ["\ud800", "a\udc00b", "\udfff\ud800"])
      expect(() => yamlScalar(s)).toThrow(TypeError);
    expect(yamlScalar("🎉")).toBe('"🎉"');
  });
});

function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
