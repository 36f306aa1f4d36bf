/**
 * Typha (install: manifest): rendered above 50 nodes or when the Cluster asks, sized as the
 * Tigera operator sizes it, and shaped as Calico's own calico-typha.yaml.
 *
 * Upstream's calico-typha.yaml is Calico v3.31.7's manifests/calico-typha.yaml, generated from
 * charts/calico/templates/calico-typha.yaml (Service, Deployment), calico-config.yaml:32-37
 * (typha_service_name) and calico-node.yaml:288-295 (FELIX_TYPHAK8SSERVICENAME). The facts
 * netcompile relies on are in UPSTREAM below and asserted on every run; with the file beside
 * the other reference files (test/reference.ts), the facts are checked against it and the
 * rendered objects compared with it field for field.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { MemoryRepoReader } from "../load/reader.js";
import { expectedTyphaReplicas, TYPHA_NODE_THRESHOLD } from "../model/typha.js";
import { compile } from "../pipeline.js";
import { referenceFile } from "../../test/reference.js";

type Obj = Record<string, unknown>;
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Obj;
  data?: Record<string, string>;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
interface PodSpec {
  containers: { name: string; env?: EnvVar[] }[];
  [key: string]: unknown;
}
interface Workload extends K8sObject {
  spec: { replicas?: number; template: { metadata: Obj; spec: PodSpec }; [key: string]: unknown };
}

const MANAGED_BY = "app.kubernetes.io/managed-by";

/** What upstream's calico-typha.yaml (v3.31.7) says, as netcompile relies on it. */
const UPSTREAM = {
  service: {
    ports: [{ port: 5473, protocol: "TCP", targetPort: "calico-typha", name: "calico-typha" }],
    selector: { "k8s-app": "calico-typha" },
  },
  podDisruptionBudget: {
    maxUnavailable: 1,
    selector: { matchLabels: { "k8s-app": "calico-typha" } },
  },
  deployment: {
    revisionHistoryLimit: 2,
    selector: { matchLabels: { "k8s-app": "calico-typha" } },
    strategy: { rollingUpdate: { maxSurge: "100%", maxUnavailable: 1 }, type: "RollingUpdate" },
    hostNetwork: true,
    terminationGracePeriodSeconds: 300,
    serviceAccountName: "calico-node",
    priorityClassName: "system-cluster-critical",
    image: "quay.io/calico/typha:v3.31.7",
    ports: [{ containerPort: 5473, name: "calico-typha", protocol: "TCP" }],
    env: {
      TYPHA_LOGSEVERITYSCREEN: "info",
      TYPHA_LOGFILEPATH: "none",
      TYPHA_LOGSEVERITYSYS: "none",
      TYPHA_CONNECTIONREBALANCINGMODE: "kubernetes",
      TYPHA_DATASTORETYPE: "kubernetes",
      TYPHA_HEALTHENABLED: "true",
      TYPHA_SHUTDOWNTIMEOUTSECS: "300",
    },
    probes: {
      livenessProbe: { path: "/liveness", port: 9098, host: "localhost" },
      readinessProbe: { path: "/readiness", port: 9098, host: "localhost" },
    },
  },
  typhaServiceName: "calico-typha",
  /** calico-node's one extra env var in the Typha variant, and the one it follows. */
  calicoNodeEnv: {
    after: "DATASTORE_TYPE",
    env: {
      name: "FELIX_TYPHAK8SSERVICENAME",
      valueFrom: { configMapKeyRef: { name: "calico-config", key: "typha_service_name" } },
    },
  },
} as const;

// ---------------------------------------------------------------------------------------------

function repo(nodes: number, cluster: Obj = {}): MemoryRepoReader {
  return new MemoryRepoReader({
    "netcompile.yaml": stringify({
      apiVersion: "netcompile.dev/v1alpha1",
      kind: "Cluster",
      metadata: { name: "test" },
      spec: { provider: "bare-metal", ...cluster },
    }),
    "topology.yaml": stringify({
      apiVersion: "netcompile.dev/v1alpha1",
      kind: "Topology",
      metadata: { name: "lab" },
      spec: {
        subnets: [{ name: "rack-1", cidr: "10.0.0.0/16" }],
        nodeGroups: [
          { namePrefix: "w-", count: nodes, subnet: "rack-1", firstAddress: "10.0.1.1" },
        ],
      },
    }),
    "pools.yaml": stringify({
      apiVersion: "projectcalico.org/v3",
      kind: "IPPool",
      metadata: { name: "pods" },
      spec: { cidr: "192.168.0.0/16", ipipMode: "CrossSubnet", natOutgoing: true },
    }),
  });
}

