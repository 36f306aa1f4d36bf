/**
 * The documented install path creates no pool netcompile does not render. Calico's release
 * calico.yaml starts a calico-node that creates `default-ipv4-ippool` on a cluster without
 * pools (node/pkg/lifecycle/startup/startup.go configureIPPools, Calico v3.31.7), so the README
 * must apply it without its calico-node, and netcompile's calico-node must never create one.
 * The operator's side (an Installation always lists its pools) is in src/render/calico.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { MemoryRepoReader } from "../src/load/reader.js";
import { compile } from "../src/pipeline.js";
import { BASE_REPO } from "../src/policy/tester.js";
import { referenceFile } from "./reference.js";

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    template?: {
      spec: {
        containers: { name: string; image: string; env?: { name: string; value?: string }[] }[];
      };
    };
  };
}

const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
const installing = readme.slice(
  readme.indexOf("\n### Installing\n"),
  readme.indexOf("\n### Typha\n"),
);
/** Shell commands in the README, continuation lines joined. */
const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
  m[1]!.replace(/\\\n\s*/g, " ").split("\n"),
);

function docsOf(content: string): K8sObject[] {
  return parseAllDocuments(content)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((d): d is K8sObject => d !== null);
}

function rendered(cluster: string, extra: Record<string, string> = {}): Map<string, K8sObject[]> {
  const result = compile(
    new MemoryRepoReader({
      ...BASE_REPO,
      "netcompile.yaml": `${BASE_REPO["netcompile.yaml"]}${cluster}`,
      ...extra,
    }),
    { render: "manifests" },
  );
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return new Map(result.files!.map((f) => [f.path, docsOf(f.content)]));
}

/** Kubernetes equality-based label selectors (`k=v`, `k==v`, `k!=v`, `k`, `!k`), comma-joined. */
function matchesSelector(selector: string, labels: Record<string, string> = {}): boolean {
  return selector.split(",").every((term) => {
    const t = term.trim();
    const ne = t.match(/^([^!=]+)!=(.*)$/);
    if (ne) return labels[ne[1]!] !== ne[2];
    const eq = t.match(/^([^!=]+)==?(.*)$/);
    if (eq) return labels[eq[1]!] === eq[2];
    if (t.startsWith("!")) return !(t.slice(1) in labels);
    return t in labels;
  });
}

const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
const env = (o: K8sObject) => o.spec?.template?.spec.containers.flatMap((c) => c.env ?? []) ?? [];

/** The README's command for Calico's calico.yaml, and the selector it filters the manifest by. */
const calicoYamlCommand = commands.find((c) => /manifests\/calico\.yaml/.test(c));
const selector = calicoYamlCommand?.match(/--selector '([^']+)'/)?.[1];

describe("the README's install path", () => {
  it("applies Calico's calico.yaml only without its calico-node", () => {
    expect(calicoYamlCommand, "the README has no command for Calico's calico.yaml").toBeDefined();
    expect(selector).toBe("k8s-app!=calico-node");
    for (const command of commands.filter(
      (c) => /calico(-typha)?\.yaml/.test(c) && /kubectl/.test(c),
    ))
      expect(command, "a kubectl command applies Calico's manifest whole").toMatch(/--selector/);
  });

  it("never applies Calico's custom-resources.yaml (its Installation has a default pool)", () => {
    expect(commands.filter((c) => c.includes("custom-resources"))).toEqual([]);
    expect(installing).toContain("Never Calico's `custom-resources.yaml`");
  });

  it("says where every manifest netcompile renders comes from, in both install styles", () => {
    const manifest = rendered("  typha: {enabled: true}\n");
    const operator = rendered("  install: operator\n");
    const files = [...manifest.keys(), ...operator.keys()].map((p) => p.replace("manifests/", ""));
    expect(files).toContain("calico-typha.yaml");
    for (const file of new Set(files))
      expect(installing, `${file} is not in the README's table`).toContain(`\`${file}\``);
  });
});

