/**
 * Every check with which Calico (or, with install: operator, its operator) rejects an IPPool,
 * and what in netcompile refuses the same object: a rule that cannot be waived or lowered (RuleMeta.waivable false), or a pipeline
 * error (NCnnnn, never waivable). So nothing Calico rejects can reach manifests/. The table
 * follows Calico v3.31.7's source; the IPPool CRD's CEL rules are checked against the reference
 * CRD when it is at hand (test/reference.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { referenceFile } from "../../test/reference.js";
import { catalog } from "../diagnostics/catalog.js";
import { isPlanRule } from "./rule.js";
import { rules } from "./rules/index.js";

/** Calico v3.31.7: where it rejects an IPPool, and the codes that refuse the same. */
const CALICO_REJECTS: readonly { readonly source: string; readonly codes: readonly string[] }[] = [
  // libcalico-go/lib/clientv3/ippool.go, validateAndSetDefaults (the API server's path).
  { source: "clientv3/ippool.go:348-355 CIDR must be specified", codes: ["pool-cidr-invalid"] },
  {
    source: "clientv3/ippool.go:357-367 CIDR must be a valid subnet",
    codes: ["pool-cidr-invalid"],
  },
  { source: "clientv3/ippool.go:380-386 CIDR cannot be modified", codes: ["pool-immutable-field"] },
  {
    source: "clientv3/ippool.go:402-419 allowed use cannot change from LoadBalancer",
    codes: ["pool-immutable-field"],
  },
  {
    source: "clientv3/ippool.go:426-433 BlockSize cannot be modified",
    codes: ["pool-immutable-field"],
  },
  { source: "clientv3/ippool.go:435-452 block size range", codes: ["pool-block-size-range"] },
  {
    source: "clientv3/ippool.go:454-466 pool smaller than a block",
    codes: ["pool-smaller-than-block"],
  },
  { source: "clientv3/ippool.go:468-495 CIDR overlaps another pool", codes: ["pool-overlap"] },
  {
    source: "clientv3/ippool.go:507-514 both VXLAN and IPIP",
    codes: ["pool-encapsulation-exclusive"],
  },
  { source: "clientv3/ippool.go:516-523 IPIP on IPv6", codes: ["pool-ipip-ipv6"] },
  { source: "clientv3/ippool.go:525-533 not strictly masked", codes: ["pool-cidr-not-masked"] },
  { source: "clientv3/ippool.go:546-561 link-local overlap", codes: ["pool-cidr-link-local"] },
  // libcalico-go/lib/validator/v3/validator.go, validateIPPoolSpec and the field tags.
  { source: "validator.go:1131-1142 CIDR specified and valid", codes: ["pool-cidr-invalid"] },
  { source: "validator.go:1155-1158 IPIP on IPv6", codes: ["pool-ipip-ipv6"] },
  { source: "validator.go:1161-1164 IPIP and VXLAN", codes: ["pool-encapsulation-exclusive"] },
  {
    source: "validator.go:1167-1170 LoadBalancer with encapsulation",
    codes: ["pool-allowed-uses"],
  },
  {
    source: "validator.go:1183-1190 pool smaller than a block",
    codes: ["pool-smaller-than-block"],
  },
  { source: "validator.go:1194-1197 not strictly masked", codes: ["pool-cidr-not-masked"] },
  { source: "validator.go:1211-1219 link-local overlap", codes: ["pool-cidr-link-local"] },
  {
    source: "validator.go:1222-1236 LoadBalancer with Workload or Tunnel; unknown use",
    codes: ["pool-allowed-uses", "NC2004"],
  },
  {
    source: "validator.go:1238-1241 LoadBalancer with disableBGPExport",
    codes: ["pool-allowed-uses"],
  },
  {
    source: "validator.go:1243-1246 LoadBalancer nodeSelector not all()",
    codes: ["pool-allowed-uses"],
  },
  { source: "validator.go:1257-1260 Tunnel with namespaceSelector", codes: ["pool-allowed-uses"] },
  { source: "validator.go:1266-1279 global() in a selector", codes: ["pool-selector-invalid"] },
  { source: "validator.go:448-452, 466-470 ipipMode/vxlanMode values", codes: ["NC2004"] },
  { source: "validator.go:472-476 assignmentMode values", codes: ["NC2004"] },
  {
    source: "validator.go selector tag (nodeSelector, namespaceSelector parse)",
    codes: ["pool-selector-invalid"],
  },
  {
    source: "validator.go:432-440 mustBeNil ipip, mustBeFalse nat-outgoing",
    codes: ["pool-legacy-field-rejected"],
  },
  { source: "validator.go:1650-1659 name over 253 characters", codes: ["NC2005"] },
  { source: "validator.go:1661-1671 name not a DNS-1123 subdomain", codes: ["pool-name-invalid"] },
  { source: "validator.go:2144-2191 labels and annotations", codes: ["pool-metadata-invalid"] },
  // tigera/operator v1.40.15, with install: operator: what the operator drops or refuses.
  {
    source: "operator api/v1/installation_types.go:768-816 no namespaceSelector in ipPools",
    codes: ["operator-pool-unsupported"],
  },
  {
    source: "operator api/v1/installation_types.go:603 ipPools MaxItems=25",
    codes: ["operator-pool-unsupported"],
  },
  {
    source: "operator pkg/controller/ippool/validation.go:106-131 pool smaller than a block",
    codes: ["operator-pool-unsupported", "pool-smaller-than-block"],
  },
  {
    source:
      "operator pkg/controller/installation/validation.go:171-188 IPIP or no encap without BGP",
    codes: ["operator-pool-unsupported"],
  },
  // Not Calico's verdict, but the manifest could not carry both objects.
  {
    source: "two IPPools with one name (kubectl apply: the second updates the first)",
    codes: ["pool-duplicate-name"],
  },
];