function build(nodes: number, cluster: Obj = {}) {
  const result = compile(repo(nodes, cluster), { render: "manifests" });
  const files = new Map((result.files ?? []).map((f) => [f.path, docsOf(f.content)]));
  return { files, diagnostics: result.diagnostics };
}

function docsOf(content: string): K8sObject[] {
  return parseAllDocuments(content)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((d): d is K8sObject => d !== null);
}

function rendered(nodes: number, cluster: Obj = {}): Map<string, K8sObject[]> {
  const { files, diagnostics } = build(nodes, cluster);
  expect(diagnostics.filter((d) => d.severity !== "info").map((d) => d.message)).toEqual([]);
  return files;
}

function find<T extends K8sObject>(docs: readonly K8sObject[] | undefined, kind: string): T {
  const found = docs?.find((d) => d.kind === kind);
  if (!found) throw new Error(`no ${kind}`);
  return found as T;
}

const typhaObjects = (files: Map<string, K8sObject[]>) => files.get("manifests/calico-typha.yaml");
const calicoNodeEnv = (files: Map<string, K8sObject[]>): EnvVar[] =>
  find<Workload>(files.get("manifests/calico-node.yaml"), "DaemonSet").spec.template.spec
    .containers[0]!.env ?? [];
const typhaServiceName = (files: Map<string, K8sObject[]>) =>
  find(files.get("manifests/calico-config.yaml"), "ConfigMap").data?.typha_service_name;

// ---------------------------------------------------------------------------------------------

describe("when Typha runs", () => {
  it(`not at ${TYPHA_NODE_THRESHOLD} nodes: no calico-typha, typha_service_name none, Felix not pointed at it`, () => {
    const files = rendered(TYPHA_NODE_THRESHOLD);
    expect(typhaObjects(files)).toBeUndefined();
    expect(typhaServiceName(files)).toBe("none");
    expect(calicoNodeEnv(files).map((e) => e.name)).not.toContain(UPSTREAM.calicoNodeEnv.env.name);
  });

  it(`above ${TYPHA_NODE_THRESHOLD} nodes: calico-typha with the operator's replica count, and calico-node points at it`, () => {
    const files = rendered(TYPHA_NODE_THRESHOLD + 1);
    expect(typhaObjects(files)!.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Service/calico-typha",
      "Deployment/calico-typha",
      "PodDisruptionBudget/calico-typha",
    ]);
    expect(find<Workload>(typhaObjects(files), "Deployment").spec.replicas).toBe(3);
    expect(typhaServiceName(files)).toBe(UPSTREAM.typhaServiceName);
    expect(calicoNodeEnv(files)).toContainEqual(UPSTREAM.calicoNodeEnv.env);
  });

  it("when the Cluster asks, on a small cluster, with the operator's count for it", () => {
    const files = rendered(2, { typha: { enabled: true } });
    expect(find<Workload>(typhaObjects(files), "Deployment").spec.replicas).toBe(1);
    expect(typhaServiceName(files)).toBe(UPSTREAM.typhaServiceName);
  });

  it("with the replicas the Cluster gives (which alone asks for Typha)", () => {
    const files = rendered(4, { typha: { replicas: 4 } });
    expect(find<Workload>(typhaObjects(files), "Deployment").spec.replicas).toBe(4);
  });

  it("never when the Cluster says enabled: false, however many nodes", () => {
    const files = rendered(TYPHA_NODE_THRESHOLD * 2, { typha: { enabled: false } });
    expect(typhaObjects(files)).toBeUndefined();
    expect(typhaServiceName(files)).toBe("none");
  });

  it("never with install: operator (the operator runs its own)", () => {
    const files = rendered(TYPHA_NODE_THRESHOLD * 2, { install: "operator" });
    expect(typhaObjects(files)).toBeUndefined();
  });

  it.each([
    [1, 1],
    [2, 1],
    [3, 2],
    [4, 2],
    [5, 3],
    [51, 3],
    [199, 3],
    [200, 3],
    [399, 3],
    [400, 4],
    [1000, 7],
    [2000, 12],
    [3600, 20],
  ])(
    "sizes %i nodes at %i replicas, as the operator's GetExpectedTyphaScale",
    (nodes, replicas) => {
      expect(expectedTyphaReplicas(nodes)).toBe(replicas);
    },
  );
});

