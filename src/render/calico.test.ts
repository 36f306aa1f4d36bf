/**
 * The Calico manifests: calico-node against upstream's own manifests (structure, not text), the
 * operator Installation against the operator's CRD schema, and quoting of hostile values.
 *
 * Upstream references (Calico v3.31.7): calico.yaml (backend bird) and calico-vxlan.yaml
 * (backend vxlan), and the operator's installations CRD. They are read from
 * the reference folder (test/reference.ts: NETCOMPILE_CALICO_REFERENCE), never copied into the
 * repository; without them those comparisons report themselves skipped, with the reason.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments, stringify } from "yaml";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { BASE_REPO } from "../policy/tester.js";
import { installationCRD, validateInstallation } from "../../test/installation-crd.js";
import { referenceFile } from "../../test/reference.js";

// ---------------------------------------------------------------------------------------------
// Shapes read back from YAML (only the fields the tests look at).

interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  spec?: unknown;
}
interface EnvVar {
  name: string;
  value?: unknown;
  valueFrom?: unknown;
}
interface Probe {
  exec: { command: string[] };
}
interface Container {
  name: string;
  image: string;
  env?: EnvVar[];
  volumeMounts?: { name: string }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
}
interface DaemonSet extends K8sObject {
  spec: {
    template: {
      metadata?: Metadata;
      spec: { initContainers: Container[]; containers: Container[]; volumes: { name: string }[] };
    };
  };
}
interface OperatorPool {
  name: string;
  cidr: string;
  blockSize: number;
  encapsulation: string;
  natOutgoing: string;
  nodeSelector: string;
  disableBGPExport: boolean;
  disableNewAllocations: boolean;
  allowedUses: string[];
  assignmentMode: string;
}
interface Installation extends K8sObject {
  spec: {
    calicoNetwork: {
      bgp: string;
      mtu: number;
      ipPools: OperatorPool[];
      nodeAddressAutodetectionV4?: { cidrs?: string[]; firstFound?: boolean };
      nodeAddressAutodetectionV6?: { cidrs?: string[]; firstFound?: boolean };
    };
  };
}

const MANAGED_BY = "app.kubernetes.io/managed-by";
const CONFIG_HASH = "netcompile.dev/config-hash";

// ---------------------------------------------------------------------------------------------
// Inline repositories (changesets' testdir habit: the case is readable where it is asserted).

type Obj = Record<string, unknown>;

const twoSubnets: Obj = {
  underlay: { routesWorkloadIPs: false },
  subnets: [
    { name: "az-a", cidr: "10.0.1.0/24" },
    { name: "az-b", cidr: "10.0.2.0/24" },
  ],
  nodes: [
    { name: "node-a", address: "10.0.1.10" },
    { name: "node-b", address: "10.0.2.10" },
  ],
};

function pool(name: string, spec: Obj, metadata: Obj = {}): Obj {
  return {
    apiVersion: "projectcalico.org/v3",
    kind: "IPPool",
    metadata: { name, ...metadata },
    spec,
  };
}

interface RepoSpec {
  readonly cluster?: Obj;
  readonly networking?: Obj;
  readonly topology?: Obj;
  readonly pools: readonly Obj[];
}

function repo({
  cluster = {},
  networking = {},
  topology = twoSubnets,
  pools,
}: RepoSpec): MemoryRepoReader {
  const files: Record<string, string> = {
    "netcompile.yaml": stringify({
      apiVersion: "netcompile.dev/v1alpha1",
      kind: "Cluster",
      metadata: { name: "test" },
      spec: {
        provider: "bare-metal",
        install: "manifest",
        networking: { underlayMTU: 1500, ...networking },
        ...cluster,
      },
    }),
    "topology.yaml": stringify({
      apiVersion: "netcompile.dev/v1alpha1",
      kind: "Topology",
      metadata: { name: "underlay" },
      spec: topology,
    }),
  };
  if (pools.length) files["pools.yaml"] = pools.map((p) => stringify(p)).join("---\n");
  return new MemoryRepoReader(files);
}

/** Compiles and renders the manifests; fails the test with the diagnostics when anything is wrong. */
function manifests(spec: RepoSpec): Map<string, string> {
  const result = compile(repo(spec), { render: "manifests" });
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  expect(errors.map((d) => `${d.code} ${d.file}:${d.line}: ${d.message}`)).toEqual([]);
  expect(result.files).toBeDefined();
  return new Map(result.files!.map((f) => [f.path, f.content]));
}

/** Parses a YAML stream strictly; `version: "1.1"` reads it as Kubernetes' YAML 1.1 parser would. */
function docsOf(content: string, version: "1.1" | "1.2" = "1.2"): K8sObject[] {
  const docs = parseAllDocuments(content, { uniqueKeys: true, version });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    expect(doc.errors.map((e) => e.message)).toEqual([]);
    expect(doc.warnings.map((e) => e.message)).toEqual([]);
  }
  return list
    .map((d) => d.toJS({ maxAliasCount: 0 }) as K8sObject | null)
    .filter((d): d is K8sObject => d !== null);
}

