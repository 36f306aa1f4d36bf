/**
 * install: operator renders what the Tigera operator needs to run the repository's pools: an
 * Installation with Calico's CNI and IPAM written out (the operator would pick the cloud's CNI
 * on EKS, AKS and GKE and then refuse encapsulation) and the APIServer the projectcalico.org/v3
 * objects need. docs/operator.md cites the operator source (v1.40.15) behind each assertion.
 */
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { MemoryRepoReader } from "../load/reader.js";
import { compile } from "../pipeline.js";
import { BASE_REPO } from "../policy/tester.js";
import { installationCRD, validateInstallation } from "../../test/installation-crd.js";

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}
interface Installation extends K8sObject {
  spec: {
    cni: { type: string; ipam: { type: string } };
    calicoNetwork: { ipPools: { name: string; nodeSelector: string }[] };
  };
}

const cluster = (spec: string) =>
  `apiVersion: netcompile.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: test\nspec:\n${spec}`;

function manifests(files: Record<string, string>): Map<string, K8sObject[]> {
  const result = compile(new MemoryRepoReader({ ...BASE_REPO, ...files }), {
    render: "manifests",
  });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return new Map(
    result.files!.map((f) => [
      f.path,
      parseAllDocuments(f.content)
        .map((d) => d.toJS() as K8sObject | null)
        .filter((d): d is K8sObject => d !== null),
    ]),
  );
}

const pool = (...spec: string[]) =>
  `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pool-1\nspec:\n  cidr: 192.168.0.0/16\n${spec.map((l) => `  ${l}\n`).join("")}`;

/** VXLAN everywhere: a pool every provider accepts (Azure and GCE drop unencapsulated pod traffic), and one a cloud CNI would refuse. */
const operator = (provider: string, extra: Record<string, string> = {}) =>
  manifests({
    "netcompile.yaml": cluster(`  provider: ${provider}\n  install: operator\n`),
    "pools.yaml": pool("vxlanMode: Always"),
    ...extra,
  });

function installationOf(files: Map<string, K8sObject[]>): Installation {
  const docs = files.get("manifests/installation.yaml");
  expect(docs).toHaveLength(1);
  return docs![0] as Installation;
}

const PROVIDERS = ["aws", "azure", "gcp", "openstack", "bare-metal", "other"] as const;

describe("the Installation's CNI", () => {
  it.each(PROVIDERS)(
    "is Calico's plugin with Calico IPAM on provider %s, never left to the operator's choice",
    (provider) => {
      expect(installationOf(operator(provider)).spec.cni).toEqual({
        type: "Calico",
        ipam: { type: "Calico" },
      });
    },
  );

  it.skipIf(installationCRD.missing)("is accepted by the operator's CRD", () => {
    for (const provider of PROVIDERS) {
      expect(validateInstallation(installationOf(operator(provider)))).toEqual([]);
    }
  });

  it.skipIf(installationCRD.missing)("the CRD check is real: an unknown CNI type fails", () => {
    const object = structuredClone(installationOf(operator("gcp")));
    object.spec.cni.type = "Flannel";
    expect(validateInstallation(object).join("\n")).toContain("/spec/cni/type");
  });
});

describe("the APIServer", () => {
  it("is rendered beside the Installation: operator.tigera.io/v1 APIServer named default", () => {
    const docs = operator("aws").get("manifests/apiserver.yaml");
    expect(docs).toEqual([
      {
        apiVersion: "operator.tigera.io/v1",
        kind: "APIServer",
        metadata: { name: "default", labels: { "app.kubernetes.io/managed-by": "netcompile" } },
        spec: {},
      },
    ]);
  });

  it("is not rendered with install: manifest (no operator there to read it)", () => {
    const files = manifests({ "netcompile.yaml": cluster("  install: manifest\n") });
    expect(files.has("manifests/apiserver.yaml")).toBe(false);
    expect(files.has("manifests/installation.yaml")).toBe(false);
  });
});

describe("pool fields the operator would rewrite", () => {
  it("writes an empty nodeSelector as all(), as the operator would fill it in", () => {
    const pools = pool("vxlanMode: CrossSubnet", 'nodeSelector: ""');
    const { ipPools } = installationOf(operator("bare-metal", { "pools.yaml": pools })).spec
      .calicoNetwork;
    expect(ipPools.map((p) => [p.name, p.nodeSelector])).toEqual([["pool-1", "all()"]]);
  });
});
