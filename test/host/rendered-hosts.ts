/**
 * Test support: compile a fixture repository and hand back each node's rendered host files in
 * the shapes the harness takes (networkd directory, netplan file + its networkd companion).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FsRepoReader } from "../../src/load/reader.js";
import type { PodCIDRAllocation } from "../../src/model/allocation.js";
import type { Model } from "../../src/model/types.js";
import { compile } from "../../src/pipeline.js";
import type { NetworkdFiles } from "./harness.js";

export interface RenderedHost {
  readonly node: string;
  readonly address: string;
  readonly subnet: string;
  /** Dual-stack: the node's IPv6 address (addressV6) and its subnet. */
  readonly addressV6: string | undefined;
  readonly subnetV6: string | undefined;
  readonly interface: string;
  readonly podCIDR: PodCIDRAllocation | undefined;
  readonly podCIDRV6: PodCIDRAllocation | undefined;
  /** hosts/<node>/networkd/ as the harness installs it. */
  readonly networkd: NetworkdFiles;
  /** hosts/<node>/netplan/60-netcompile.yaml, or undefined when netplan is not a format. */
  readonly netplan: string | undefined;
  /** hosts/<node>/netplan/networkd/: what netplan cannot express. */
  readonly netplanCompanion: NetworkdFiles;
  /** Every file below hosts/<node>/, by path relative to it. */
  readonly files: Readonly<Record<string, string>>;
}

export interface RenderedRepo {
  readonly model: Model;
  readonly hosts: readonly RenderedHost[];
}

const repoRoot = join(import.meta.dirname, "..", "..");
export const casesDir = join(repoRoot, "fixtures", "cases");

/**
 * Every fixture repository that builds: the golden cases whose build exits 0 (not the plan
 * cases, which have `previous/`), and the examples.
 */
export function fixtureRepos(): { name: string; dir: string }[] {
  const builds = (name: string) => {
    const golden = join(casesDir, name, "expected", "build.txt");
    // A new case has no golden yet; it is meant to build when its name says nothing is wrong.
    return existsSync(golden)
      ? readFileSync(golden, "utf8").trimEnd().endsWith("[exit 0]")
      : !name.startsWith("bad-");
  };
  const cases = readdirSync(casesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !existsSync(join(casesDir, e.name, "previous")))
    .filter((e) => existsSync(join(casesDir, e.name, "input")) && builds(e.name))
    .map((e) => ({ name: e.name, dir: join(casesDir, e.name, "input") }));
  const examples = join(repoRoot, "fixtures", "examples");
  const repos = readdirSync(examples, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    // The live example holds its repository in repo/, beside the snapshot it was imported from.
    .map((e) =>
      existsSync(join(examples, e.name, "netcompile.yaml"))
        ? { name: `examples/${e.name}`, dir: join(examples, e.name) }
        : { name: `examples/${e.name}/repo`, dir: join(examples, e.name, "repo") },
    );
  return [...cases, ...repos].sort((a, b) => (a.name < b.name ? -1 : 1));
}

function splitNetworkd(files: Record<string, string>, prefix: string): NetworkdFiles {
  const network: Record<string, string> = {};
  const confDropIns: Record<string, string> = {};
  for (const [path, content] of Object.entries(files)) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length);
    if (rest.startsWith("networkd.conf.d/"))
      confDropIns[rest.slice("networkd.conf.d/".length)] = content;
    else if (!rest.startsWith("networkd/")) network[rest] = content;
  }
  return { network, confDropIns };
}

export function renderRepo(dir: string): RenderedRepo {
  const result = compile(new FsRepoReader(dir), { render: "all" });
  if (!result.files || !result.model) {
    const errors = result.diagnostics.map((d) => `${d.file}:${d.line}: ${d.code} ${d.message}`);
    throw new Error(`${dir} does not build:\n${errors.join("\n")}`);
  }
  const model = result.model;
  const byNode = new Map<string, Record<string, string>>();
  for (const file of result.files) {
    const m = /^hosts\/([^/]+)\/(.+)$/.exec(file.path);
    if (!m) continue;
    const files = byNode.get(m[1]!) ?? {};
    files[m[2]!] = file.content;
    byNode.set(m[1]!, files);
  }
  const hosts = model.topology.nodes
    .filter((n) => byNode.has(n.name))
    .map((node): RenderedHost => {
      const files = byNode.get(node.name)!;
      return {
        node: node.name,
        address: node.address!.text,
        subnet: node.subnet!.name,
        addressV6: node.ipv6?.field === "addressV6" ? node.ipv6.address.text : undefined,
        subnetV6: node.ipv6?.field === "addressV6" ? node.ipv6.subnet?.name : undefined,
        interface: node.interface,
        podCIDR: model.podCIDRs.get(node.name),
        podCIDRV6: model.podCIDRsV6.get(node.name),
        networkd: splitNetworkd(files, "networkd/"),
        netplan: files["netplan/60-netcompile.yaml"],
        netplanCompanion: splitNetworkd(files, "netplan/networkd/"),
        files,
      };
    });
  return { model, hosts };
}

/** Key=Value pairs of one INI section (the first one with that name). */
export function iniSection(text: string, section: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inside = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      if (inside) break;
      inside = line === `[${section}]`;
    } else if (inside && line && !line.startsWith("#")) {
      const eq = line.indexOf("=");
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
