/**
 * The Argo CD Config Management Plugin as Argo CD runs it: argocd/plugin.yaml's generate
 * command, exactly as written, in the Application's source path, with Argo CD's environment,
 * and `netcompile` found on PATH as the sidecar image installs it (bin/ + lib/ + assets).
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  readdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { bundleCli, CLI_BUNDLE } from "../scripts/bundle-cli.js";
import { MemoryRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";
import { runRules } from "../src/policy/engine.js";
import { renderAll } from "../src/render/index.js";
import { minimalRepo } from "./support.js";
import { countingNodeReads } from "./work.js";

const root = resolve(import.meta.dirname, "..");
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

interface PluginSpec {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    version?: string;
    discover: { fileName?: string };
    generate: { command: string[]; args?: string[] };
  };
}
const plugin = parse(readFileSync(join(root, "argocd", "plugin.yaml"), "utf8")) as PluginSpec;

/** PATH with `netcompile` as `npm install --global` leaves it: a link to the package's bin. */
let pathDir: string;
beforeAll(async () => {
  const prefix = temp("netcompile-cmp-");
  const pkg = join(prefix, "lib", "node_modules", "netcompile");
  mkdirSync(pkg, { recursive: true });
  for (const entry of ["bin", "templates", "policies", "docs/diagnostics.md", "package.json"]) {
    cpSync(join(root, entry), join(pkg, entry), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(pkg, "node_modules"));
  // lib/ as `npm run build` makes it: tsc (esbuild transpiles file by file the same way, fast),
  // then the CLI's bundle, which bin/netcompile.js runs.
  const sources = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => join(root, "src", f));
  await build({
    entryPoints: sources,
    outdir: join(pkg, "lib"),
    outbase: join(root, "src"),
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
  });
  await bundleCli(join(pkg, CLI_BUNDLE));
  pathDir = join(prefix, "bin");
  mkdirSync(pathDir);
  symlinkSync(join(pkg, "bin", "netcompile.js"), join(pathDir, "netcompile"));
});