function file(files: Map<string, string>, path: string): string {
  const content = files.get(path);
  if (content === undefined)
    throw new Error(`${path} was not rendered (got ${[...files.keys()].join(", ")})`);
  return content;
}

function find<T extends K8sObject>(docs: readonly K8sObject[], kind: string, name: string): T {
  const found = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name}`);
  return found as T;
}

// ---------------------------------------------------------------------------------------------
// Upstream

const upstreamCache = new Map<string, K8sObject[]>();
function upstream(fileName: "calico.yaml" | "calico-vxlan.yaml"): K8sObject[] {
  let docs = upstreamCache.get(fileName);
  if (!docs) {
    const found = referenceFile(fileName);
    if (!found.path) throw new Error(found.missing);
    docs = docsOf(readFileSync(found.path, "utf8"));
    upstreamCache.set(fileName, docs);
  }
  return docs;
}

/**
 * The calico-node container's env vars that deliberately differ from upstream. Every other env
 * var, init container, container, volume, volumeMount and probe must match upstream exactly.
 */
const DROPPED_ENV = [
  // Settings for the default pool calico-node would create; netcompile owns the pools (ippools.yaml).
  "CALICO_IPV4POOL_IPIP",
  "CALICO_IPV4POOL_VXLAN",
  "CALICO_IPV6POOL_VXLAN",
] as const;
const ADDED_ENV = [
  // The node address is the one inside the topology's subnets, not the first interface found.
  "IP_AUTODETECTION_METHOD",
  // calico-node must not create a default pool beside netcompile's.
  "NO_DEFAULT_POOLS",
] as const;
/** Present in both, value decided by netcompile: "k8s,bgp" only when BIRD runs (upstream's vxlan keeps it). */
const VALUE_FROM_MODEL = ["CLUSTER_TYPE"] as const;

const names = (items: readonly { name: string }[] | undefined): string[] =>
  (items ?? []).map((i) => i.name);
const allContainers = (ds: DaemonSet): Container[] => [
  ...ds.spec.template.spec.initContainers,
  ...ds.spec.template.spec.containers,
];
const envOf = (ds: DaemonSet, container: string): EnvVar[] =>
  allContainers(ds).find((c) => c.name === container)?.env ?? [];

/** A deep copy without env lists and without netcompile's label: what must equal upstream verbatim. */
function withoutEnvAndLabel<T extends K8sObject>(object: T): T {
  const copy = structuredClone(object);
  if (copy.metadata.labels) delete copy.metadata.labels[MANAGED_BY];
  if (copy.metadata.labels && Object.keys(copy.metadata.labels).length === 0)
    delete copy.metadata.labels;
  if (copy.kind === "DaemonSet") {
    const template = (copy as unknown as DaemonSet).spec.template;
    for (const c of allContainers(copy as unknown as DaemonSet)) delete c.env;
    // Ours rolls the DaemonSet when calico-config changes (the hash of calico-config).
    delete template.metadata?.annotations?.[CONFIG_HASH];
    if (template.metadata?.annotations && Object.keys(template.metadata.annotations).length === 0)
      delete template.metadata.annotations;
  }
  return copy;
}

const birdRepo: RepoSpec = {
  pools: [
    pool("cross-subnet", { cidr: "192.168.0.0/16", ipipMode: "CrossSubnet", natOutgoing: true }),
  ],
};
const vxlanRepo: RepoSpec = {
  networking: { backend: "vxlan" },
  pools: [pool("vxlan-always", { cidr: "192.168.0.0/16", vxlanMode: "Always", natOutgoing: true })],
};

const variants = [
  { backend: "bird", reference: "calico.yaml", spec: birdRepo, clusterType: "k8s,bgp" },
  { backend: "vxlan", reference: "calico-vxlan.yaml", spec: vxlanRepo, clusterType: "k8s" },
] as const;

// Without the upstream file the comparisons report themselves skipped, with the reason.
for (const { backend, reference, spec, clusterType } of variants) {
  const { missing } = referenceFile(reference);
  describe.skipIf(missing !== undefined)(
    `calico-node ('${backend}') against upstream '${reference}'${missing ? ` (skipped: ${missing})` : ""}`,
    () => {
      const ours = () => docsOf(file(manifests(spec), "manifests/calico-node.yaml"));
      const ourDaemonSet = () => find<DaemonSet>(ours(), "DaemonSet", "calico-node");
      const theirDaemonSet = () => find<DaemonSet>(upstream(reference), "DaemonSet", "calico-node");

      it("renders the backend the test means", () => {
        const config = docsOf(file(manifests(spec), "manifests/calico-config.yaml"))[0]!;
        expect(
          (config as unknown as { data: { calico_backend: string } }).data.calico_backend,
        ).toBe(backend);
      });

      it("has the same init containers, containers and volumes", () => {
        const ds = ourDaemonSet();
        const up = theirDaemonSet();
        expect(names(ds.spec.template.spec.initContainers)).toEqual(
          names(up.spec.template.spec.initContainers),
        );
        expect(names(ds.spec.template.spec.containers)).toEqual(
          names(up.spec.template.spec.containers),
        );
        expect(names(ds.spec.template.spec.volumes)).toEqual(names(up.spec.template.spec.volumes));
      });

      it("mounts the same volumes in every container", () => {
        const ds = ourDaemonSet();
        const up = theirDaemonSet();
        for (const container of allContainers(up)) {
          const mine = allContainers(ds).find((c) => c.name === container.name);
          expect(names(mine?.volumeMounts), container.name).toEqual(names(container.volumeMounts));
        }
      });

      it("sets the same env vars, less and plus the listed differences", () => {
        const ds = ourDaemonSet();
        const up = theirDaemonSet();
        for (const container of allContainers(up)) {
          const theirs = names(container.env);
          const mine = names(envOf(ds, container.name));
          if (container.name === "calico-node") {
            expect(theirs).toEqual(expect.arrayContaining([...DROPPED_ENV]));
            expect(
              mine.filter((n) => !(ADDED_ENV as readonly string[]).includes(n)),
              container.name,
            ).toEqual(theirs.filter((n) => !(DROPPED_ENV as readonly string[]).includes(n)));
            expect(mine).toEqual(expect.arrayContaining([...ADDED_ENV]));
          } else {
            expect(mine, container.name).toEqual(theirs);
          }
        }
      });

      it("gives every shared env var upstream's value, except the model-driven ones", () => {
        const ds = ourDaemonSet();
        for (const container of allContainers(theirDaemonSet())) {
          const mine = new Map(envOf(ds, container.name).map((e) => [e.name, e]));
          for (const theirs of container.env ?? []) {
            if (
              (VALUE_FROM_MODEL as readonly string[]).includes(theirs.name) ||
              !mine.has(theirs.name)
            )
              continue;
            expect(mine.get(theirs.name), `${container.name} ${theirs.name}`).toEqual(theirs);
          }
        }
        const env = new Map(envOf(ds, "calico-node").map((e) => [e.name, e.value]));
        expect(env.get("CLUSTER_TYPE")).toBe(clusterType);
        expect(env.get("NO_DEFAULT_POOLS")).toBe("true");
        expect(env.get("IP_AUTODETECTION_METHOD")).toBe("cidr=10.0.1.0/24,10.0.2.0/24");
      });

      it("probes exactly as upstream: BIRD flags only with BIRD", () => {
        const mine = ourDaemonSet().spec.template.spec.containers[0]!;
        const theirs = theirDaemonSet().spec.template.spec.containers[0]!;
        expect(mine.livenessProbe).toEqual(theirs.livenessProbe);
        expect(mine.readinessProbe).toEqual(theirs.readinessProbe);
        const flags = [...mine.livenessProbe!.exec.command, ...mine.readinessProbe!.exec.command];
        if (backend === "bird")
          expect(flags).toEqual(expect.arrayContaining(["-bird-live", "-bird-ready"]));
        else expect(flags.filter((f) => f.startsWith("-bird"))).toEqual([]);
      });

      it("is upstream's object, field for field, apart from env, the managed-by label and the config hash", () => {
        const ds = ourDaemonSet();
        expect(ds.metadata.labels?.[MANAGED_BY]).toBe("netcompile");
        expect(withoutEnvAndLabel(ds)).toEqual(withoutEnvAndLabel(theirDaemonSet()));
      });

      it("carries upstream's ServiceAccounts, labelled", () => {
        for (const name of ["calico-node", "calico-cni-plugin"]) {
          const mine = find(ours(), "ServiceAccount", name);
          expect(mine.metadata.labels?.[MANAGED_BY]).toBe("netcompile");
          expect(withoutEnvAndLabel(mine)).toEqual(
            find(upstream(reference), "ServiceAccount", name),
          );
        }
      });

      it("gives every env var a string value (Kubernetes rejects anything else)", () => {
        for (const container of allContainers(ourDaemonSet())) {
          for (const e of container.env ?? []) {
            if (e.valueFrom === undefined)
              expect(typeof e.value, `${container.name} ${e.name}`).toBe("string");
          }
        }
      });
    },
  );
}

describe("calico-node with IPv6", () => {
  const dualStack: RepoSpec = {
    topology: {
      subnets: [
        { name: "v4", cidr: "10.0.1.0/24" },
        { name: "v6", cidr: "fd00:1::/64" },
      ],
      nodes: [{ name: "node-a", address: "10.0.1.10", addressV6: "fd00:1::10" }],
    },
    pools: [
      pool("v4", { cidr: "192.168.0.0/16", ipipMode: "CrossSubnet", natOutgoing: true }),
      pool("v6", { cidr: "fd00:10::/48", vxlanMode: "CrossSubnet" }),
    ],
  };

  const env = (spec: RepoSpec) => {
    const ds = find<DaemonSet>(
      docsOf(file(manifests(spec), "manifests/calico-node.yaml")),
      "DaemonSet",
      "calico-node",
    );
    return new Map(envOf(ds, "calico-node").map((e) => [e.name, e]));
  };

  it("autodetects an IPv6 address in the topology's IPv6 subnets and turns IPv6 on in Felix", () => {
    const vars = env(dualStack);
    expect(vars.get("IP")?.value).toBe("autodetect");
    expect(vars.get("IP_AUTODETECTION_METHOD")?.value).toBe("cidr=10.0.1.0/24");
    expect(vars.get("IP6")?.value).toBe("autodetect");
    expect(vars.get("IP6_AUTODETECTION_METHOD")?.value).toBe("cidr=fd00:1::/64");
    expect(vars.get("FELIX_IPV6SUPPORT")?.value).toBe("true");
    expect(vars.get("FELIX_VXLANMTUV6")?.valueFrom).toEqual({
      configMapKeyRef: { name: "calico-config", key: "veth_mtu" },
    });
    expect(vars.has("CALICO_ROUTER_ID")).toBe(false);
  });

  it("leaves IPv6 out entirely for an IPv4-only cluster", () => {
    const vars = env(birdRepo);
    expect(vars.get("FELIX_IPV6SUPPORT")?.value).toBe("false");
    for (const name of [
      "IP6",
      "IP6_AUTODETECTION_METHOD",
      "FELIX_VXLANMTUV6",
      "FELIX_WIREGUARDMTUV6",
    ]) {
      expect(vars.has(name), name).toBe(false);
    }
  });

  it("has no IPv4 address and a hashed BGP router id when only IPv6 pools exist", () => {
    const vars = env({
      topology: {
        subnets: [{ name: "v6", cidr: "fd00:1::/64" }],
        nodes: [{ name: "node-a", address: "fd00:1::10" }],
      },
      pools: [pool("v6", { cidr: "fd00:10::/48" })],
    });
    expect(vars.get("IP")?.value).toBe("none");
    expect(vars.has("IP_AUTODETECTION_METHOD")).toBe(false);
    expect(vars.get("CALICO_ROUTER_ID")?.value).toBe("hash");
  });
});

describe("MTUs agree everywhere", () => {
  it("sets every tunnel MTU in FelixConfiguration to veth_mtu, which calico-node's env vars also read", () => {
    const files = manifests({
      networking: { underlayMTU: 9001 },
      pools: [
        pool("ipip", { cidr: "192.168.0.0/17", ipipMode: "CrossSubnet" }),
        pool("vxlan", { cidr: "192.168.128.0/17", vxlanMode: "CrossSubnet" }),
      ],
    });
    const config = docsOf(file(files, "manifests/calico-config.yaml"))[0] as unknown as {
      data: { veth_mtu: string };
    };
    expect(config.data.veth_mtu).toBe("8951");
    const felix = docsOf(file(files, "manifests/felixconfiguration.yaml"))[0] as unknown as {
      spec: Obj;
    };
    expect(felix.spec).toMatchObject({ ipipMTU: 8951, vxlanMTU: 8951, vxlanMTUV6: 8951 });
  });
});

describe("WireGuard (networking.wireguard)", () => {
  const vxlan = pool("vxlan", { cidr: "192.168.0.0/16", vxlanMode: "Always" });
  const felixSpec = (files: Map<string, string>) =>
    (docsOf(file(files, "manifests/felixconfiguration.yaml"))[0] as unknown as { spec: Obj }).spec;
  const vethMTU = (files: Map<string, string>) =>
    (
      docsOf(file(files, "manifests/calico-config.yaml"))[0] as unknown as {
        data: { veth_mtu: string };
      }
    ).data.veth_mtu;

  it("is off unless asked: no WireGuard field in FelixConfiguration, the pod MTU leaves room for VXLAN only", () => {
    const files = manifests({ pools: [vxlan] });
    expect(Object.keys(felixSpec(files)).filter((k) => k.startsWith("wireguard"))).toEqual([]);
    expect(vethMTU(files)).toBe("1450");
  });

  it("IPv4: wireguardEnabled, and the pod MTU leaves Felix's 60 bytes (1500 - 60), read by FELIX_WIREGUARDMTU", () => {
    const files = manifests({ networking: { wireguard: { ipv4: true } }, pools: [vxlan] });
    expect(felixSpec(files)).toMatchObject({
      wireguardEnabled: true,
      wireguardEnabledV6: false,
      wireguardMTU: 1440,
      wireguardMTUV6: 1440,
      vxlanMTU: 1440,
    });
    expect(vethMTU(files)).toBe("1440");
    expect(file(files, "manifests/calico-node.yaml")).toContain(
      "- name: FELIX_WIREGUARDMTU\n              valueFrom:\n                configMapKeyRef:\n                  name: calico-config\n                  key: veth_mtu",
    );
  });

  it("IPv6 on dual-stack nodes: wireguardEnabledV6, and the pod MTU leaves 80 bytes (1500 - 80)", () => {
    const files = manifests({
      networking: { wireguard: { ipv4: true, ipv6: true } },
      topology: {
        underlay: { routesWorkloadIPs: false },
        subnets: [
          { name: "lan", cidr: "10.0.1.0/24" },
          { name: "lan-v6", cidr: "fd00:1::/64" },
        ],
        nodes: [
          { name: "node-a", address: "10.0.1.10", addressV6: "fd00:1::10" },
          { name: "node-b", address: "10.0.1.11", addressV6: "fd00:1::11" },
        ],
      },
      pools: [vxlan, pool("v6", { cidr: "fd00:244::/48", vxlanMode: "Always" })],
    });
    expect(felixSpec(files)).toMatchObject({ wireguardEnabled: true, wireguardEnabledV6: true });
    expect(vethMTU(files)).toBe("1420");
  });
});

describe("FelixConfiguration awsSrcDstCheck", () => {
  const felixSpec = (cluster: Obj, ...pools: Obj[]) =>
    (
      docsOf(
        file(
          manifests({ cluster: { provider: "aws", ...cluster }, pools }),
          "manifests/felixconfiguration.yaml",
        ),
      )[0] as unknown as { spec: Obj }
    ).spec;
  const crossSubnet = pool("p", { cidr: "192.168.0.0/16", ipipMode: "CrossSubnet" });

  it("is Disable on AWS when a pool sends unencapsulated and the Cluster says nothing", () => {
    expect(felixSpec({}, crossSubnet).awsSrcDstCheck).toBe("Disable");
    expect(felixSpec({ aws: { sourceDestCheck: "enabled" } }, crossSubnet).awsSrcDstCheck).toBe(
      "Disable",
    );
  });

  it("is left out when the Cluster says the instances have the check off already", () => {
    expect(felixSpec({ aws: { sourceDestCheck: "disabled" } }, crossSubnet)).not.toHaveProperty(
      "awsSrcDstCheck",
    );
  });

  it("is left out when every pool encapsulates everything, and counts a disabled pool", () => {
    const always = pool("a", { cidr: "10.244.0.0/16", ipipMode: "Always" });
    expect(felixSpec({}, always)).not.toHaveProperty("awsSrcDstCheck");
    const disabled = pool("old", {
      cidr: "192.168.0.0/16",
      ipipMode: "CrossSubnet",
      disabled: true,
    });
    expect(felixSpec({}, always, disabled).awsSrcDstCheck).toBe("Disable");
  });
});

describe("calico-node restarts when calico-config changes", () => {
  const hashOf = (files: Map<string, string>) => {
    const ds = find<DaemonSet>(
      docsOf(file(files, "manifests/calico-node.yaml")),
      "DaemonSet",
      "calico-node",
    );
    return (ds.spec.template as { metadata: Metadata }).metadata.annotations?.[
      "netcompile.dev/config-hash"
    ];
  };
  const spec = (networking: Obj = {}): RepoSpec => ({
    networking,
    pools: [pool("p", { cidr: "192.168.0.0/16", ipipMode: "CrossSubnet" })],
  });

  it("annotates the pod template with the SHA-256 of the rendered calico-config", () => {
    const files = manifests(spec());
    const expected = createHash("sha256")
      .update(file(files, "manifests/calico-config.yaml"))
      .digest("hex");
    expect(hashOf(files)).toBe(expected);
  });

  it("changes the hash (and so rolls the DaemonSet) when veth_mtu changes, and only then", () => {
    const base = hashOf(manifests(spec()));
    expect(hashOf(manifests(spec({ underlayMTU: 9001 })))).not.toBe(base);
    // FelixConfiguration is watched by Felix: a change there needs no restart.
    expect(hashOf(manifests(spec({ vxlanPort: 4790 })))).toBe(base);
  });
});

describe("disabled pools, as Felix and BIRD still carry them", () => {
  it("keeps IP-in-IP on, BIRD running and the IP-in-IP pool's MTU while a disabled IP-in-IP pool remains", () => {
    const files = manifests({
      pools: [
        pool("old", { cidr: "192.168.0.0/16", ipipMode: "CrossSubnet", disabled: true }),
        pool("new", { cidr: "10.244.0.0/16", vxlanMode: "CrossSubnet" }),
      ],
    });
    const felix = docsOf(file(files, "manifests/felixconfiguration.yaml"))[0] as unknown as {
      spec: Obj;
    };
    expect(felix.spec).toMatchObject({ ipipEnabled: true, vxlanEnabled: true });
    const config = docsOf(file(files, "manifests/calico-config.yaml"))[0] as unknown as {
      data: Record<string, string>;
    };
    expect([config.data.calico_backend, config.data.veth_mtu]).toEqual(["bird", "1450"]);
  });

  it("turns VXLAN on for a disabled VXLAN pool", () => {
    const files = manifests({
      pools: [
        pool("old", { cidr: "192.168.0.0/16", vxlanMode: "Always", disabled: true }),
        pool("new", { cidr: "10.244.0.0/16", ipipMode: "CrossSubnet" }),
      ],
    });
    const felix = docsOf(file(files, "manifests/felixconfiguration.yaml"))[0] as unknown as {
      spec: Obj;
    };
    expect(felix.spec).toMatchObject({ ipipEnabled: true, vxlanEnabled: true, vxlanMTU: 1450 });
  });

  it("counts a disabled IPv6 VXLAN pool in its own family, beside WireGuard over IPv4 (1500 - 70, not 1500 - 60)", () => {
    const files = manifests({
      networking: { wireguard: { ipv4: true } },
      topology: {
        underlay: { routesWorkloadIPs: false },
        subnets: [
          { name: "lan", cidr: "10.0.1.0/24" },
          { name: "lan-v6", cidr: "fd00:1::/64" },
        ],
        nodes: [
          { name: "node-a", address: "10.0.1.10", addressV6: "fd00:1::10" },
          { name: "node-b", address: "10.0.1.11", addressV6: "fd00:1::11" },
        ],
      },
      pools: [
        pool("v4", { cidr: "192.168.0.0/16", vxlanMode: "Always" }),
        pool("old-v6", { cidr: "fd00:244::/48", vxlanMode: "Always", disabled: true }),
      ],
    });
    const config = docsOf(file(files, "manifests/calico-config.yaml"))[0] as unknown as {
      data: Record<string, string>;
    };
    expect(config.data.veth_mtu).toBe("1430");
  });
});

// ---------------------------------------------------------------------------------------------
// The operator's Installation

function installation(spec: RepoSpec): { files: Map<string, string>; object: Installation } {
  const files = manifests({ ...spec, cluster: { ...spec.cluster, install: "operator" } });
  const docs = docsOf(file(files, "manifests/installation.yaml"));
  expect(docs).toHaveLength(1);
  return { files, object: docs[0] as Installation };
}

const oneSubnet: Obj = {
  underlay: { routesWorkloadIPs: false },
  subnets: [{ name: "lan", cidr: "10.0.1.0/24" }],
  nodes: [
    { name: "node-a", address: "10.0.1.10" },
    { name: "node-b", address: "10.0.1.11" },
  ],
};

const encapsulationModes = [
  { mode: "IPIP", pool: { ipipMode: "Always" }, bgp: "Enabled", mtu: 1480, topology: twoSubnets },
  {
    mode: "IPIPCrossSubnet",
    pool: { ipipMode: "CrossSubnet" },
    bgp: "Enabled",
    mtu: 1480,
    topology: twoSubnets,
  },
  {
    mode: "VXLAN",
    pool: { vxlanMode: "Always" },
    bgp: "Disabled",
    mtu: 1450,
    topology: twoSubnets,
  },
  {
    mode: "VXLANCrossSubnet",
    pool: { vxlanMode: "CrossSubnet" },
    bgp: "Disabled",
    mtu: 1450,
    topology: twoSubnets,
  },
  // No encapsulation is only sound where the underlay carries pod addresses: one L2 subnet here.
  { mode: "None", pool: {}, bgp: "Enabled", mtu: 1500, topology: oneSubnet },
] as const;

/**
 * The operator's CRD accepts the Installation. Without the CRD file the rendered fields are
 * still asserted; the CRD part is reported skipped by "the schema check is real", with the reason.
 */
function expectOperatorAccepts(object: unknown): void {
  if (installationCRD.path !== undefined) expect(validateInstallation(object)).toEqual([]);
}

describe("Installation (install: operator)", () => {
  it.each(encapsulationModes)(
    "renders a $mode pool with bgp $bgp and mtu $mtu",
    ({ mode, pool: modes, bgp, mtu, topology }) => {
      const { object } = installation({
        topology,
        pools: [pool("pods", { cidr: "192.168.0.0/16", natOutgoing: true, ...modes })],
      });
      expect(object.apiVersion).toBe("operator.tigera.io/v1");
      expect(object.metadata).toEqual({ name: "default", labels: { [MANAGED_BY]: "netcompile" } });
      const network = object.spec.calicoNetwork;
      expect(network.bgp).toBe(bgp);
      expect(network.mtu).toBe(mtu);
      expect(network.ipPools).toEqual([
        {
          name: "pods",
          cidr: "192.168.0.0/16",
          blockSize: 26,
          encapsulation: mode,
          natOutgoing: "Enabled",
          nodeSelector: "all()",
          disableBGPExport: false,
          disableNewAllocations: false,
          allowedUses: ["Workload", "Tunnel"],
          assignmentMode: "Automatic",
        },
      ]);
      expectOperatorAccepts(object);
    },
  );

  it("pins node address detection to the topology's subnets", () => {
    const { object } = installation(birdRepo);
    expect(object.spec.calicoNetwork.nodeAddressAutodetectionV4).toEqual({
      cidrs: ["10.0.1.0/24", "10.0.2.0/24"],
    });
    expect(object.spec.calicoNetwork.nodeAddressAutodetectionV6).toBeUndefined();
  });

  it("lists pools sorted by name, keeps a disabled pool with disableNewAllocations, and carries the pool fields", () => {
    const { object } = installation({
      pools: [
        pool("zeta", { cidr: "10.244.0.0/16", ipipMode: "CrossSubnet", disabled: true }),
        pool("alpha", {
          cidr: "192.168.0.0/16",
          ipipMode: "CrossSubnet",
          blockSize: 24,
          natOutgoing: false,
          disableBGPExport: true,
          nodeSelector: "zone == 'a'",
          allowedUses: ["Workload"],
        }),
      ],
    });
    const pools = object.spec.calicoNetwork.ipPools;
    expect(pools.map((p) => p.name)).toEqual(["alpha", "zeta"]);
    expect(pools[0]).toMatchObject({
      blockSize: 24,
      natOutgoing: "Disabled",
      disableBGPExport: true,
      nodeSelector: "zone == 'a'",
      allowedUses: ["Workload"],
      disableNewAllocations: false,
    });
    expect(pools[1]).toMatchObject({ disableNewAllocations: true, natOutgoing: "Disabled" });
    expectOperatorAccepts(object);
  });

  it("writes an empty pool list, not an absent one, when the repository has no pools", () => {
    const { object } = installation({ pools: [] });
    expect(object.spec.calicoNetwork.ipPools).toEqual([]);
    expectOperatorAccepts(object);
  });

  it("detects IPv6 node addresses in the IPv6 subnets for a dual-stack cluster", () => {
    const { object } = installation({
      topology: {
        subnets: [
          { name: "v4", cidr: "10.0.1.0/24" },
          { name: "v6", cidr: "fd00:1::/64" },
        ],
        nodes: [{ name: "node-a", address: "10.0.1.10", addressV6: "fd00:1::10" }],
      },
      pools: [
        pool("v4", { cidr: "192.168.0.0/16", ipipMode: "CrossSubnet" }),
        pool("v6", { cidr: "fd00:10::/48", vxlanMode: "CrossSubnet" }),
      ],
    });
    expect(object.spec.calicoNetwork.nodeAddressAutodetectionV6).toEqual({
      cidrs: ["fd00:1::/64"],
    });
    expect(
      object.spec.calicoNetwork.ipPools.map((p) => [p.name, p.blockSize, p.encapsulation]),
    ).toEqual([
      ["v4", 26, "IPIPCrossSubnet"],
      ["v6", 122, "VXLANCrossSubnet"],
    ]);
    expectOperatorAccepts(object);
  });

  it("renders no IPPool objects or calico-node beside the Installation: the operator owns them", () => {
    const { files } = installation(birdRepo);
    expect([...files.keys()].sort()).toEqual([
      "manifests/apiserver.yaml",
      "manifests/felixconfiguration.yaml",
      "manifests/installation.yaml",
    ]);
  });

  describe.skipIf(installationCRD.path === undefined)(
    `the schema check is real${installationCRD.missing ? ` (skipped, and so are the CRD checks of the Installations above: ${installationCRD.missing})` : ""}`,
    () => {
      const valid = () => structuredClone(installation(birdRepo).object);

      it("rejects a misspelt field", () => {
        const object = valid() as unknown as { spec: { calicoNetwork: Obj } };
        object.spec.calicoNetwork.nodeAddressAutodetectionv4 = { cidrs: ["10.0.1.0/24"] };
        expect(validateInstallation(object).join("\n")).toContain("additionalProperty");
      });

      it("rejects a value outside an enum", () => {
        const object = valid();
        object.spec.calicoNetwork.ipPools[0]!.encapsulation = "IPIPAlways";
        expect(validateInstallation(object).join("\n")).toContain(
          "/spec/calicoNetwork/ipPools/0/encapsulation",
        );
      });

      it("rejects natOutgoing as a boolean (the IPPool form) instead of Enabled/Disabled", () => {
        const object = valid() as unknown as { spec: { calicoNetwork: { ipPools: Obj[] } } };
        object.spec.calicoNetwork.ipPools[0]!.natOutgoing = true;
        expect(validateInstallation(object).join("\n")).toContain(
          "/spec/calicoNetwork/ipPools/0/natOutgoing",
        );
      });
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Quoting

describe("values with YAML-special characters", () => {
  const hostile = [
    "key: value",
    "# not a comment",
    "first line\nsecond line",
    `"double" and 'single' quotes`,
    "- dash, [brackets], {braces}, &anchor *alias !tag |block >folded %directive @at `tick`",
    "  leading and trailing spaces  ",
    // Plain, these would be read back as booleans, numbers, null or dates (YAML 1.1 or 1.2).
    "true",
    "yes",
    "Off",
    "0x1F",
    "012",
    "1e3",
    ".inf",
    "~",
    "null",
    "2001-12-14",
  ];
  // Label values Calico accepts are plain words, YAML-special ones included (pool-metadata-invalid
  // refuses the rest); annotation values may be anything.
  const labelValues = ["true", "yes", "Off", "0x1F", "012", "1e3", "null", "2001-12-14", ""];
  const labels = Object.fromEntries(labelValues.map((v, i) => [`example.com/label-${i}`, v]));
  const annotations = Object.fromEntries(hostile.map((v, i) => [`example.com/note-${i}`, v]));
  const nodeSelector = `team == "a: b # c 'quoted' {x}"`;
  const spec = (install: "manifest" | "operator"): RepoSpec => ({
    cluster: { install },
    pools: [
      pool(
        "pods",
        { cidr: "192.168.0.0/16", ipipMode: "CrossSubnet", nodeSelector },
        { labels, annotations },
      ),
    ],
  });

  it.each(["manifest", "operator"] as const)(
    "parse back from every manifest unchanged (install: %s)",
    (install) => {
      const files = manifests(spec(install));
      for (const [path, content] of files) {
        const docs = docsOf(content);
        expect(docs.length, path).toBeGreaterThan(0);
        for (const doc of docs) {
          expect(typeof doc.apiVersion, path).toBe("string");
          expect(typeof doc.metadata.name, path).toBe("string");
        }
      }
      for (const version of ["1.1", "1.2"] as const) {
        if (install === "manifest") {
          const ippools = docsOf(file(files, "manifests/ippools.yaml"), version);
          const ippool = find(ippools, "IPPool", "pods");
          expect(ippool.metadata.labels).toEqual({ ...labels, [MANAGED_BY]: "netcompile" });
          expect(ippool.metadata.annotations).toEqual(annotations);
          expect((ippool.spec as { nodeSelector: string }).nodeSelector).toBe(nodeSelector);
        } else {
          const installations = docsOf(file(files, "manifests/installation.yaml"), version);
          const object = installations[0] as Installation;
          expect(object.spec.calicoNetwork.ipPools[0]!.nodeSelector).toBe(nodeSelector);
        }
      }
    },
  );
});

describe("the CNI network configuration", () => {
  const cniConfig = (poolCidrs: string[]) => {
    const pools = poolCidrs
      .map(
        (cidr, i) =>
          `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p${i}\nspec:\n  cidr: ${cidr}\n  vxlanMode: Always\n`,
      )
      .join("---\n");
    // Dual-stack nodes: calico-node needs an address of every family a pool uses.
    const topology = BASE_REPO["topology.yaml"]!.replace(
      "      cidr: 10.0.2.0/24\n",
      "      cidr: 10.0.2.0/24\n    - name: v6\n      cidr: fd00:1::/64\n",
    )
      .replace("address: 10.0.1.10\n", "address: 10.0.1.10\n      addressV6: fd00:1::10\n")
      .replace("address: 10.0.2.10\n", "address: 10.0.2.10\n      addressV6: fd00:1::20\n");
    const files = { ...BASE_REPO, "topology.yaml": topology, "pools.yaml": pools };
    const result = compile(new MemoryRepoReader(files), { render: "manifests" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const file = result.files!.find((f) => f.path === "manifests/calico-config.yaml")!;
    const text = (parse(file.content) as { data: { cni_network_config: string } }).data
      .cni_network_config;
    return JSON.parse(text.replace("__CNI_MTU__", "0")) as {
      plugins: { ipam?: Record<string, string> }[];
    };
  };

  it("asks Calico IPAM for IPv6 addresses only when an IPv6 pool is enabled", () => {
    expect(cniConfig(["192.168.0.0/16"]).plugins[0]!.ipam).toEqual({ type: "calico-ipam" });
    expect(cniConfig(["192.168.0.0/16", "fd00:10::/48"]).plugins[0]!.ipam).toEqual({
      type: "calico-ipam",
      assign_ipv4: "true",
      assign_ipv6: "true",
    });
    expect(cniConfig(["fd00:10::/48"]).plugins[0]!.ipam).toMatchObject({
      assign_ipv4: "false",
      assign_ipv6: "true",
    });
  });
});
