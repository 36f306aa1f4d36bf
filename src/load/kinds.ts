/** The kinds a repository may hold, and the apiVersions each is accepted under. */
export type KindName = "Cluster" | "Topology" | "IPPool" | "Policy";

export const KINDS: readonly {
  readonly kind: KindName;
  readonly apiVersions: readonly string[];
}[] = [
  { kind: "Cluster", apiVersions: ["netcompile.dev/v1alpha1"] },
  { kind: "Topology", apiVersions: ["netcompile.dev/v1alpha1"] },
  { kind: "IPPool", apiVersions: ["projectcalico.org/v3", "crd.projectcalico.org/v1"] },
  { kind: "Policy", apiVersions: ["netcompile.dev/v1alpha1"] },
];

export function lookupKind(apiVersion: string, kind: string): KindName | undefined {
  return KINDS.find((k) => k.kind === kind && k.apiVersions.includes(apiVersion))?.kind;
}

export function describeKinds(): string {
  return KINDS.map((k) => `${k.apiVersions[0]} ${k.kind}`).join(", ");
}