interface Generated {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs spec.generate as argocd-cmp-server does: command + args, no shell, cwd = app path. */
function generate(appPath: string, sourcePath: string): Generated {
  const [command, ...commandArgs] = plugin.spec.generate.command;
  const args = [...commandArgs, ...(plugin.spec.generate.args ?? [])];
  const r = spawnSync(command!, args, {
    cwd: appPath,
    encoding: "utf8",
    env: {
      PATH: `${pathDir}:${process.env.PATH ?? "/usr/bin:/bin"}`,
      HOME: "/nonexistent",
      ARGOCD_APP_NAME: "cluster-network",
      ARGOCD_APP_NAMESPACE: "kube-system",
      ARGOCD_APP_REVISION: "0123456789abcdef0123456789abcdef01234567",
      ARGOCD_APP_SOURCE_PATH: sourcePath,
      ARGOCD_APP_SOURCE_REPO_URL: "https://git.example.com/network.git",
      ARGOCD_APP_SOURCE_TARGET_REVISION: "main",
      ARGOCD_APP_PARAMETERS: "[]",
      KUBE_VERSION: "1.31.0",
      KUBE_API_VERSIONS: "v1,apps/v1,projectcalico.org/v3",
      // Application spec.source.plugin.env, prefixed by Argo CD: netcompile reads none of them.
      ARGOCD_ENV_FOO: "bar",
      ARGOCD_ENV_NETCOMPILE_OUT: "/etc",
    },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Two racks of `count / 2` nodes each, as node groups. */
function bigTopology(count: number): string {
  return `apiVersion: netcompile.dev/v1alpha1
kind: Topology
metadata:
  name: big
spec:
  subnets:
    - name: rack-1
      cidr: 10.0.0.0/20
    - name: rack-2
      cidr: 10.0.16.0/20
  nodeGroups:
    - namePrefix: a-
      count: ${count / 2}
      subnet: rack-1
      firstAddress: 10.0.0.10
    - namePrefix: b-
      count: ${count / 2}
      subnet: rack-2
      firstAddress: 10.0.16.10
`;
}

/** An Argo CD source repository: the netcompile repository is the app path, not the root. */
function sourceRepo(files: Readonly<Record<string, string>>, appPath = "clusters/prod"): string {
  const repo = temp("netcompile-gitops-");
  writeFileSync(join(repo, "README.md"), "# network\n");
  for (const [path, content] of Object.entries(files)) {
    const full = join(repo, appPath, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return join(repo, appPath);
}

interface K8sObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

function kubernetesObjects(stream: string): K8sObject[] {
  const docs = parseAllDocuments(stream);
  const objects: K8sObject[] = [];
  for (const doc of docs) {
    expect(doc.errors, "YAML errors in the stream").toEqual([]);
    const value = doc.toJS() as K8sObject | null;
    if (value === null) continue;
    expect(typeof value.apiVersion, JSON.stringify(value).slice(0, 200)).toBe("string");
    expect(typeof value.kind).toBe("string");
    expect(typeof value.metadata?.name).toBe("string");
    objects.push(value);
  }
  return objects;
}

/** A second pool that selects no node: a warning, so the run has something to log. */
const unusedPool = `---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-unused
spec:
  cidr: 172.16.0.0/16
  vxlanMode: CrossSubnet
  nodeSelector: rack == "nowhere"
`;

describe("argocd/plugin.yaml", () => {
  it("is a v2 ConfigManagementPlugin discovering netcompile.yaml and generating with render", () => {
    expect(plugin.apiVersion).toBe("argoproj.io/v1alpha1");
    expect(plugin.kind).toBe("ConfigManagementPlugin");
    expect(plugin.metadata.name).toBe("netcompile");
    expect(plugin.spec.discover.fileName).toBe("./netcompile.yaml");
    expect(plugin.spec.generate.command).toEqual(["netcompile", "render"]);
  });

  it("discovers an app path holding netcompile.yaml, and not the repository around it", () => {
    const appPath = sourceRepo(minimalRepo);
    const fileName = plugin.spec.discover.fileName!;
    expect(fileName, "a plain name: existsSync is then the same test as Go's Glob").not.toMatch(
      /[*?[\\]/,
    );
    expect(existsSync(join(appPath, fileName))).toBe(true);
    expect(existsSync(join(appPath, "..", "..", fileName))).toBe(false);
  });

  it("generate prints only Kubernetes objects on stdout, logs on stderr, exits 0", () => {
    const appPath = sourceRepo({
      ...minimalRepo,
      "pools.yaml": `${minimalRepo["pools.yaml"]}${unusedPool}`,
      // The rendered-manifests pattern's committed output sits beside the intent: not input.
      "rendered/netcompile.lock.json": "{}\n",
      "rendered/hosts/node-1/netplan/60-netcompile.yaml": "network:\n  version: 2\n",
    });
    const r = generate(appPath, "clusters/prod");
    expect(r.stderr).toMatch(/pools\.yaml:\d+:\d+: warning pool-selects-no-nodes/);
    expect(r.code).toBe(0);
    const objects = kubernetesObjects(r.stdout);
    const kinds = objects.map((o) => o.kind);
    expect(kinds).toContain("IPPool");
    expect(kinds).toContain("DaemonSet");
    expect(kinds).not.toContain("network");
    const ids = objects.map(
      (o) => `${String(o.kind)}/${String(o.metadata?.namespace)}/${String(o.metadata?.name)}`,
    );
    expect(new Set(ids).size, "duplicate objects").toBe(ids.length);
    expect(r.stdout).not.toContain("pool-selects-no-nodes");
  });

  it("generate prints the same stream as the committed rendered/manifests (the two patterns agree)", () => {
    const appPath = sourceRepo(minimalRepo);
    const built = spawnSync(join(pathDir, "netcompile"), ["build"], {
      cwd: appPath,
      encoding: "utf8",
    });
    expect(built.status, built.stderr).toBe(0);
    const r = generate(appPath, "clusters/prod");
    expect(r.code).toBe(0);
    const committed = readdirSync(join(appPath, "rendered", "manifests"))
      .sort()
      .flatMap((f) =>
        kubernetesObjects(readFileSync(join(appPath, "rendered", "manifests", f), "utf8")),
      );
    expect(kubernetesObjects(r.stdout)).toEqual(committed);
  });

  it("on a broken repository exits non-zero with stdout empty and the error on stderr", () => {
    const appPath = sourceRepo({
      ...minimalRepo,
      "pools.yaml": minimalRepo["pools.yaml"]!.replace(
        "ipipMode: CrossSubnet",
        "ipipMode: Sometimes",
      ),
    });
    const r = generate(appPath, "clusters/prod");
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/pools\.yaml:7:\d+: error/);
  });

  it("renders 1000 nodes as Argo CD runs it: every node's objects, nothing on stderr", () => {
    const appPath = sourceRepo({ ...minimalRepo, "topology.yaml": bigTopology(1000) });
    const r = generate(appPath, "clusters/prod");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(kubernetesObjects(r.stdout).length).toBeGreaterThan(0);
  });

  // Argo CD's 60-90 s generate timeouts: speed is measured by `npm run bench`; here, that the
  // work render does on its model (rules, then the manifest renderers) grows linearly in nodes.
  it("does work linear in the nodes: 10x the nodes, about 10x the node reads", () => {
    const reads = (nodes: number) => {
      const reader = new MemoryRepoReader({ ...minimalRepo, "topology.yaml": bigTopology(nodes) });
      const { model, diagnostics } = compile(reader, { rules: false });
      expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const counted = countingNodeReads(model!);
      expect(runRules(counted.model).filter((d) => d.severity === "error")).toEqual([]);
      expect(renderAll(counted.model, "manifests").length).toBeGreaterThan(0);
      return counted.reads();
    };
    const small = reads(100);
    expect(small).toBeGreaterThan(100);
    // Linear is 10x (a sort ~13x); pairwise over nodes is 100x.
    expect(reads(1000)).toBeLessThan(15 * small);
  });
});

describe("argocd/sidecar-patch.yaml and argocd/Dockerfile", () => {
  const patch = parse(readFileSync(join(root, "argocd", "sidecar-patch.yaml"), "utf8")) as {
    kind: string;
    metadata: { name: string };
    spec: {
      template: {
        spec: {
          containers: {
            command: string[];
            securityContext: { runAsUser: number; runAsNonRoot: boolean };
            volumeMounts: { mountPath: string; name: string }[];
          }[];
          volumes: { name: string }[];
        };
      };
    };
  };
  const dockerfile = readFileSync(join(root, "argocd", "Dockerfile"), "utf8");

  it("runs argocd-cmp-server as user 999 with the repo-server's var-files and plugins volumes", () => {
    expect([patch.kind, patch.metadata.name]).toEqual(["Deployment", "argocd-repo-server"]);
    const [sidecar] = patch.spec.template.spec.containers;
    expect(sidecar!.command).toEqual(["/var/run/argocd/argocd-cmp-server"]);
    expect(sidecar!.securityContext).toMatchObject({ runAsUser: 999, runAsNonRoot: true });
    const mounts = Object.fromEntries(sidecar!.volumeMounts.map((m) => [m.mountPath, m.name]));
    expect(mounts["/var/run/argocd"]).toBe("var-files");
    expect(mounts["/home/argocd/cmp-server/plugins"]).toBe("plugins");
    // Its own /tmp, declared here, never the repo-server's "tmp" volume.
    expect(mounts["/tmp"]).not.toBe("tmp");
    expect(patch.spec.template.spec.volumes.map((v) => v.name)).toContain(mounts["/tmp"]);
  });

  it("the image carries plugin.yaml where argocd-cmp-server reads it, and runs as 999", () => {
    expect(dockerfile).toMatch(
      /^COPY argocd\/plugin\.yaml \/home\/argocd\/cmp-server\/config\/plugin\.yaml$/m,
    );
    expect(dockerfile).toMatch(/^USER 999$/m);
    // What it installs provides the command plugin.yaml runs.
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(Object.keys(pkg.bin)).toContain(plugin.spec.generate.command[0]);
  });
});
