/**
 * Injection: strings a repository controls reach templates (names, labels, annotations,
 * selectors, interfaces). Whatever they hold, they never change the structure of a rendered
 * YAML, INI or JSON file: every output is parsed back and its values compared. What cannot be
 * rendered safely is refused as a user diagnostic with file:line:col, never an NC9001 crash.
 */
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { compile } from "../src/pipeline.js";
import { FsRepoReader } from "../src/load/reader.js";
import { cli, hostRepo, minimalRepo, readTree, removeDir, testdir } from "./support.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
function repo(files: Record<string, string>): string {
  const dir = testdir({ ...minimalRepo, ...files });
  dirs.push(dir);
  return dir;
}

/** Strings that would change a document's structure if pasted into it unquoted. */
const HOSTILE = [
  "a\nb: c",
  "x\n---\napiVersion: v1\nkind: Secret",
  "key: value",
  "\"double\" and 'single'",
  "# not a comment",
  "value # trailing",
  "{{ constructor }}",
  "{{#each this}}{{@key}}{{/each}}",
  "{{{raw}}}",
  "back\\slash\\n\\u0000",
  "ünïcødé ☃ 𝄞 \u2028\u2029\u0085 \uFEFF",
  "null",
  "true",
  "0x1F",
  "~",
  "",
  "  padded  ",
  "&anchor *alias",
  "!!binary aGk=",
  "%YAML 1.1",
  "[a, b]",
  "{a: b}",
  "|\n  block",
  "> folded",
  "- item",
  "@at `tick`",
  "\t\ttabs\r\ncrlf",
  "[Section]\nKey=Value",
];

const y = (s: string) => JSON.stringify(s);

function yamlDocs(content: string): unknown[] {
  const docs = parseAllDocuments(content, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) expect(d.errors).toEqual([]);
  return list.map((d) => d.toJS({ maxAliasCount: 0 }) as unknown).filter((v) => v != null);
}

/** An INI file as [section, key, value] triples; fails on any line that is neither. */
function iniEntries(content: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  let section = "";
  for (const line of content.split("\n")) {
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)=(.*)$/.exec(line);
    expect(kv, `INI line ${JSON.stringify(line)}`).not.toBeNull();
    out.push([section, kv![1]!, kv![2]!]);
  }
  return out;
}

/** The structure of every rendered file: YAML key paths, INI section/key lists. */
function shape(files: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith(".json")) out[path] = Object.keys(JSON.parse(content) as object).sort();
    else if (/\.ya?ml$/.test(path)) out[path] = yamlDocs(content).map((d) => keyPaths(d));
    else out[path] = iniEntries(content).map(([s, k]) => `${s}.${k}`);
  }
  return out;
}

function keyPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [prefix];
  return Object.entries(value).flatMap(([k, v]) =>
    keyPaths(v, prefix ? `${prefix}.${/^\d+$/.test(k) ? "#" : k}` : k),
  );
}

function poolsYaml(labels: Record<string, string>, annotations: Record<string, string>): string {
  const map = (m: Record<string, string>) =>
    Object.keys(m).length === 0
      ? "    {}"
      : Object.entries(m)
          .map(([k, v]) => `    ${y(k)}: ${y(v)}`)
          .join("\n");
  return `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
  labels:
${map(labels)}
  annotations:
${map(annotations)}
spec:
  cidr: 192.168.0.0/16
  ipipMode: CrossSubnet
  natOutgoing: true
  nodeSelector: ${y('has(zone) || zone == "a: b # c --- {{x}} \\\\ ü"')}
`;
}

async function buildTree(dir: string): Promise<Record<string, string>> {
  const r = await cli(["build", "--repo", dir], dir);
  expect(r.stderr).not.toContain("NC9001");
  expect(r.code, r.stderr).toBe(0);
  return readTree(`${dir}/rendered`);
}