describe("what spec.typha cannot do", () => {
  const codes = (nodes: number, cluster: Obj) =>
    build(nodes, cluster).diagnostics.map((d) => [d.code, d.line, d.data]);

  it("replicas or enabled: false with install: operator is an error at the field", () => {
    expect(codes(3, { install: "operator", typha: { enabled: false, replicas: 2 } })).toEqual([
      ["NC3060", 9, { field: "enabled: false" }],
      ["NC3060", 10, { field: "replicas" }],
    ]);
    expect(codes(3, { install: "operator", typha: { enabled: true } })).toEqual([]);
  });

  it("more replicas than nodes is a warning: one Typha per node (host port 5473)", () => {
    expect(codes(2, { typha: { replicas: 3 } })).toEqual([
      ["NC3061", 8, { replicas: 3, nodes: 2 }],
    ]);
    expect(codes(3, { typha: { replicas: 3 } })).toEqual([]);
  });

  it("Typha off above 100 nodes is a warning; replicas with enabled: false has no effect", () => {
    expect(codes(101, { typha: { enabled: false } })).toEqual([
      ["NC3062", 8, { nodes: 101, essential: 100 }],
    ]);
    expect(codes(100, { typha: { enabled: false } })).toEqual([]);
    expect(codes(3, { typha: { enabled: false, replicas: 1 } })).toEqual([["NC3063", 9, {}]]);
  });
});

// ---------------------------------------------------------------------------------------------

describe("calico-typha against upstream's facts", () => {
  const files = () => rendered(TYPHA_NODE_THRESHOLD + 1);

  it("has upstream's Service and PodDisruptionBudget, labelled", () => {
    const objects = typhaObjects(files());
    const service = find(objects, "Service");
    expect(service.spec).toEqual(UPSTREAM.service);
    expect(find(objects, "PodDisruptionBudget").spec).toEqual(UPSTREAM.podDisruptionBudget);
    for (const object of objects!) {
      expect(object.metadata).toEqual({
        name: "calico-typha",
        namespace: "kube-system",
        labels: { "k8s-app": "calico-typha", [MANAGED_BY]: "netcompile" },
      });
    }
  });

  it("runs Typha as upstream: host network, calico-node's ServiceAccount, port 5473, probes, env", () => {
    const deployment = find<Workload>(typhaObjects(files()), "Deployment");
    const { deployment: up } = UPSTREAM;
    expect(deployment.spec).toMatchObject({
      revisionHistoryLimit: up.revisionHistoryLimit,
      selector: up.selector,
      strategy: up.strategy,
    });
    const pod = deployment.spec.template.spec;
    expect(pod).toMatchObject({
      hostNetwork: up.hostNetwork,
      terminationGracePeriodSeconds: up.terminationGracePeriodSeconds,
      serviceAccountName: up.serviceAccountName,
      priorityClassName: up.priorityClassName,
    });
    const container = pod.containers[0] as unknown as Obj & { env: EnvVar[] };
    expect(pod.containers.map((c) => c.name)).toEqual(["calico-typha"]);
    expect(container.image).toBe(up.image);
    expect(container.ports).toEqual(up.ports);
    expect(Object.fromEntries(container.env.map((e) => [e.name, e.value]))).toEqual(up.env);
    expect(container.env.map((e) => e.name)).toEqual(Object.keys(up.env));
    for (const [probe, get] of Object.entries(up.probes))
      expect((container[probe] as { httpGet: unknown }).httpGet).toEqual(get);
    // Typha's shutdown timeout is its grace period: upstream keeps the two equal.
    expect(Number(up.env.TYPHA_SHUTDOWNTIMEOUTSECS)).toBe(up.terminationGracePeriodSeconds);
  });

  it("is served by calico-node's ServiceAccount, which calico-node.yaml renders", () => {
    const accounts = rendered(TYPHA_NODE_THRESHOLD + 1)
      .get("manifests/calico-node.yaml")!
      .filter((o) => o.kind === "ServiceAccount")
      .map((o) => o.metadata.name);
    expect(accounts).toContain(UPSTREAM.deployment.serviceAccountName);
  });

  it("points calico-node's Felix at Typha right after DATASTORE_TYPE, as upstream", () => {
    const env = calicoNodeEnv(files());
    const at = env.findIndex((e) => e.name === UPSTREAM.calicoNodeEnv.env.name);
    expect(env[at - 1]?.name).toBe(UPSTREAM.calicoNodeEnv.after);
    expect(env[at]).toEqual(UPSTREAM.calicoNodeEnv.env);
  });
});