describe("netcompile's calico-node creates no pool", () => {
  const vxlanPool = BASE_REPO["pools.yaml"]!.replace("ipipMode: CrossSubnet", "vxlanMode: Always");
  const variants: Record<string, [string, Record<string, string>]> = {
    "IP-in-IP (bird)": ["", {}],
    "with Typha": ["  typha: {enabled: true}\n", {}],
    "backend vxlan": ["  networking: {backend: vxlan}\n", { "pools.yaml": vxlanPool }],
  };

  it.each(Object.entries(variants))(
    "%s: NO_DEFAULT_POOLS, and no default-pool setting",
    (_, [cluster, files]) => {
      const daemonSet = rendered(cluster, files)
        .get("manifests/calico-node.yaml")!
        .find((o) => o.kind === "DaemonSet")!;
      const vars = env(daemonSet);
      // startup.go: NO_DEFAULT_POOLS=true skips pool creation; with CALICO_IPV4POOL_CIDR or
      // CALICO_IPV6POOL_CIDR as well, calico-node exits instead.
      expect(vars.filter((e) => e.name === "NO_DEFAULT_POOLS")).toEqual([
        { name: "NO_DEFAULT_POOLS", value: "true" },
      ]);
      expect(vars.map((e) => e.name).filter((n) => /^CALICO_IPV[46]POOL_/.test(n))).toEqual([]);
    },
  );
});

const calicoYaml = referenceFile("calico.yaml");

describe.skipIf(calicoYaml.missing)(
  `the README's selector on upstream's calico.yaml${calicoYaml.missing ? ` (skipped: ${calicoYaml.missing})` : ""}`,
  () => {
    const upstream = () => docsOf(readFileSync(calicoYaml.path!, "utf8"));
    const kept = () => upstream().filter((o) => matchesSelector(selector!, o.metadata.labels));

    it("without it, upstream's calico-node would create the default pool", () => {
      const node = upstream().find(
        (o) => o.kind === "DaemonSet" && o.metadata.name === "calico-node",
      )!;
      const names = env(node).map((e) => e.name);
      expect(names).not.toContain("NO_DEFAULT_POOLS");
      expect(env(node)).toContainEqual({ name: "CALICO_IPV4POOL_IPIP", value: "Always" });
    });

    it("keeps no workload that runs calico-node", () => {
      const images = kept().flatMap(
        (o) => o.spec?.template?.spec.containers.map((c) => c.image) ?? [],
      );
      expect(images.filter((i) => i.startsWith("quay.io/calico/node:"))).toEqual([]);
      expect(upstream().length - kept().length).toBe(1);
    });

    it("keeps the CRDs, calico-node's RBAC and calico-kube-controllers", () => {
      const keys = kept().map(key);
      for (const crd of upstream().filter((o) => o.kind === "CustomResourceDefinition"))
        expect(keys).toContain(key(crd));
      for (const wanted of [
        "ClusterRole//calico-node",
        "ClusterRoleBinding//calico-node",
        "ClusterRole//calico-cni-plugin",
        "ClusterRoleBinding//calico-cni-plugin",
        "Deployment/kube-system/calico-kube-controllers",
      ])
        expect(keys).toContain(wanted);
    });

    it("overlaps netcompile's manifests only in the objects the README says netcompile replaces", () => {
      const ours = new Set([...rendered("  typha: {enabled: true}\n").values()].flat().map(key));
      expect(
        kept()
          .map(key)
          .filter((k) => ours.has(k))
          .sort(),
      ).toEqual([
        "ConfigMap/kube-system/calico-config",
        "ServiceAccount/kube-system/calico-cni-plugin",
        "ServiceAccount/kube-system/calico-node",
      ]);
      expect(installing).toContain(
        "This also creates `calico-config` and calico-node's two ServiceAccounts",
      );
    });
  },
);
