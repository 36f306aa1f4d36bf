/** The CLI as a user meets it: flags, exit codes, streams, and what lands on disk. */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { run } from "../src/cli/main.js";
import {
  cli,
  hostRepo,
  parseJson,
  readTree,
  removeDir,
  testdir,
  type DiagnosticsJson,
} from "./support.js";

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
function repo(files: Record<string, string> = {}): string {
  const dir = testdir({ ...hostRepo, ...files });
  dirs.push(dir);
  return dir;
}
const brokenPool = {
  "pools.yaml": hostRepo["pools.yaml"]!.replace("ipipMode: CrossSubnet", "ipipMode: Sometimes"),
};

describe("usage", () => {
  it.each([[[]], [["validate"]], [["build"]], [["render"]]])(
    "%j --help prints usage and exits 0",
    async (args) => {
      const r = await cli([...args, "--help"], repo());
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: netcompile/);
    },
  );

  it.each([
    [["build", "--bogus"], "unknown option '--bogus'"],
    [["frobnicate"], "unknown command 'frobnicate'"],
    [
      ["validate", "--format", "xml"],
      "argument 'xml' is invalid. Allowed choices are text, json, sarif, github.",
    ],
    [["plan", "--format", "html"], "Allowed choices are text, markdown, json."],
    [["render", "extra"], "too many arguments"],
  ])("%j is a usage error: exit 3, message on stderr, nothing on stdout", async (args, message) => {
    const r = await cli(args, repo());
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  describe("a --repo that names no repository is a usage error naming the path", () => {
    const commands = [
      ["validate"],
      ["build"],
      ["render"],
      ["plan"],
      ["explain", "node-1", "node-2"],
      ["graph"],
    ];
    it.each(commands)("%s", async (...command) => {
      const cwd = repo({ "docs/notes.txt": "not a repository\n" });
      for (const [path, problem] of [
        ["nowhere", "no such folder"],
        ["pools.yaml", "not a folder"],
        ["docs", "no netcompile.yaml in it: not a netcompile repository"],
      ] as const) {
        const r = await cli([...command, "--repo", path], cwd);
        expect([r.code, r.stdout], path).toEqual([3, ""]);
        expect(r.stderr).toBe(
          `netcompile: --repo ${path}: ${problem}${path === "docs" ? " (the folder holding netcompile.yaml; `netcompile init` writes one)" : ""}\n`,
        );
      }
    });
  });

  it("with no command prints help on stderr and exits 3", async () => {
    const r = await cli([], repo());
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("Commands:");
  });

  it("prints --version", async () => {
    const r = await cli(["--version"], repo());
    expect([r.code, r.stdout]).toEqual([0, "0.1.0\n"]);
  });
});

describe("validate", () => {
  it("exits 0 on a valid repository", async () => {
    const r = await cli(["validate"], repo());
    expect([r.code, r.stdout]).toEqual([0, "0 errors, 0 warnings, 0 info\n"]);
  });

  it("prints the versioned JSON shape", async () => {
    const r = await cli(["validate", "--format", "json", "--repo", "."], repo(brokenPool));
    expect(r.code).toBe(1);
    const body = parseJson<DiagnosticsJson>(r.stdout);
    expect(body.version).toBe(1);
    // The pool that fails its schema, and the info that it was left out of the rules.
    expect(body.summary).toEqual({ errors: 1, warnings: 0, infos: 1, waived: 0 });
    expect(Object.keys(body.diagnostics[0]!)).toEqual(
      expect.arrayContaining([
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "endLine",
        "endColumn",
        "resource",
        "related",
      ]),
    );
    expect(body.diagnostics[1]).toMatchObject({
      code: "NC2004",
      file: "pools.yaml",
      line: 7,
      column: 13,
      resource: "IPPool/pool-1",
    });
  });
});

describe("render", () => {
  it("prints only Kubernetes objects, as one YAML stream", async () => {
    const r = await cli(["render"], repo());
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const docs = parseAllDocuments(r.stdout).flatMap((d) => {
      const doc = d.toJS() as { apiVersion: string; kind: string } | null;
      return doc ? [doc] : [];
    });
    expect(docs.map((d) => `${d.apiVersion} ${d.kind}`).sort()).toEqual([
      "apps/v1 DaemonSet",
      "projectcalico.org/v3 FelixConfiguration",
      "projectcalico.org/v3 IPPool",
      "v1 ConfigMap",
      "v1 ServiceAccount",
      "v1 ServiceAccount",
    ]);
  });

  it("prints nothing on stdout and exits 1 on any error", async () => {
    const r = await cli(["render"], repo(brokenPool));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("pools.yaml:7:13: error NC2004");
  });
});

describe("what Calico rejects never reaches manifests/", () => {
  // Host bits set, waived and turned off: Calico rejects the pool, so nothing is written or printed.
  const hostBits = {
    "netcompile.yaml": `${hostRepo["netcompile.yaml"]}  rules:\n    pool-cidr-not-masked: "off"\n`,
    "pools.yaml": hostRepo["pools.yaml"]!.replace(
      "  name: pool-1\n",
      '  name: pool-1\n  annotations:\n    netcompile.dev/waive: "pool-cidr-not-masked: mask it"\n',
    ).replace("192.168.0.0/16", "192.168.0.5/16"),
  };

  it("build writes nothing, and says why", async () => {
    const dir = repo(hostBits);
    const r = await cli(["build"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error pool-cidr-not-masked");
    expect(r.stderr).toContain("error NC3045");
    expect(r.stderr).toContain("error NC3046");
    expect(existsSync(join(dir, "rendered"))).toBe(false);
  });

  it("render prints nothing, masked or not", async () => {
    const r = await cli(["render"], repo(hostBits));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
  });
});

// hostRepo renders 19 files: 4 manifests, the lock, and 7 host files for each of its 2 nodes.
describe("build", () => {
  it("writes the tree, and a second build is byte-identical", async () => {
    const dir = repo();
    const first = await cli(["build"], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("wrote 19 files to rendered/");
    const tree = readTree(join(dir, "rendered"));
    expect(Object.keys(tree)).toContain("netcompile.lock.json");
    expect((await cli(["build"], dir)).code).toBe(0);
    expect(readTree(join(dir, "rendered"))).toEqual(tree);
  });

  it("lists the nodes it wrote files for in natural order (worker-2 before worker-10)", async () => {
    const dir = repo({
      "topology.yaml": `${hostRepo["topology.yaml"]}  nodeGroups:
    - {namePrefix: worker-, count: 10, subnet: rack-1, firstAddress: 10.0.1.100}
`,
    });
    const r = await cli(["build"], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "<node>/ for node-1, node-2, worker-1, worker-2, worker-3, worker-4, worker-5, worker-6 … and 4 more:",
    );
  });

  it("writes nothing on errors and keeps the previous tree", async () => {
    const dir = repo();
    await cli(["build"], dir);
    const before = readTree(join(dir, "rendered"));
    writeFileSync(join(dir, "pools.yaml"), brokenPool["pools.yaml"]);
    const r = await cli(["build"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(readTree(join(dir, "rendered"))).toEqual(before);
  });

  it("--check passes on a fresh tree and lists what is stale", async () => {
    const dir = repo();
    await cli(["build"], dir);
    expect(await cli(["build", "--check"], dir)).toMatchObject({
      code: 0,
      stdout: "rendered is up to date (19 files)\n",
    });
    writeFileSync(
      join(dir, "pools.yaml"),
      hostRepo["pools.yaml"]!.replace("CrossSubnet", "Always"),
    );
    const r = await cli(["build", "--check"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      "rendered is stale: 2 of 19 files differ\n  differs    manifests/ippools.yaml\n  differs    netcompile.lock.json\n",
    );
    expect(r.stderr).toContain(
      "error NC5003: rendered/manifests/ippools.yaml differs from what the repository renders",
    );
  });

  it("refuses to replace a directory it did not write", async () => {
    const dir = repo();
    mkdirSync(join(dir, "rendered"));
    writeFileSync(join(dir, "rendered", "notes.txt"), "keep me");
    const r = await cli(["build"], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("NC5004");
    expect(readFileSync(join(dir, "rendered", "notes.txt"), "utf8")).toBe("keep me");
    expect((await cli(["build", "--force"], dir)).code).toBe(0);
  });

  it("--out outside the repository, relative to the working directory", async () => {
    const dir = repo();
    const r = await cli(["build", "--repo", ".", "--out", "../out-elsewhere"], dir);
    dirs.push(join(dir, "..", "out-elsewhere"));
    expect(r.code).toBe(0);
    expect(Object.keys(readTree(join(dir, "..", "out-elsewhere")))).toHaveLength(19);
  });
});

describe("text diagnostics", () => {
  it("end with the documentation link of their rule or code", async () => {
    const r = await cli(["validate", "--repo", "."], repo(brokenPool));
    expect(r.stdout.split("\n").slice(4, 8)).toEqual([
      'pools.yaml:7:13: error NC2004: spec.ipipMode must be one of "Never", "Always", "CrossSubnet", "", not "Sometimes"',
      "7 |   ipipMode: Sometimes",
      "  |             ^^^^^^^^^",
      "  docs: https://github.com/example/netcompile/blob/main/docs/diagnostics.md#nc2004",
    ]);
    const logged = await cli(["build", "--repo", "."], repo(brokenPool));
    expect(logged.stderr).toContain(
      "  docs: https://github.com/example/netcompile/blob/main/docs/diagnostics.md#nc2004\n",
    );
  });
});

describe("colour", () => {
  const cases: [string, boolean, Record<string, string>, boolean][] = [
    ["a terminal", true, {}, true],
    ["a pipe", false, {}, false],
    ["a terminal with NO_COLOR", true, { NO_COLOR: "1" }, false],
    [
      "a terminal with an empty NO_COLOR (unset, as no-color.org says)",
      true,
      { NO_COLOR: "" },
      true,
    ],
    ["a terminal with TERM=dumb", true, { TERM: "dumb" }, false],
    ["a pipe with FORCE_COLOR=1", false, { FORCE_COLOR: "1" }, true],
    ["a pipe with FORCE_COLOR=true", false, { FORCE_COLOR: "true" }, true],
    ["a pipe with TERM=dumb and FORCE_COLOR", false, { TERM: "dumb", FORCE_COLOR: "1" }, true],
    ["a terminal with FORCE_COLOR=0", true, { FORCE_COLOR: "0" }, false],
    ["a terminal with FORCE_COLOR=false", true, { FORCE_COLOR: "false" }, false],
    ["a pipe with an empty FORCE_COLOR", false, { FORCE_COLOR: "" }, false],
    [
      "a pipe with FORCE_COLOR and NO_COLOR (NO_COLOR wins)",
      false,
      { FORCE_COLOR: "1", NO_COLOR: "1" },
      false,
    ],
  ];
  it.each(cases)("on %s (terminal: %s, %j): colour %s", async (_, isTTY, env, coloured) => {
    const dir = repo(brokenPool);
    let stdout = "";
    const code = await run(["validate"], {
      stdout: { write: (s: string) => (stdout += s), isTTY },
      stderr: { write: () => undefined, isTTY },
      cwd: dir,
      env,
    });
    expect(code).toBe(1);
    expect(stdout.includes("\u001b["), stdout).toBe(coloured);
  });
});

describe("internal errors", () => {
  const throwingIo = (debug: boolean) => {
    let stderr = "";
    const io = {
      stdout: {
        write: () => {
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a library might throw: the CLI must still report it
          throw "not an Error";
        },
      },
      stderr: { write: (s: string) => (stderr += s) },
      cwd: repo(),
      env: { NO_COLOR: "1" },
    };
    return { io, stderr: () => stderr, args: debug ? ["validate", "--debug"] : ["validate"] };
  };

  it("print one line with NC9001 and how to report it, no stack, exit 3 — even for a non-Error", async () => {
    const t = throwingIo(false);
    expect(await run(t.args, t.io)).toBe(3);
    expect(t.stderr()).toBe(
      "netcompile: NC9001: internal error: not an Error — this is a bug in netcompile; please report it with the command you ran (--debug shows the stack)\n",
    );
  });
});
