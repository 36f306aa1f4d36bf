import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { referenceFile } from "../../test/reference.js";
import { minimalRepo } from "../../test/support.js";
import { loadRepository } from "../load/load.js";
import { MemoryRepoReader } from "../load/reader.js";
import { schemaFor, validateDocuments } from "./validate.js";

/** Calico's IPPool CRD (a reference file, test/reference.ts); its comparison skips without it. */
const crdFile = referenceFile("crd.projectcalico.org_ippools.yaml");

function check(files: Record<string, string>) {
  const loaded = loadRepository(new MemoryRepoReader({ ...minimalRepo, ...files }));
  expect(loaded.diagnostics).toEqual([]);
  return validateDocuments(loaded.documents).diagnostics.map(
    (d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`,
  );
}

const pool = (spec: string) =>
  `apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n${spec}`;

describe("validateDocuments", () => {
  it("accepts the minimal repository", () => {
    expect(check({})).toEqual([]);
  });

  it("reports an unknown field at its key, with a did-you-mean", () => {
    expect(check({ "pools.yaml": pool("  cidr: 10.0.0.0/16\n  natOutgoin: true\n") })).toEqual([
      'NC2001 pools.yaml:7:3 unknown field "natOutgoin"; did you mean "natOutgoing"?',
    ]);
  });

  it("lists the allowed fields when nothing is close", () => {
    const [message] = check({ "pools.yaml": pool("  cidr: 10.0.0.0/16\n  wibble: 1\n") });
    expect(message).toMatch(
      /^NC2001 pools.yaml:7:3 unknown field "wibble" in spec; expected one of: allowedUses, /,
    );
  });

  it("reports a missing required field at the key of the mapping that lacks it", () => {
    expect(check({ "pools.yaml": pool("  natOutgoing: true\n") })).toEqual([
      'NC2003 pools.yaml:5:1 missing required field "cidr" in spec',
    ]);
  });

  it("reports a wrong type at the value", () => {
    expect(
      check({
        "pools.yaml": pool("  cidr: 10.0.0.0/16\n  blockSize: 26.5\n  disabled: no thanks\n"),
      }),
    ).toEqual([
      "NC2002 pools.yaml:7:14 spec.blockSize must be an integer, not a number",
      "NC2002 pools.yaml:8:13 spec.disabled must be a boolean (true or false), not a string",
    ]);
  });

  it("reports a value outside an enum with a did-you-mean, case-insensitively", () => {
    expect(check({ "pools.yaml": pool("  cidr: 10.0.0.0/16\n  ipipMode: crosssubnet\n") })).toEqual(
      [
        'NC2004 pools.yaml:7:13 spec.ipipMode must be one of "Never", "Always", "CrossSubnet", "", not "crosssubnet"; did you mean "CrossSubnet"?',
      ],
    );
  });

  it("maps errors inside lists to the list item's field", () => {
    const topology = minimalRepo["topology.yaml"]!.replace(
      "      address: 10.0.2.10\n",
      "      adress: 10.0.2.10\n",
    );
    expect(check({ "topology.yaml": topology })).toEqual([
      'NC2003 topology.yaml:14:7 missing required field "address" in spec.nodes[1]',
      'NC2001 topology.yaml:15:7 unknown field "adress"; did you mean "address"?',
    ]);
  });

  it("collects every error, not only the first", () => {
    const messages = check({
      "pools.yaml": pool("  cidr: 1\n  ipipMode: Sometimes\n  vxlanMode: 3\n  extra: x\n"),
    });
    // One finding per problem: a wrong type is not also reported as "not one of".
    expect(messages.map((m) => m.split(" ").slice(0, 2).join(" "))).toEqual([
      "NC2001 pools.yaml:9:3",
      "NC2002 pools.yaml:6:9",
      "NC2004 pools.yaml:7:13",
      "NC2002 pools.yaml:8:14",
    ]);
  });
});

/** The part of a JSON Schema (or a CRD's OpenAPI schema) these tests compare. */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly enum?: readonly unknown[];
  readonly [key: string]: unknown;
}

/** A property of an object schema; a test fails when it is not there. */
function field(schema: SchemaNode | undefined, name: string): SchemaNode {
  const found = schema?.properties?.[name];
  if (!found) throw new Error(`the schema has no property "${name}"`);
  return found;
}

function propertyNames(schema: SchemaNode): string[] {
  if (!schema.properties) throw new Error("the schema has no properties");
  return Object.keys(schema.properties).sort();
}

/**
 * Where the schema deliberately differs from the reference CRD (whose CEL rules and enums are
 * newer than Calico v3.31.7's): what v3.31.7 accepts and the rules report instead.
 */
const EXTRA_FIELDS: Readonly<Record<string, string>> = {
  ipip: "v3.31.7's CRD has the v1 field (libcalico-go/config/crd/crd.projectcalico.org_ippools.yaml:46-52); pool-legacy-field(-rejected)",
  "nat-outgoing": "v3.31.7's CRD has the v1 field (:57-58); pool-legacy-field(-rejected)",
};
/** Enum values Calico v3.31.7 accepts beyond the reference CRD's enum. */
const EXTRA_ENUM: Readonly<Record<string, readonly unknown[]>> = {
  // The v3 validator skips an empty mode (omitempty) and clientv3 reads it as Never: pool-mode-empty.
  ipipMode: [""],
  vxlanMode: [""],
};

const LIMIT_KEYS = ["enum", "maximum", "minimum", "maxLength", "maxItems"] as const;

/** What an IPPool spec field's schema says, in the terms both schemas share. */
const shape = (node: SchemaNode): Record<string, unknown> => ({
  type: node.type,
  ...Object.fromEntries(LIMIT_KEYS.filter((k) => k in node).map((k) => [k, node[k]])),
  ...(node.items ? { items: { type: node.items.type, enum: node.items.enum } } : {}),
});

/** Every spec field's shape, by field name. */
const shapes = (spec: SchemaNode): Record<string, Record<string, unknown>> =>
  Object.fromEntries(propertyNames(spec).map((name) => [name, shape(field(spec, name))]));

// The reference CRD's IPPool spec (crd.projectcalico.org_ippools.yaml), as netcompile relies on
// it: asserted on every machine; the tests below compare with the file itself where it is found.
const CALICO_IPPOOL_SPEC: Record<string, Record<string, unknown>> = {
  allowedUses: {
    type: "array",
    maxItems: 10,
    items: { type: "string", enum: ["Workload", "Tunnel", "LoadBalancer"] },
  },
  assignmentMode: { type: "string", enum: ["Automatic", "Manual"] },
  blockSize: { type: "integer", maximum: 128, minimum: 0 },
  cidr: { type: "string", maxLength: 48 },
  disableBGPExport: { type: "boolean" },
  disabled: { type: "boolean" },
  ipipMode: { type: "string", enum: ["Never", "Always", "CrossSubnet"] },
  namespaceSelector: { type: "string", maxLength: 1024 },
  natOutgoing: { type: "boolean" },
  nodeSelector: { type: "string", maxLength: 1024 },
  vxlanMode: { type: "string", enum: ["Never", "Always", "CrossSubnet"] },
};

describe("the IPPool schema is Calico's (on every machine)", () => {
  const ours = field(schemaFor("IPPool"), "spec");

  it("has the CRD's fields, types, enums and limits, plus what Calico v3.31.7 still reads", () => {
    const expected = Object.fromEntries(
      Object.entries(CALICO_IPPOOL_SPEC).map(([name, s]) => {
        const extra = EXTRA_ENUM[name];
        return [name, extra ? { ...s, enum: [...(s.enum as unknown[]), ...extra] } : s];
      }),
    );
    const { ipip, "nat-outgoing": natOutgoingV1, ...v3 } = shapes(ours);
    expect(v3).toEqual(expected);
    expect([ipip, natOutgoingV1]).toEqual([{ type: ["object", "null"] }, { type: "boolean" }]);
    expect(Object.keys(EXTRA_FIELDS).sort()).toEqual(["ipip", "nat-outgoing"]);
    expect(ours.required).toEqual(["cidr"]);
  });
});

describe.skipIf(crdFile.path === undefined)(
  `the IPPool schema agrees with Calico's CRD${crdFile.missing ? ` (skipped: ${crdFile.missing})` : ""}`,
  () => {
    const crd = (
      crdFile.path ? parse(readFileSync(crdFile.path, "utf8")) : { spec: { versions: [] } }
    ) as { spec: { versions: { schema: { openAPIV3Schema: SchemaNode } }[] } };
    const crdSpec: SchemaNode = crdFile.path
      ? field(crd.spec.versions[0]?.schema.openAPIV3Schema, "spec")
      : {};
    const ours = field(schemaFor("IPPool"), "spec");

    it("has exactly the CRD's spec fields, and the v1 fields Calico v3.31.7 still reads", () => {
      expect(propertyNames(ours)).toEqual(
        [...propertyNames(crdSpec), ...Object.keys(EXTRA_FIELDS)].sort(),
      );
    });

    it("requires what the CRD requires", () => {
      expect(ours.required).toEqual(crdSpec.required);
    });

    it("is what the test on every machine asserts (the literal does not drift from the file)", () => {
      expect(shapes(crdSpec)).toEqual(CALICO_IPPOOL_SPEC);
    });

    it.each(crdFile.path ? propertyNames(crdSpec) : [])(
      "field %s has the CRD's type, enum and limits",
      (name) => {
        const theirs = field(crdSpec, name);
        const mine = field(ours, name);
        expect(mine.type).toBe(theirs.type);
        for (const key of ["maximum", "minimum", "maxLength", "maxItems"]) {
          expect(mine[key], `${name}.${key}`).toEqual(theirs[key]);
        }
        const extra = EXTRA_ENUM[name];
        expect(mine.enum, `${name}.enum`).toEqual(
          theirs.enum && extra ? [...theirs.enum, ...extra] : theirs.enum,
        );
        if (theirs.items) {
          expect(mine.items?.type).toBe(theirs.items.type);
          expect(mine.items?.enum).toEqual(theirs.items.enum);
        }
      },
    );
  },
);

describe("pattern errors", () => {
  it("say what the pattern means (x-hint), not the regular expression", () => {
    const topology = minimalRepo["topology.yaml"]!.replace("name: node-1", "name: ../x");
    expect(check({ "topology.yaml": topology })).toEqual([
      "NC2005 topology.yaml:12:13 spec.nodes[0].name must be a name without slashes, backslashes, spaces or control characters, and not . or .. (it names the node's folder of host files)",
    ]);
  });

  it("every pattern in the schemas has a hint", () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (!node || typeof node !== "object") return;
      const o = node as Record<string, unknown>;
      if ("pattern" in o && typeof o.pattern === "string" && !("x-hint" in o)) missing.push(path);
      for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`);
    };
    for (const kind of ["Cluster", "Topology", "IPPool", "Policy"] as const)
      walk(schemaFor(kind), kind);
    expect(missing).toEqual([]);
  });
});