describe("hostile strings keep the rendered structure", () => {
  // Calico takes any annotation value, but only plain words as label values and qualified names
  // as keys (pool-metadata-invalid): the hostile strings go where Calico takes them.
  const labels = Object.fromEntries(
    HOSTILE.filter((s) => /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/.test(s)).map((s, i) => [
      `label-${i}`,
      s,
    ]),
  );
  const annotations = Object.fromEntries(HOSTILE.map((s, i) => [`example.com/note-${i}`, s]));

  it("hostile label keys and values, and annotation keys, are refused where they are written", async () => {
    const dir = repo({
      "pools.yaml": poolsYaml(
        { "a\nb: c": "v", ok: "x\n---\napiVersion: v1\nkind: Secret" },
        { "# not a comment": "v" },
      ),
    });
    const r = await cli(["build", "--repo", dir], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("NC9001");
    expect(r.stderr.match(/^pools\.yaml:\d+:\d+: error pool-metadata-invalid: /gm)).toHaveLength(3);
    expect(readTree(dir)["rendered/netcompile.lock.json"]).toBeUndefined();
  });

  it("pool labels, annotations and selector come back equal, in every output", async () => {
    const plain = await buildTree(repo({ "pools.yaml": poolsYaml({}, {}) }));
    const dir = repo({ "pools.yaml": poolsYaml(labels, annotations) });
    const tree = await buildTree(dir);

    const pool = yamlDocs(tree["manifests/ippools.yaml"]!)[0] as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
      spec: { nodeSelector: string };
    };
    expect(Object.keys(labels).length).toBeGreaterThan(2);
    for (const [k, v] of Object.entries(labels)) expect(pool.metadata.labels[k]).toBe(v);
    for (const [k, v] of Object.entries(annotations)) expect(pool.metadata.annotations[k]).toBe(v);
    expect(pool.spec.nodeSelector).toBe('has(zone) || zone == "a: b # c --- {{x}} \\\\ ü"');
    // One document, still exactly one IPPool; every other file has the plain build's shape.
    expect(yamlDocs(tree["manifests/ippools.yaml"]!)).toHaveLength(1);
    const a = shape(tree);
    const b = shape(plain);
    delete a["manifests/ippools.yaml"];
    delete b["manifests/ippools.yaml"];
    expect(a).toEqual(b);
    JSON.parse(tree["netcompile.lock.json"]!);

    // The Argo CD stream: the same objects, no extra document smuggled in.
    const r = await cli(["render", "--repo", dir], dir);
    expect(r.code).toBe(0);
    const kinds = yamlDocs(r.stdout).map((d) => (d as { kind: string }).kind);
    expect(kinds.filter((k) => k === "Secret")).toEqual([]);
    expect(kinds.filter((k) => k === "IPPool")).toHaveLength(1);
  });

  it("hostile metadata names, subnet names, zones and node labels reach no file's structure", async () => {
    const cluster = `apiVersion: netcompile.dev/v1alpha1
kind: Cluster
metadata:
  name: ${y("x\n---\nkind: Secret {{y}}")}
  labels: { ${y("a: b")}: ${y("#\n---")} }
spec:
  provider: bare-metal
`;
    const topology = `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: ${y("lab\n[Match]\nName=*")}
spec:
  subnets:
    - name: ${y("rack\n---\nx: y")}
      cidr: 10.0.1.0/24
      gateway: 10.0.1.1
      zone: ${y("{{zone}}\n# z")}
  nodes:
    - name: node-1
      address: 10.0.1.10
      interface: ${y('#{{x}}"é=[a];')}
      labels: { zone: ${y("a: b # c --- {{x}} \\\\ ü")}, ${y("k\nl")}: ${y("v\n---")} }
    - name: node-2
      address: 10.0.1.11
`;
    const dir = repo({ "netcompile.yaml": cluster, "topology.yaml": topology });
    const tree = await buildTree(dir);
    const pool = yamlDocs(tree["manifests/ippools.yaml"]!) as { metadata: { name: string } }[];
    expect(pool.map((p) => p.metadata.name)).toEqual(["pool-1"]);

    // A hostile pool name is Calico's to refuse (pool-name-invalid), and no setting lowers that.
    const named = repo({
      "netcompile.yaml": `${minimalRepo["netcompile.yaml"]}  rules:\n    pool-name-invalid: "off"\n`,
      "pools.yaml": minimalRepo["pools.yaml"]!.replace(
        "name: pool-1",
        `name: ${y("pool\n---\nkind: Secret")}`,
      ),
    });
    const refused = await cli(["build", "--repo", named], named);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^pools\.yaml:4:9: error pool-name-invalid: /m);
    expect(refused.stderr).toMatch(/error NC3046: /);
    expect(refused.stderr).not.toContain("NC9001");

    // The interface name is one INI value and one YAML key, unchanged.
    const matched = Object.entries(tree)
      .filter(([p]) => p.startsWith("hosts/node-1/networkd/"))
      .flatMap(([, c]) => iniEntries(c))
      .filter(([s, k]) => s === "Match" && k === "Name")
      .map((e) => e[2]);
    expect(matched).toContain('#{{x}}"é=[a];');
    const netplan = yamlDocs(tree["hosts/node-1/netplan/60-netcompile.yaml"]!)[0] as {
      network: { ethernets: Record<string, unknown> };
    };
    expect(Object.keys(netplan.network.ethernets)).toEqual(['#{{x}}"é=[a];']);

    // Same section/key structure as the plain repository's node files.
    const plain = await buildTree(repo({ "topology.yaml": hostRepo["topology.yaml"]! }));
    const iface = '#{{x}}"é=[a];';
    const hostShape = (t: Record<string, string>, node: string) =>
      Object.fromEntries(
        Object.entries(shape(t))
          .filter(([p]) => p.startsWith(`hosts/${node}/`))
          .map(([p, s]) => [
            p.replace(/^hosts\/[^/]+\//, "").replace(iface, "eth0"),
            JSON.parse(JSON.stringify(s).split(iface.replace(/"/g, '\\"')).join("eth0")) as unknown,
          ]),
      );
    // (The interface names its networkd file: the name is one path segment, as the schema asks.)
    expect(hostShape(tree, "node-1")).toEqual(hostShape(plain, "node-1"));
  });

  it("JSON output carries hostile strings as values", async () => {
    const dir = repo({
      "pools.yaml": poolsYaml({ a: "\n---\n" }, {}).replace(
        "ipipMode: CrossSubnet",
        'ipipMode: "Sometimes\\n\\"},{\\"x\\": 1"',
      ),
    });
    const r = await cli(["validate", "--repo", dir, "--format", "json"], dir);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: { code: string; message: string }[] };
    const bad = out.diagnostics.find((d) => d.code === "NC2004");
    expect(bad?.message).toContain('Sometimes\n"},{"x": 1');
  });
});

describe("strings that cannot be rendered are user diagnostics, not crashes", () => {
  const topo = (field: string) => `apiVersion: netcompile.dev/v1alpha1
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
${field}
`;
  const offRules = minimalRepo["netcompile.yaml"]!.concat(
    '  rules:\n    node-name-invalid: "off"\n',
  );

  it.each([
    ["an interface with a newline", `      interface: "eth\\n0"`],
    ["an interface with a leading space", `      interface: " eth0"`],
    ["an interface with a slash", `      interface: "a/b"`],
    ["an interface named ..", `      interface: ".."`],
    ["an interface with a NUL", `      interface: "eth\\u00000"`],
  ])("%s: NC2005 at the field, exit 1, nothing written", async (_, field) => {
    const dir = repo({ "topology.yaml": topo(field) });
    const r = await cli(["build", "--repo", dir], dir);
    expect(r.stderr).not.toContain("NC9001");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^topology\.yaml:12:18: error NC2005: /m);
    expect(readTree(`${dir}/rendered`)).toEqual({});
  });

  it.each(["a\nb", "x\r", "../x", "/abs", "a/b", "a\\b", ".", "..", "x".repeat(300)])(
    "node name %j with node-name-invalid off: a schema diagnostic at the name",
    async (name) => {
      const dir = repo({
        "netcompile.yaml": offRules,
        "topology.yaml": topo("").replace("name: node-1", `name: ${y(name)}`),
      });
      for (const command of ["build", "render", "validate"]) {
        const r = await cli([command, "--repo", dir], dir);
        expect(r.stderr).not.toContain("NC9001");
        expect(r.code).toBe(1);
        expect(r.stderr + r.stdout).toMatch(/^topology\.yaml:10:\d+: error NC2005: /m);
      }
      expect(readTree(`${dir}/rendered`)).toEqual({});
    },
  );

  it("a node group prefix with a path separator is refused", async () => {
    const dir = repo({
      "topology.yaml": topo(
        "  nodeGroups:\n    - namePrefix: ../evil-\n      count: 2\n      subnet: rack-1\n      firstAddress: 10.0.1.20",
      ),
    });
    const r = await cli(["build", "--repo", dir], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^topology\.yaml:13:\d+: error NC2005: /m);
  });
});

describe("prototype pollution", () => {
  const before = Object.getOwnPropertyNames(Object.prototype).sort();
  afterEach(() => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });

  it("constructor and prototype label keys round-trip as plain keys; __proto__ is refused as Calico refuses it", async () => {
    const labels = { constructor: "c", prototype: "x", hasOwnProperty: "h", toString: "t" };
    const dir = repo({
      "pools.yaml": poolsYaml(
        { constructor: "c", prototype: "x", hasOwnProperty: "h", toString: "t" },
        { constructor: "{{polluted}}" },
      ),
    });
    const tree = await buildTree(dir);
    const pool = yamlDocs(tree["manifests/ippools.yaml"]!)[0] as {
      metadata: { labels: Record<string, string>; annotations: Record<string, string> };
    };
    for (const key of Object.keys(labels)) {
      expect(Object.prototype.hasOwnProperty.call(pool.metadata.labels, key)).toBe(true);
    }
    expect(pool.metadata.labels.constructor).toBe("c");
    expect(Object.getOwnPropertyDescriptor(pool.metadata.annotations, "constructor")?.value).toBe(
      "{{polluted}}",
    );

    // "__proto__" is no qualified name (it starts with "_"): a finding, no pollution, no crash.
    const proto = repo({
      "pools.yaml": poolsYaml({ ["__proto__"]: "p" }, { ["__proto__"]: "{{polluted}}" }),
    });
    const r = await cli(["build", "--repo", proto], proto);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("NC9001");
    expect(r.stderr.match(/error pool-metadata-invalid: .*"__proto__"/g)).toHaveLength(2);
  });

  it("mappings under __proto__, constructor.prototype and merge keys are schema errors", async () => {
    const dir = repo({
      "pools.yaml": `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-1
  __proto__: { polluted: yes }
  labels:
    __proto__: { polluted: yes }
    constructor: { prototype: { polluted: yes } }
spec:
  <<: { __proto__: { polluted: yes } }
  cidr: 192.168.0.0/16
  constructor: { prototype: { polluted: yes } }
`,
      "more.yaml": `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: extra
  labels: { __proto__: { polluted: yes } }
spec:
  __proto__: { polluted: yes }
  nodes:
    - { name: node-3, address: 10.0.1.30, labels: { __proto__: { polluted: "yes" } } }
`,
    });
    for (const command of ["validate", "build", "render", "plan"]) {
      const r = await cli([command, "--repo", dir], dir);
      expect(r.stderr).not.toContain("NC9001");
      expect(r.code).toBe(1);
    }
    const result = compile(new FsRepoReader(dir));
    expect(result.diagnostics.filter((d) => d.severity === "error").length).toBeGreaterThan(0);
    for (const d of result.diagnostics) expect(d.line).toBeGreaterThan(0);
  });
});
