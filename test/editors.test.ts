/**
 * Editors: the JSON Schemas work offline, straight from the repository (or from `netcompile
 * schema KIND`), in yaml-language-server — the server behind VS Code's YAML extension and most
 * editors' — with the `# yaml-language-server: $schema=` line and with a `yaml.schemas` setting.
 * The server here may read files only: a schema that needs the network fails as it does offline.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { parseAllDocuments } from "yaml";
import { getLanguageService } from "yaml-language-server";
import { KINDS } from "../src/load/kinds.js";
import { SCHEMA_PATHS } from "../src/schema/schemas/index.js";
import { cli, minimalRepo, removeDir, testdir } from "./support.js";

const root = join(import.meta.dirname, "..");
const example = join(root, "fixtures", "examples", "basic");

/** yaml-language-server that can read local files and nothing else, and what it asked for. */
function offlineServer(schemas: { uri: string; fileMatch: string[] }[] = []) {
  const requested: string[] = [];
  const service = getLanguageService({
    schemaRequestService: (uri: string) => {
      requested.push(uri);
      if (!uri.startsWith("file:")) return Promise.reject(new Error(`offline: no ${uri}`));
      return Promise.resolve(readFileSync(fileURLToPath(uri), "utf8"));
    },
    workspaceContext: { resolveRelativePath: (rel, resource) => new URL(rel, resource).href },
  });
  service.configure({ validate: true, hover: true, completion: true, schemas });
  // The server caches a document by URI and version: each check is a new version.
  let version = 0;
  const validate = async (path: string, text: string) =>
    (
      await service.doValidation(
        TextDocument.create(pathToFileURL(path).href, "yaml", ++version, text),
        false,
      )
    ).map(
      (d) =>
        `${d.range.start.line + 1}: ${typeof d.message === "string" ? d.message : d.message.value}`,
    );
  return { validate, requested };
}

const MISTAKES = `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.244.0.0/16
  natOutgoin: true
  ipipMode: Sometimes
`;

describe("JSON Schemas in yaml-language-server, offline", () => {
  it("a `# yaml-language-server: $schema=` line naming the repository's file", async () => {
    const server = offlineServer();
    const file = join(root, "clusters", "prod", "pools.yaml");
    const line = `# yaml-language-server: $schema=../../${SCHEMA_PATHS.IPPool}\n`;
    expect(await server.validate(file, `${line}${MISTAKES}`)).toEqual([
      '9: Value is not accepted. Valid values: "Never", "Always", "CrossSubnet", "".',
      "8: Property natOutgoin is not allowed.",
    ]);
    // It read that one file: nothing on the network, no other file.
    expect(server.requested).toEqual([pathToFileURL(join(root, SCHEMA_PATHS.IPPool)).href]);
  });

  it("VS Code's yaml.schemas setting, for every kind, on the example repository", async () => {
    const settings = KINDS.map(({ kind }) => ({
      uri: pathToFileURL(join(root, SCHEMA_PATHS[kind])).href,
      fileMatch: [`**/${kind.toLowerCase()}-*.yaml`],
    }));
    const server = offlineServer(settings);
    const files = [
      ["netcompile.yaml", "cluster"],
      ["topology.yaml", "topology"],
      ["pools.yaml", "ippool"],
      ["policies/nodes-in-a-zone.yaml", "policy"],
    ] as const;
    for (const [file, kind] of files) {
      const text = readFileSync(join(example, file), "utf8");
      // Each document of the file, checked alone (a pools file may hold several).
      for (const doc of parseAllDocuments(text)) {
        const path = join(example, `${kind}-x.yaml`);
        expect(await server.validate(path, String(doc)), `${file} as ${kind}`).toEqual([]);
        // The schema is really applied: a stray field is refused.
        expect(await server.validate(path, `${String(doc)}bogus: 1\n`)).toEqual([
          expect.stringContaining("Property bogus is not allowed."),
        ]);
      }
    }
    expect(
      await server.validate(join(example, "ippool-x.yaml"), MISTAKES.replace("natOutgoin", "x")),
    ).toHaveLength(2);
    expect(server.requested.every((uri) => uri.startsWith("file:"))).toBe(true);
  });
});

describe("netcompile schema KIND", () => {
  it.each(KINDS.map((k) => k.kind))("prints %s's schema, self-contained", async (kind) => {
    const dir = testdir({});
    try {
      const r = await cli(["schema", kind], dir);
      expect([r.code, r.stderr]).toEqual([0, ""]);
      expect(r.stdout).toBe(readFileSync(join(root, SCHEMA_PATHS[kind]), "utf8"));
      const schema = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(schema.$id).toBeUndefined();
      const refs = [...r.stdout.matchAll(/"\$ref": "([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.filter((ref) => !ref.startsWith("#/definitions/"))).toEqual([]);
      // A validator holding nothing else compiles it: no reference leads outside it.
      new Ajv({ strict: false }).compile(schema);
      expect((await cli(["schema", kind.toLowerCase()], dir)).stdout).toBe(r.stdout);
    } finally {
      removeDir(dir);
    }
  });

  it("an unknown kind is a usage error listing the kinds", async () => {
    const r = await cli(["schema", "Pool"], testdir(minimalRepo));
    expect([r.code, r.stdout]).toEqual([3, ""]);
    expect(r.stderr).toBe(
      'netcompile schema: unknown kind "Pool"; the kinds are Cluster, Topology, IPPool, Policy; did you mean "IPPool"?\n',
    );
    expect((await cli(["schema", "ippol"], testdir({}))).stderr).toBe(
      'netcompile schema: unknown kind "ippol"; the kinds are Cluster, Topology, IPPool, Policy; did you mean "IPPool"?\n',
    );
    expect((await cli(["schema"], testdir({}))).code).toBe(3);
  });
});