const typhaReference = referenceFile("calico-typha.yaml");
const calicoReference = referenceFile("calico.yaml");

describe.skipIf(typhaReference.missing)(
  `calico-typha against upstream's calico-typha.yaml${typhaReference.missing ? ` (skipped: ${typhaReference.missing})` : ""}`,
  () => {
    const upstream = () => docsOf(readFileSync(typhaReference.path!, "utf8"));
    const upstreamObject = <T extends K8sObject>(kind: string, name: string): T =>
      upstream().find((d) => d.kind === kind && d.metadata.name === name) as T;
    const withoutLabel = <T extends K8sObject>(object: T): T => {
      const copy = structuredClone(object);
      delete copy.metadata.labels?.[MANAGED_BY];
      return copy;
    };

    it("the facts above are upstream's", () => {
      const deployment = upstreamObject<Workload>("Deployment", "calico-typha");
      const container = deployment.spec.template.spec.containers[0] as unknown as Obj & {
        env: EnvVar[];
      };
      expect(upstreamObject("Service", "calico-typha").spec).toEqual(UPSTREAM.service);
      expect(upstreamObject("PodDisruptionBudget", "calico-typha").spec).toEqual(
        UPSTREAM.podDisruptionBudget,
      );
      expect(container.image).toBe(UPSTREAM.deployment.image);
      expect(Object.fromEntries(container.env.map((e) => [e.name, e.value]))).toEqual(
        UPSTREAM.deployment.env,
      );
      expect(upstreamObject("ConfigMap", "calico-config").data?.typha_service_name).toBe(
        UPSTREAM.typhaServiceName,
      );
      const nodeEnv =
        upstreamObject<Workload>("DaemonSet", "calico-node").spec.template.spec.containers[0]!
          .env ?? [];
      const at = nodeEnv.findIndex((e) => e.name === UPSTREAM.calicoNodeEnv.env.name);
      expect(nodeEnv[at - 1]?.name).toBe(UPSTREAM.calicoNodeEnv.after);
      expect(nodeEnv[at]).toEqual(UPSTREAM.calicoNodeEnv.env);
    });

    it("Service, Deployment and PodDisruptionBudget are upstream's, field for field, but for replicas and the managed-by label", () => {
      const ours = typhaObjects(rendered(TYPHA_NODE_THRESHOLD + 1))!;
      for (const object of ours) {
        const mine = withoutLabel(object);
        const theirs = upstreamObject(object.kind, object.metadata.name);
        if (object.kind === "Deployment") (mine as Workload).spec.replicas = 1;
        expect(mine, object.kind).toEqual(theirs);
      }
    });

    it.skipIf(calicoReference.missing)(
      "calico-node with Typha differs from calico-node without it exactly as upstream's two manifests do",
      () => {
        const names = (files: Map<string, K8sObject[]>) => calicoNodeEnv(files).map((e) => e.name);
        const upstreamNames = (docs: K8sObject[]) =>
          (
            (docs.find((d) => d.kind === "DaemonSet") as Workload).spec.template.spec.containers[0]!
              .env ?? []
          ).map((e) => e.name);
        const added = (before: string[], after: string[]) =>
          after.filter((n) => !before.includes(n));
        const removed = (before: string[], after: string[]) =>
          before.filter((n) => !after.includes(n));
        const ours = [
          names(rendered(TYPHA_NODE_THRESHOLD)),
          names(rendered(TYPHA_NODE_THRESHOLD + 1)),
        ];
        const theirs = [
          upstreamNames(docsOf(readFileSync(calicoReference.path!, "utf8"))),
          upstreamNames(upstream()),
        ];
        expect(added(ours[0]!, ours[1]!)).toEqual(added(theirs[0]!, theirs[1]!));
        expect(removed(ours[0]!, ours[1]!)).toEqual(removed(theirs[0]!, theirs[1]!));
      },
    );
  },
);