/** The reference IPPool CRD's CEL rules (x-kubernetes-validations), by message. */
const CEL_RULES: Readonly<Record<string, readonly string[]>> = {
  "ipipMode and vxlanMode cannot both be enabled": ["pool-encapsulation-exclusive"],
  "LoadBalancer IP pool cannot have IPIP or VXLAN enabled": ["pool-allowed-uses"],
  "LoadBalancer cannot be combined with Workload or Tunnel allowed uses": ["pool-allowed-uses"],
  "IPIP is not supported on IPv6 pools": ["pool-ipip-ipv6"],
  "LoadBalancer IP pools cannot disable BGP export": ["pool-allowed-uses"],
  "IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()": ["pool-allowed-uses"],
  "IP Pool with AllowedUse Tunnel cannot have namespaceSelector": ["pool-allowed-uses"],
  "global() selector is not valid for IPPool nodeSelector": ["pool-selector-invalid"],
  "global() selector is not valid for IPPool namespaceSelector": ["pool-selector-invalid"],
  "IPPool CIDR must be strictly masked": ["pool-cidr-not-masked"],
  "IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16": ["pool-cidr-link-local"],
  "IPPool CIDR overlaps with IPv6 link local range fe80::/10": ["pool-cidr-link-local"],
  "blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools": [
    "pool-block-size-range",
  ],
  "IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.":
    ["pool-smaller-than-block"],
  "Block size cannot be changed; follow IP pool migration guide to avoid corruption.": [
    "pool-immutable-field",
  ],
  "CIDR cannot be changed; follow IP pool migration guide to avoid corruption.": [
    "pool-immutable-field",
  ],
};

const byId = new Map(rules.map((r) => [r.id, r]));

/** True when the code refuses whatever a waiver or spec.rules says. */
function neverWaived(code: string): boolean {
  if (/^NC\d{4}$/.test(code)) return code in catalog;
  const rule = byId.get(code);
  if (!rule) return false;
  // A plan rule that cannot be acknowledged fails the plan at any severity but off.
  return isPlanRule(rule) ? !rule.meta.acknowledgeable : rule.meta.waivable === false;
}

describe("what Calico rejects, netcompile refuses whatever waives it", () => {
  it.each(CALICO_REJECTS.map((r) => [r.source, r.codes] as const))("%s", (_, codes) => {
    for (const code of codes) expect(neverWaived(code), code).toBe(true);
  });

  it("has every rule that cannot be waived in the table", () => {
    const listed = new Set(CALICO_REJECTS.flatMap((r) => r.codes));
    const unwaivable = rules.filter((r) => !isPlanRule(r) && r.meta.waivable === false);
    expect(unwaivable.map((r) => r.id).filter((id) => !listed.has(id))).toEqual([]);
  });
});

describe("the reference IPPool CRD's CEL rules", () => {
  const crd = referenceFile("crd.projectcalico.org_ippools.yaml");
  type Schema = {
    properties?: Record<string, Schema>;
    "x-kubernetes-validations"?: { message: string }[];
  };
  const messages = (schema: Schema | undefined): string[] => [
    ...(schema?.["x-kubernetes-validations"] ?? []).map((v) => v.message.replace(/\s+/g, " ")),
    ...Object.values(schema?.properties ?? {}).flatMap(messages),
  ];
  (crd.path ? it : it.skip)(
    crd.path
      ? "each maps to codes that refuse whatever waives them"
      : `each maps to codes that refuse whatever waives them (skipped: ${crd.missing})`,
    () => {
      const doc = parse(readFileSync(crd.path!, "utf8")) as {
        spec: { versions: { schema: { openAPIV3Schema: Schema } }[] };
      };
      const found = messages(doc.spec.versions[0]!.schema.openAPIV3Schema.properties?.spec);
      expect(found.length).toBeGreaterThan(10);
      for (const message of found) {
        const codes = CEL_RULES[message];
        expect(codes, `no netcompile code for the CEL rule "${message}"`).toBeDefined();
        for (const code of codes!) expect(neverWaived(code), code).toBe(true);
      }
    },
  );
});
