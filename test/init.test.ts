/**
 * `netcompile init`: a starter repository that validates with no finding but, on the cloud
 * providers, the firewall-requirements info (what their firewalls must admit for VXLAN).
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { PROVIDERS } from "../src/usecases/index.js";
import { cli, parseJson, readTree, removeDir, testdir, type DiagnosticsJson } from "./support.js";

/** What these tests read of the netcompile.yaml init writes. */
interface ClusterYaml {
  spec: { provider: string; networking: { underlayMTU?: number } };
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));
function tmp(files: Record<string, string> = {}): string {
  const dir = testdir(files);
  dirs.push(dir);
  return dir;
}
const FILES = ["netcompile.yaml", "pools.yaml", "topology.yaml"];
/** The providers whose firewalls between nodes firewall-requirements names. */
const FIREWALLED: Record<string, string> = {
  aws: "security groups",
  azure: "network security groups",
  gcp: "VPC firewall rules",
  openstack: "security groups",
};

describe("netcompile init", () => {
  it.each(PROVIDERS)(
    "--provider %s: a commented repository with no finding that builds",
    async (provider) => {
      const cwd = tmp();
      const r = await cli(["init", "--provider", provider, "--dir", "net"], cwd);
      expect([r.code, r.stderr]).toEqual([0, ""]);
      expect(r.stdout).toBe(
        `wrote netcompile.yaml, topology.yaml, pools.yaml in net (provider ${provider})\nnext: describe your subnets, nodes and pools in them, then \`netcompile validate --repo net\`\n`,
      );
      expect(Object.keys(readTree(join(cwd, "net"))).sort()).toEqual(FILES);
      for (const file of FILES)
        expect(readFileSync(join(cwd, "net", file), "utf8"), file).toMatch(/^# /);
      const validated = await cli(["validate", "--repo", "net", "--format", "json"], cwd);
      expect(validated.code).toBe(0);
      const firewall = FIREWALLED[provider];
      const json = parseJson<DiagnosticsJson>(validated.stdout);
      expect(json.diagnostics.map((d) => [d.code, d.message])).toEqual(
        firewall
          ? [
              [
                "firewall-requirements",
                `IPPool "pods" uses VXLAN: the ${firewall} between nodes must admit UDP 4789 (the Cluster's vxlanPort) between the nodes' addresses, both ways`,
              ],
            ]
          : [],
      );
      expect(json.summary).toMatchObject({
        errors: 0,
        warnings: 0,
        infos: firewall ? 1 : 0,
        waived: 0,
      });
      const cluster = parse(
        readFileSync(join(cwd, "net", "netcompile.yaml"), "utf8"),
      ) as ClusterYaml;
      expect(cluster.spec.provider).toBe(provider);
      // The MTU is the provider's default: init writes none unless told.
      expect(cluster.spec.networking.underlayMTU).toBeUndefined();
      expect((await cli(["build", "--repo", "net"], cwd)).code).toBe(0);
    },
  );

  it("writes the underlay MTU it is given, and refuses one that is not an MTU", async () => {
    const cwd = tmp();
    expect((await cli(["init", "--underlay-mtu", "9001"], cwd)).code).toBe(0);
    const cluster = parse(readFileSync(join(cwd, "netcompile.yaml"), "utf8")) as ClusterYaml;
    expect(cluster.spec.networking.underlayMTU).toBe(9001);
    expect((await cli(["validate"], cwd)).stdout).toBe("0 errors, 0 warnings, 0 info\n");
    const bad = await cli(["init", "--underlay-mtu", "9k", "--dir", "other"], cwd);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("--underlay-mtu must be a whole number from 576 to 65535");
    expect(existsSync(join(cwd, "other"))).toBe(false);
  });

  it.each(FILES)("writes nothing at all when %s is there already", async (present) => {
    const cwd = tmp({ [present]: "mine\n" });
    const r = await cli(["init"], cwd);
    expect([r.code, r.stdout]).toEqual([3, ""]);
    expect(r.stderr).toBe(
      `netcompile init: ${present} already in .; nothing written (init never overwrites a file: choose another --dir)\n`,
    );
    expect(readTree(cwd)).toEqual({ [present]: "mine\n" });
  });

  it("never writes through a symbolic link, even a dangling one", async () => {
    const cwd = tmp();
    const outside = tmp();
    mkdirSync(join(cwd, "repo"));
    symlinkSync(join(outside, "stolen.yaml"), join(cwd, "repo", "pools.yaml"));
    const r = await cli(["init", "--dir", "repo"], cwd);
    expect(r.code).toBe(3);
    expect(readTree(outside)).toEqual({});
    expect(existsSync(join(cwd, "repo", "netcompile.yaml"))).toBe(false);
  });

  it("an unknown provider is a usage error listing the providers", async () => {
    const cwd = tmp();
    const r = await cli(["init", "--provider", "hetzner"], cwd);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      "Allowed choices are aws, azure, gcp, openstack, bare-metal, other.",
    );
    expect(readTree(cwd)).toEqual({});
  });
});
