import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import { schemaFileTexts, validatorsFileText } from "../../../scripts/write-schemas.js";
import { packageRoot } from "../../assets.js";
import type { AllowedUse, Backend, EncapMode, Provider, RuleSetting } from "../../model/types.js";
import type {
  ClusterDocument,
  ClusterSpec,
  IPPoolDocument,
  PolicyDocument,
  TopologyDocument,
  TopologySpec,
} from "../documents.js";
import { bundleSchema } from "./bundle.js";
import { SCHEMA_FILES } from "./index.js";

describe("policies/schemas/*.json", () => {
  it("are written from the schema modules, byte for byte (npm run schemas)", async () => {
    for (const { path, text } of await schemaFileTexts()) {
      expect(readFileSync(join(packageRoot, path), "utf8"), path).toBe(text);
    }
  });

  it("and src/schema/validators.generated.ts is ajv's standalone code for them, byte for byte", async () => {
    const { path, text } = await validatorsFileText();
    expect(
      readFileSync(join(packageRoot, path), "utf8") === text,
      `${path}: run npm run schemas`,
    ).toBe(true);
  });

  it("hold exactly the schema objects ajv compiles, bundled", () => {
    for (const { path, schema } of SCHEMA_FILES) {
      expect(JSON.parse(readFileSync(join(packageRoot, path), "utf8")), path).toEqual(
        bundleSchema(schema),
      );
    }
  });
});

describe("the document types derived from the schemas", () => {
  it("are real types, not any or unknown (json-schema-to-ts gives up silently)", () => {
    expectTypeOf<ClusterDocument>().not.toBeAny();
    expectTypeOf<TopologyDocument>().not.toBeAny();
    expectTypeOf<IPPoolDocument>().not.toBeAny();
    expectTypeOf<PolicyDocument>().not.toBeAny();
    expectTypeOf<ClusterDocument>().not.toBeUnknown();
    expectTypeOf<TopologyDocument>().not.toBeUnknown();
    expectTypeOf<IPPoolDocument>().not.toBeUnknown();
    expectTypeOf<PolicyDocument>().not.toBeUnknown();
  });

  it("follow the schemas' enums, required fields and $refs", () => {
    expectTypeOf<Provider>().toEqualTypeOf<
      "aws" | "azure" | "gcp" | "openstack" | "bare-metal" | "other"
    >();
    expectTypeOf<Backend>().toEqualTypeOf<"bird" | "vxlan" | "none">();
    expectTypeOf<EncapMode>().toEqualTypeOf<"Never" | "Always" | "CrossSubnet">();
    expectTypeOf<AllowedUse>().toEqualTypeOf<"Workload" | "Tunnel" | "LoadBalancer">();
    expectTypeOf<RuleSetting>().toEqualTypeOf<"off" | "info" | "warning" | "error">();
    expectTypeOf<NonNullable<ClusterSpec["networking"]>["underlayMTU"]>().toEqualTypeOf<
      number | undefined
    >();
    type SubnetSpec = NonNullable<TopologySpec["subnets"]>[number];
    expectTypeOf<SubnetSpec["cidr"]>().toEqualTypeOf<string>();
    expectTypeOf<SubnetSpec["mtu"]>().toEqualTypeOf<number | undefined>();
    // common.json#/definitions/metadata, through the $ref.
    expectTypeOf<ClusterDocument["metadata"]["name"]>().toEqualTypeOf<string>();
    expectTypeOf<ClusterDocument["metadata"]["labels"]>().toEqualTypeOf<
      { [x: string]: string } | undefined
    >();
  });
});
