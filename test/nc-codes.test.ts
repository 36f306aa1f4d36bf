/**
 * Every NC code in the catalog is triggered by a test: a minimal repository and command per
 * code, asserting the code appears in what the user sees. Three codes are triggered by direct
 * calls: NC1010 (the system failing a read mid-way: unreadableInput on the error), NC5001 (a
 * rendered file that fails its own check, a netcompile bug: checkRenderedFiles on a broken
 * file) and NC9001 (an exception inside a command: run() with an output stream that throws).
 * NC1007 (no netcompile.yaml) comes from the pipeline on a reader without one; the CLI and the
 * Action refuse such a folder before (exit 3).
 */
import { chmodSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { catalog, type DiagnosticCode } from "../src/diagnostics/catalog.js";
import { run } from "../src/cli/main.js";
import { unreadableInput } from "../src/load/load.js";
import { MemoryRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";
import { checkRenderedFiles } from "../src/render/check.js";
import { problemOf } from "../src/util/safe-fs.js";
import { git } from "./plan-support.js";
import { cli, minimalRepo, removeDir, testdir } from "./support.js";
import {
  denialSupport,
  mkfifo,
  openRepo,
  overlongPath,
  removeDeep,
  runCli,
} from "./hostile/support.js";

const dirs: string[] = [];
// removeDeep: NC1021's case is deeper than PATH_MAX, which rmSync cannot remove.
afterAll(() => dirs.forEach(removeDeep));

interface Case {
  /** The repository (minimalRepo plus these; a null value removes a file). */
  readonly files?: Record<string, string | null>;
  /** Committed as git tag "base" before `files` are applied (plan cases). */
  readonly base?: Record<string, string | null>;
  readonly args: readonly string[];
  /** Extra setup in the repository directory. */
  readonly setup?: (dir: string) => void;
}

const CLUSTER = minimalRepo["netcompile.yaml"]!;
const TOPOLOGY = minimalRepo["topology.yaml"]!;
const POOLS = minimalRepo["pools.yaml"]!;
const policy = (name: string, spec: string) =>
  `apiVersion: netcompile.dev/v1alpha1\nkind: Policy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const waive = (text: string) =>
  POOLS.replace(
    "  name: pool-1\n",
    `  name: pool-1\n  annotations:\n    netcompile.dev/waive: ${JSON.stringify(text)}\n`,
  );
const ack = (entry: string) => `${CLUSTER}  acknowledgements:\n    - ${entry}\n`;
/** Static host networking, both subnets with a gateway: only the change a case makes fails. */
const STATIC = `${CLUSTER}  hostNetwork: { mode: static }\n`;
const GATEWAYS = TOPOLOGY.replace(
  "cidr: 10.0.1.0/24",
  "cidr: 10.0.1.0/24\n      gateway: 10.0.1.1",
).replace("cidr: 10.0.2.0/24", "cidr: 10.0.2.0/24\n      gateway: 10.0.2.1");
const pinned = (node1: string, node2?: string) => {
  const one = GATEWAYS.replace("address: 10.0.1.10", `address: 10.0.1.10\n      podCIDR: ${node1}`);
  return node2
    ? one.replace("address: 10.0.2.10", `address: 10.0.2.10\n      podCIDR: ${node2}`)
    : one;
};
const group = (fields: string) =>
  `${GATEWAYS}  nodeGroups:\n    - {namePrefix: w-, count: 2, subnet: rack-1, firstAddress: 10.0.1.100${fields}}\n`;
const staticCase = (topology: string, pools = POOLS): Case => ({
  files: { "netcompile.yaml": STATIC, "topology.yaml": topology, "pools.yaml": pools },
  args: ["validate"],
});
const bomb = [
  "apiVersion: netcompile.dev/v1alpha1",
  "kind: Policy",
  "metadata: {name: bomb}",
  "spec:",
  "  a: &a [x, x, x, x, x, x, x, x, x, x]",
  ...Array.from({ length: 6 }, (_, i) => {
    const prev = String.fromCharCode(97 + i);
    const name = String.fromCharCode(98 + i);
    return `  ${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`;
  }),
].join("\n");

/** A snapshot folder `live/` inside the repository (verify leaves it out of the repository). */
const NODE = (name: string, annotations: string, extra = "") =>
  `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  annotations:\n${annotations}${extra}`;
const NODE1 = NODE("node-1", "    projectcalico.org/IPv4Address: 10.0.1.10/24\n");
const live = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ "live/node-1.yaml": NODE1, ...files }).map(([k, v]) => [k, v]),
  );
const VERIFY = ["verify", "--live", "live"];
const IMPORT = ["import", "--live", "live", "--out", "out"];
const CALICO_NODE = `apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: node-1\nspec:\n  bgp:\n    ipv4Address: 10.0.1.10/16\n`;
const LIVE_POOL = (extra: string) =>
  `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: old\nspec:\n  cidr: 10.9.0.0/16\n${extra}`;

const CASES: Record<DiagnosticCode, Case> = {
  NC1001: { files: { "pools.yaml": "a: [\n" }, args: ["validate"] },
  NC1002: { files: { "pools.yaml": `${POOLS}spec: {}\n` }, args: ["validate"] },
  NC1003: { files: { "pools.yaml": "metadata: {name: x}\n" }, args: ["validate"] },
  NC1004: { files: { "pools.yaml": "apiVersion: v1\nkind: ConfigMap\n" }, args: ["validate"] },
  NC1005: { files: { "netcompile.yaml": TOPOLOGY, "topology.yaml": null }, args: ["validate"] },
  NC1006: { files: { "netcompile.yaml": `${CLUSTER}---\n${CLUSTER}` }, args: ["validate"] },
  NC1007: { args: [] }, // direct call below: the CLI refuses such a folder as a usage error
  NC1008: { files: { "more.yaml": TOPOLOGY }, args: ["validate"] },
  NC1009: { files: { "bomb.yaml": bomb }, args: ["validate"] },
  NC1010: { args: [] }, // direct call below: a read that fails after the file was opened
  NC1044: {
    args: ["validate"],
    setup: (dir) =>
      writeFileSync(join(dir, "latin1.yaml"), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a])),
  },
  NC1045: {
    files: {
      "netcompile.yaml": `${CLUSTER}  output:\n    dir: pools\n`,
      "pools.yaml": null,
      "pools/pools.yaml": POOLS,
    },
    args: ["validate"],
  },
  NC1046: {
    files: { "netcompile.yaml": `${CLUSTER}  ignore: ["vendor/**"]\n`, "vendor/x.yaml": "a: 1\n" },
    args: ["validate"],
  },
  NC1047: {
    files: { "rendered/netcompile.lock.json/keep": "a folder by the lock's name\n" },
    args: ["validate"],
  },
  NC1011: {
    files: { "more.yaml": CLUSTER.replace("name: test", "name: other") },
    args: ["validate"],
  },
  NC1012: { files: { "pools.yaml": "- a\n- b\n" }, args: ["validate"] },
  NC1013: { files: { "topology.yaml": null }, args: ["validate"] },
  NC1014: {
    args: ["validate"],
    setup: (dir) => writeFileSync(join(dir, "big.yaml"), Buffer.alloc(9 * 1024 * 1024, "#")),
  },
  NC1015: {
    files: { "deep.yaml": `a: ${"[".repeat(100)}${"]".repeat(100)}\n` },
    args: ["validate"],
  },
  NC1016: { files: { "pools.yaml": "---\n".repeat(20_001) }, args: ["validate"] },
  NC1017: {
    files: {
      "pools.yaml": Array.from({ length: 1_001 }, (_, i) =>
        POOLS.replace("name: pool-1", `name: pool-${i}`).replace(
          "192.168.0.0/16",
          `10.${i >> 8}.${i & 255}.0/24`,
        ),
      ).join("---\n"),
    },
    args: ["validate"],
  },
  NC1018: {
    args: ["validate"],
    setup: (dir) => symlinkSync(join(dir, "pools.yaml"), join(dir, "link.yaml")),
  },
  NC1019: { args: ["validate"], setup: (dir) => mkfifo(join(dir, "pipe.yaml")) },
  // Run as an unprivileged user (root reads anything): the dedicated test below.
  NC1020: { args: ["validate"], setup: (dir) => chmodSync(join(dir, "pools.yaml"), 0o000) },
  NC1021: { args: ["validate"], setup: (dir) => void overlongPath(dir) },
  NC1040: { files: { "pools.yaml": `${POOLS}  blockSize: 030\n` }, args: ["validate"] },
  NC1041: {
    files: { "pools.yaml": POOLS.replace("natOutgoing: true", "natOutgoing: !!binary aGk=") },
    args: ["validate"],
  },
  NC1042: { files: { "pools.yaml": `${POOLS}# a NUL: \0\n` }, args: ["validate"] },
  NC1043: {
    files: { "pools.yaml": POOLS.replace("name: pool-1", 'name: "pool-\\ud800"') },
    args: ["validate"],
  },
  NC2001: { files: { "pools.yaml": `${POOLS}  ipipMdoe: Always\n` }, args: ["validate"] },
  NC3025: {
    files: {
      "topology.yaml": TOPOLOGY.replace("10.0.1.0/24", "10.0.0.0/16").replace(
        "  nodes:\n",
        "  nodeGroups:\n    - {namePrefix: w-, count: 20000, subnet: rack-1, firstAddress: 10.0.1.11}\n  nodes:\n",
      ),
      "policy.yaml": policy(
        "big",
        `  message: m\n  match: {kinds: [Node]}\n  assert:\n    enum: [${Array.from({ length: 1000 }, (_, i) => i).join(", ")}]\n`,
      ),
    },
    args: ["validate"],
  },
  NC2002: {
    files: { "pools.yaml": POOLS.replace("natOutgoing: true", "natOutgoing: often") },
    args: ["validate"],
  },
  NC2003: {
    files: { "topology.yaml": TOPOLOGY.replace("      address: 10.0.1.10\n", "") },
    args: ["validate"],
  },
  NC2004: {
    files: { "pools.yaml": POOLS.replace("CrossSubnet", "Sometimes") },
    args: ["validate"],
  },
  NC2005: {
    files: {
      "topology.yaml": TOPOLOGY.replace(
        "address: 10.0.1.10",
        'address: 10.0.1.10\n      interface: "a b"',
      ),
    },
    args: ["validate"],
  },
  NC2006: {
    files: { "pools.yaml": POOLS.replace("natOutgoing", "natOutgoin") },
    args: ["validate"],
  },
  NC3001: {
    files: {
      "topology.yaml": `${TOPOLOGY}  nodeGroups:\n    - {namePrefix: w-, count: 1000, subnet: rack-1, firstAddress: 10.0.1.100}\n`,
    },
    args: ["validate"],
  },
  NC3002: {
    files: {
      "topology.yaml": `${TOPOLOGY}  nodeGroups:\n    - {namePrefix: w-, count: 2, subnet: rack-9, firstAddress: 10.0.1.100}\n`,
    },
    args: ["validate"],
  },
  NC3003: {
    files: { "netcompile.yaml": `${CLUSTER}  rules:\n    pool-overlapp: warning\n` },
    args: ["validate"],
  },
  NC3004: { files: { "pools.yaml": waive("no colon here") }, args: ["validate"] },
  NC3026: { files: { "pools.yaml": waive("") }, args: ["validate"] },
  NC3027: { files: { "pools.yaml": waive("NC2001: legacy") }, args: ["validate"] },
  NC3028: { files: { "pools.yaml": waive("pool-overlap:") }, args: ["validate"] },
  NC3005: {
    files: { "pools.yaml": waive("aws-src-dst-check: not on AWS at all") },
    args: ["validate"],
  },
  NC3006: {
    files: {
      "policy.yaml": policy(
        "bad-selector",
        "  message: m\n  match:\n    selector: a ==\n  assert: {}\n",
      ),
    },
    args: ["validate"],
  },
  NC3007: {
    files: {
      "policy.yaml": policy("bad-schema", "  message: m\n  match: {}\n  assert: { type: nope }\n"),
    },
    args: ["validate"],
  },
  NC3008: {
    files: { "policy.yaml": policy("pool-overlap", "  message: m\n  match: {}\n  assert: {}\n") },
    args: ["validate"],
  },
  NC3009: {
    files: {
      "topology.yaml": `${TOPOLOGY}  nodeGroups:\n    - {namePrefix: w-, count: 2, subnet: rack-1, firstAddress: 10.0.2.100}\n`,
    },
    args: ["validate"],
  },
  NC3010: {
    files: {
      "topology.yaml": `${TOPOLOGY}  nodeGroups:\n    - {namePrefix: w-, count: 100000, subnet: rack-1, firstAddress: 10.0.1.100}\n`,
    },
    args: ["validate"],
  },
  NC3011: {
    files: {
      "topology.yaml": `${TOPOLOGY}  underlay: { routesWorkloadIPs: true }\n`,
      "more.yaml":
        "apiVersion: netcompile.dev/v1alpha1\nkind: Topology\nspec:\n  underlay: { routesWorkloadIPs: false }\n",
    },
    args: ["validate"],
  },
  NC3012: {
    files: {
      "topology.yaml": TOPOLOGY.replace(
        "cidr: 10.0.1.0/24",
        "cidr: 10.0.1.0/24\n      gateway: nowhere",
      ),
    },
    args: ["validate"],
  },
  NC3013: {
    files: {
      "topology.yaml": TOPOLOGY.replace(
        "cidr: 10.0.1.0/24",
        "cidr: 10.0.1.0/24\n      gateway: 10.0.9.1",
      ),
    },
    args: ["validate"],
  },
  NC3014: staticCase(TOPOLOGY),
  NC3017: staticCase(pinned("nope")),
  NC3018: staticCase(pinned("192.168.0.1/26")),
  NC3019: staticCase(pinned("10.99.0.0/26")),
  NC3020: staticCase(group(", firstPodCIDR: 10.99.0.0/26")),
  NC3021: staticCase(
    GATEWAYS,
    POOLS.replace("natOutgoing: true", "natOutgoing: true\n  nodeSelector: role == 'none'"),
  ),
  NC3022: staticCase(pinned("192.168.0.0/24", "192.168.0.64/26")),
  NC3023: staticCase(
    group(", firstPodCIDR: 192.168.0.0/26").replace(
      "address: 10.0.1.10",
      "address: 10.0.1.10\n      podCIDR: 192.168.0.0/24",
    ),
  ),
  // Four /26 blocks and eight nodes: some names hash to the same block.
  NC3024: staticCase(
    group("").replace("count: 2", "count: 6"),
    POOLS.replace("192.168.0.0/16", "192.168.0.0/24"),
  ),
  NC3045: {
    files: {
      "pools.yaml": waive("pool-cidr-not-masked: we mean the /16").replace(
        "192.168.0.0/16",
        "192.168.0.5/16",
      ),
    },
    args: ["validate"],
  },
  NC3046: {
    files: { "netcompile.yaml": `${CLUSTER}  rules:\n    pool-overlap: "off"\n` },
    args: ["validate"],
  },
  NC3070: {
    files: {
      "netcompile.yaml": STATIC,
      "topology.yaml": TOPOLOGY.replace("address: 10.0.2.10", "address: 10.0.1.11"),
    },
    args: ["validate"],
  },
  NC3090: staticCase(pinned("fd00:1::/122")),
  NC3091: staticCase(
    GATEWAYS.replace("address: 10.0.1.10", "address: 10.0.1.10\n      podCIDRV6: fd00:1::/122"),
  ),
  NC3092: {
    files: {
      "topology.yaml": TOPOLOGY.replace(
        "cidr: 10.0.2.0/24",
        "cidr: 10.0.2.0/24\n    - name: v6\n      cidr: fd00:1::/64\n      mtu: 9000",
      ).replace("address: 10.0.1.10", "address: 10.0.1.10\n      addressV6: fd00:1::10"),
    },
    args: ["validate"],
  },
  NC3093: {
    files: {
      "netcompile.yaml": `${STATIC}  networking: { wireguard: { ipv4: true } }\n`,
      "topology.yaml": GATEWAYS,
    },
    args: ["validate"],
  },
  NC3060: {
    files: { "netcompile.yaml": `${CLUSTER}  install: operator\n  typha: { replicas: 2 }\n` },
    args: ["validate"],
  },
  NC3061: {
    files: { "netcompile.yaml": `${CLUSTER}  typha: { replicas: 3 }\n` },
    args: ["validate"],
  },
  NC3062: {
    files: {
      "netcompile.yaml": `${CLUSTER}  typha: { enabled: false }\n`,
      "topology.yaml": `${TOPOLOGY}  nodeGroups:\n    - {namePrefix: w-, count: 101, subnet: rack-1, firstAddress: 10.0.1.100}\n`,
    },
    args: ["validate"],
  },
  NC3063: {
    files: { "netcompile.yaml": `${CLUSTER}  typha: { enabled: false, replicas: 1 }\n` },
    args: ["validate"],
  },
  NC5001: { args: [] }, // direct call below
  NC5002: { files: { "file.txt": "x" }, args: ["build", "--out", "file.txt/x"] },
  NC5003: { args: ["build", "--check"] }, // after a build and an edit, below
  NC5004: { files: { "rendered/notes.txt": "mine" }, args: ["build"] },
  NC5005: {
    // Ignored, so the loader does not stop at the link (NC1018) and the output side is tested.
    files: { "netcompile.yaml": `${CLUSTER}  ignore: [rendered]\n` },
    args: ["build"],
    setup: (dir) => {
      mkdirSync(join(dir, "real"));
      symlinkSync(join(dir, "real"), join(dir, "rendered"));
    },
  },
  NC5006: { args: ["build", "--out", "."] },
  NC5007: {
    files: {
      "netcompile.yaml": `${CLUSTER}  rules:\n    node-name-invalid: "off"\n`,
      "topology.yaml": TOPOLOGY.replace("name: node-1", `name: "${"é".repeat(130)}"`),
    },
    args: ["validate"],
  },
  NC5035: { args: ["build"] },
  NC5037: {
    files: { "netcompile.yaml": STATIC, "topology.yaml": GATEWAYS },
    args: ["render"],
  },
  NC5038: {
    files: { "netcompile.yaml": STATIC, "topology.yaml": GATEWAYS },
    args: ["build"],
  },
  NC5036: {
    files: {
      "netcompile.yaml": CLUSTER.replace("bare-metal", "aws"),
      "topology.yaml": GATEWAYS,
    },
    args: ["build"],
  },
  NC6001: {
    base: {},
    files: { "pools.yaml": POOLS.replace("ipipMode: CrossSubnet", "vxlanMode: Always") },
    args: ["plan", "--base", "base"],
  },
  NC6002: {
    base: {},
    files: {
      "netcompile.yaml": ack(
        "{resource: IPPool/pool-1, field: encapsulation, from: IPIPCrossSubnet, to: VXLAN, reason: window}",
      ),
    },
    args: ["plan", "--base", "base"],
  },
  NC6003: {
    base: {},
    files: {
      "netcompile.yaml": ack(
        "{resource: IPPool/pool-1, field: spec.cidr, from: 192.168.0.0/16, to: 10.244.0.0/16, reason: please}",
      ),
      "pools.yaml": POOLS.replace("192.168.0.0/16", "10.244.0.0/16"),
    },
    args: ["plan", "--base", "base"],
  },
  NC6004: {
    base: { "pools.yaml": `${POOLS}  vxlanMode: Always\n` },
    args: ["plan", "--base", "base"],
  },
  NC6005: { args: ["plan", "--against", "rendered"] }, // after a build, below
  NC6006: {
    base: { "netcompile.yaml": null, "topology.yaml": null, "pools.yaml": null },
    args: ["plan", "--base", "base"],
  },
  NC6007: { args: ["plan", "--base", "no-such-revision"], base: {} },
  NC6008: { files: { "pools.yaml": POOLS.replace("CrossSubnet", "Sometimes") }, args: ["plan"] },
  NC7001: { args: ["verify", "--live", "missing"] },
  NC7002: {
    args: VERIFY,
    setup: (dir) => {
      mkdirSync(join(dir, "live"), { recursive: true });
      // A sparse file: its size is checked before anything is read.
      writeFileSync(join(dir, "live", "huge.json"), "");
      truncateSync(join(dir, "live", "huge.json"), 300 * 1024 * 1024);
    },
  },
  NC7003: {
    args: VERIFY,
    setup: (dir) => {
      mkdirSync(join(dir, "live"), { recursive: true });
      for (let i = 0; i <= 1000; i++) writeFileSync(join(dir, "live", `f${i}.yaml`), "");
    },
  },
  NC7004: { files: live({ "live/bad.json": "{ nodes: [\n" }), args: VERIFY },
  NC7005: {
    files: live({ "live/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" }),
    args: VERIFY,
  },
  NC7006: {
    files: { "live/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" },
    args: VERIFY,
  },
  NC7007: {
    files: live({ "live/node-1.yaml": NODE("node-1", '    node.alpha.kubernetes.io/ttl: "0"\n') }),
    args: VERIFY,
  },
  NC7008: {
    files: live({
      "live/node-1.yaml": NODE("node-1", "    projectcalico.org/IPv4Address: not-an-address\n"),
    }),
    args: VERIFY,
  },
  NC7009: {
    files: live({ "live/nameless.yaml": "apiVersion: v1\nkind: Node\nmetadata: {}\n" }),
    args: VERIFY,
  },
  NC7010: { files: live({ "live/again.yaml": NODE1 }), args: VERIFY },
  NC7011: { files: live({ "live/calico.yaml": CALICO_NODE }), args: VERIFY },
  NC7012: { files: live({ "live/scalar.yaml": "just text\n" }), args: VERIFY },
  NC7013: { files: live({ "out/notes.txt": "mine\n" }), args: IMPORT },
  NC7014: {
    files: live({ "live/pool.yaml": LIVE_POOL("  ipip: {enabled: true}\n") }),
    args: IMPORT,
  },
  NC7015: {
    files: live({
      "live/node-2.yaml": NODE("node-2", "    projectcalico.org/IPv4Address: 10.0.1.11/24\n"),
      "live/node-3.yaml": NODE("node-3", "    projectcalico.org/IPv4Address: 10.0.1.12/16\n"),
    }),
    args: IMPORT,
  },
  NC7016: { files: live({}), args: ["plan", "--live", "live"] },
  NC7017: { files: live({}), args: ["import", "--live", "live", "--out", "live/repo"] },
  NC7018: {
    files: live({ "live/node-2.yaml": NODE("node-2", '    node.alpha.kubernetes.io/ttl: "0"\n') }),
    args: IMPORT,
  },
  NC7019: {
    files: live({ "pools.yaml": POOLS.replace("CrossSubnet", "Sometimes") }),
    args: VERIFY,
  },
  NC9001: { args: [] }, // direct call below
};

function apply(dir: string, files: Record<string, string | null> = {}): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    removeDir(full);
    if (content === null) continue;
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

describe("every NC code is triggered", () => {
  it("the map covers the whole catalog", () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(catalog).sort());
  });

  const userCodes = (Object.keys(CASES) as DiagnosticCode[]).filter(
    (c) => c !== "NC1007" && c !== "NC5001" && c !== "NC9001" && c !== "NC1020" && c !== "NC1010",
  );
  it.each(userCodes)("%s", async (code) => {
    const c = CASES[code];
    const dir = testdir({});
    dirs.push(dir);
    if (c.base) {
      apply(dir, { ...minimalRepo, ...c.base });
      git(dir, "init", "-q", "-b", "main");
      git(dir, "add", "-A");
      git(dir, "commit", "-q", "--allow-empty", "-m", "base");
      git(dir, "tag", "base");
      apply(dir, minimalRepo);
    } else {
      apply(dir, minimalRepo);
    }
    apply(dir, c.files);
    if (code === "NC6005") expect((await cli(["build"], dir)).code).toBe(0);
    else if (code === "NC5003") {
      expect((await cli(["build"], dir)).code).toBe(0);
      apply(dir, { "pools.yaml": POOLS.replace("natOutgoing: true", "natOutgoing: false") });
    } else c.setup?.(dir);
    const r = await cli(c.args, dir);
    const seen = `${r.stdout}\n${r.stderr}`;
    expect(seen, seen).toContain(code);
    expect(seen).not.toContain("NC9001");
    expect(seen).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // never a stack for a user mistake
  });

  it("NC1007: the pipeline on a folder without netcompile.yaml", async () => {
    const d = compile(new MemoryRepoReader({ "pools.yaml": POOLS }, "clusters/prod")).diagnostics;
    expect(d.map((x) => [x.code, x.message])).toEqual([
      [
        "NC1007",
        "no netcompile.yaml at the repository root clusters/prod; it marks the repository and holds the Cluster",
      ],
    ]);
    const dir = testdir({ "pools.yaml": POOLS });
    dirs.push(dir);
    const r = await cli(["validate", "--repo", "."], dir);
    expect([r.code, r.stdout]).toEqual([3, ""]);
    expect(r.stderr).toMatch(/^netcompile: --repo \.: no netcompile\.yaml in it/);
  });

  const denial = denialSupport();
  it.skipIf("skip" in denial)(
    `NC1020 (as an unprivileged user: root reads anything)${"skip" in denial ? ` (skipped: ${denial.skip})` : ""}`,
    async () => {
      const dir = openRepo(minimalRepo);
      dirs.push(dir);
      CASES.NC1020.setup!(dir);
      const r = await runCli(["validate"], {
        cwd: dir,
        asNobody: "asNobody" in denial && denial.asNobody,
      });
      expect(`${r.stdout}${r.stderr}`).toContain("NC1020");
      expect(`${r.stdout}${r.stderr}`).not.toContain("NC9001");
    },
  );

  it("NC1010 (a read the system fails mid-way: the file vanished, an I/O error): the system's reason", () => {
    const vanished = unreadableInput("pools.yaml", problemOf({ code: "ENOENT" }), false);
    const io = unreadableInput(
      "pools.yaml",
      problemOf(Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" })),
      false,
    );
    expect([vanished.code, vanished.file, vanished.message]).toEqual([
      "NC1010",
      "pools.yaml",
      "cannot read pools.yaml: the file vanished while reading",
    ]);
    expect([io.code, io.message]).toEqual([
      "NC1010",
      "cannot read pools.yaml: EIO: i/o error, read",
    ]);
  });

  it("NC5001 (a netcompile bug): a rendered file that fails its own check", () => {
    const d = checkRenderedFiles([{ path: "manifests/x.yaml", content: "a: [\n" }]);
    expect(d.map((x) => x.code)).toEqual(["NC5001"]);
    expect(d[0]!.message).toContain("this is a netcompile bug");
  });

  it("NC9001 (a netcompile bug): one line with the code and how to report it; the stack only with --debug", async () => {
    const cwd = testdir(minimalRepo);
    dirs.push(cwd);
    const io = (debug: boolean) => {
      let stderr = "";
      return {
        get stderr() {
          return stderr;
        },
        run: () =>
          run(debug ? ["validate", "--debug"] : ["validate"], {
            stdout: {
              write: () => {
                throw new Error("boom");
              },
              isTTY: false,
            },
            stderr: { write: (s: string) => (stderr += s), isTTY: false },
            cwd,
            env: { NO_COLOR: "1" },
          }),
      };
    };
    const plain = io(false);
    expect(await plain.run()).toBe(3);
    expect(plain.stderr.trimEnd().split("\n")).toEqual([
      `netcompile: NC9001: internal error: boom — this is a bug in netcompile; please report it with the command you ran (--debug shows the stack)`,
    ]);
    const debug = io(true);
    expect(await debug.run()).toBe(3);
    expect(debug.stderr).toMatch(/NC9001[\s\S]*\n\s+at /);
  });
});
