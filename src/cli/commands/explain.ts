/**
 * `netcompile explain NODE_A NODE_B`: how workloads on two nodes reach each other — the pool,
 * the decision (direct / IP-in-IP / VXLAN) and why, the device, its MTU and the route each side
 * installs. The use case (src/usecases/explain.ts) finds the nodes and their paths, every fact
 * from src/model/routing.ts (what the host renderers use); this module prints them.
 */
import { diagnosticJson } from "../../diagnostics/format-json.js";
import { shownPath } from "../../diagnostics/paths.js";
import type { Diagnostic } from "../../diagnostics/types.js";
import { dualStackAddress, nodeAddress } from "../../model/families.js";
import { firewallNeed, type FirewallNeed } from "../../model/firewall.js";
import { describeMTUOrigin, TUNNEL_FAMILY, type TunnelEncapsulation } from "../../model/mtu.js";
import { PROVIDERS } from "../../model/providers.js";
import {
  missingAddress,
  pathTunnel,
  type PathReport,
  type RoutedUnderlay,
} from "../../model/routing.js";
import type { IpFamily, Model, Node, Subnet } from "../../model/types.js";
import { EXIT, exitCode, explainRepo } from "../../usecases/index.js";
import { repoFromOption } from "../repo.js";
import type { Io } from "../io.js";
import { logDiagnostics } from "../output.js";
import { terminalText } from "../../util/terminal.js";

export interface ExplainOptions {
  readonly repo: string;
  readonly format: "text" | "json";
}

export function explainCommand(
  nodeA: string,
  nodeB: string,
  options: ExplainOptions,
  io: Io,
): number {
  const repo = repoFromOption(io, options.repo);
  if (!repo) return EXIT.usage;
  const result = explainRepo(repo, nodeA, nodeB);
  logDiagnostics(io, result.compiled, repo.shown);
  if (result.status === "invalid") return EXIT.failed;
  if (result.status === "usage") {
    io.stderr.write(`netcompile explain: ${terminalText(result.message)}\n`);
    return EXIT.usage;
  }
  const { model, nodes, paths, problems } = result;
  io.stdout.write(
    options.format === "json"
      ? formatJson(model, nodes, paths, problems, repo.shown)
      : formatText(model, nodes, paths, problems, repo.shown),
  );
  // A repository with errors is explained as written (its problems listed); the run still fails.
  return exitCode(result.verdict);
}

const KIND_WORDS = {
  direct: "direct (no encapsulation)",
  ipip: "IP-in-IP",
  vxlan: "VXLAN",
} as const;

/** Why, in one sentence: which subnet contains what. */
export function reasonText(model: Model, p: PathReport): string {
  const { decision, from, to } = p;
  const field = decision.encapsulation === "vxlan" ? "vxlanMode" : "ipipMode";
  const pool = `pool ${decision.pool.name} has ${field} ${decision.mode}`;
  const subnet = decision.localSubnet
    ? `${decision.localSubnet.name} (${decision.localSubnet.cidrText}), ${from.name}'s subnet,`
    : `${from.name} is in no subnet, so its subnet`;
  const remote = decision.remoteAddress?.text ?? "(none)";
  const address = `${to.name}'s ${decision.family === 6 ? "IPv6 " : ""}address ${remote}`;
  switch (decision.reason) {
    case "always":
      return `${pool}: every packet is encapsulated, inside a subnet too`;
    case "cross-subnet-same-subnet":
      return `${pool}, and ${subnet} contains ${address}: inside a subnet packets go unencapsulated`;
    case "cross-subnet-other-subnet":
      return `${pool}, and ${subnet} does not contain ${address}: across subnets packets are encapsulated`;
    case "no-encapsulation": {
      const routed = decision.sameSubnet
        ? `${subnet} contains ${address}`
        : model.topology.routesWorkloadIPs
          ? "the underlay routes workload addresses (routesWorkloadIPs: true)"
          : "the underlay does NOT route workload addresses (routesWorkloadIPs: false), so this path fails";
      return `pool ${decision.pool.name} encapsulates nothing (ipipMode and vxlanMode Never); ${routed}`;
    }
  }
}

function destinationText(p: PathReport): string {
  return (
    p.route.destination?.canonical ??
    `${p.to.name}'s /${p.decision.pool.blockSize} blocks of ${p.decision.pool.cidrText}`
  );
}

function gatewayText(p: PathReport): string {
  return p.route.gateway ?? `${p.to.name}'s VTEP address (from Calico IPAM)`;
}

function routeText(p: PathReport): string {
  const r = p.routed;
  if (r && p.route.destination === undefined && p.route.installedBy === "systemd-networkd") {
    return `default via ${routedGatewayText(r)} dev ${p.device}`;
  }
  const gateway = r ? routedGatewayText(r) : gatewayText(p);
  return `${destinationText(p)} via ${gateway} dev ${p.device}${p.route.onLink ? " onlink" : ""}`;
}

function routedGatewayText(r: RoutedUnderlay): string {
  if (r.gatewayFrom === "subnet" && r.gateway !== undefined) return r.gateway;
  return r.gatewayFrom === "dhcp" ? "the gateway DHCP gives" : "no gateway";
}

/** Who installs the route, and for a routed underlay how the kernel route comes about. */
function installedText(p: PathReport): string {
  const r = p.routed;
  if (!r) return `installed by ${p.route.installedBy}`;
  const subnet = p.decision.localSubnet?.name ?? `${p.from.name}'s subnet`;
  if (p.route.installedBy === "systemd-networkd") {
    return `the host files add no route to ${p.to.name}'s pod CIDR: packets to it follow ${subnet}'s default route`;
  }
  if (r.gatewayFrom === "none") {
    return `not installed: the BGP next hop ${r.nextHop} is not on ${p.device}'s subnet, and ${subnet} has no gateway through which ${p.route.installedBy} could resolve it`;
  }
  const through =
    r.gatewayFrom === "subnet"
      ? `${subnet}'s gateway ${r.gateway}`
      : `the default route DHCP gives`;
  return `installed by ${p.route.installedBy}: the BGP next hop ${r.nextHop} is not on ${p.device}'s subnet, so BIRD resolves it recursively, through ${through}`;
}

/** What the routers between the two subnets must route, and how they can learn it. */
function routersText(p: PathReport, r: RoutedUnderlay): string {
  const family = p.decision.family;
  const [a, b] = [p.from, p.to].map((n) => nodeAddress(n, family)?.subnet?.name ?? n.name);
  const between = `the routers between ${a} and ${b}`;
  const pool = p.decision.pool;
  if (r.aggregated) {
    return `${between} must route ${r.routersLearn} (pool ${pool.name}, whose addresses only ${p.to.name} takes) to ${r.nextHop}: one static route, or BGP peering with the nodes`;
  }
  if (r.how === "static") {
    return `${between} must route ${r.routersLearn} (${p.to.name}'s pod CIDR) to ${r.nextHop}: a static route (static hosts run no BGP)`;
  }
  return `${between} must route ${p.to.name}'s /${pool.blockSize} blocks of ${pool.cidrText} to ${r.nextHop}: peer them with the nodes over BGP (BGPPeer), and BIRD announces each node's blocks with the node as next hop; Calico IPAM moves blocks between nodes, so static routes cannot follow them`;
}

/** Where the path's MTU comes from: declared, a provider's default (with its source), the smallest subnet. */
function mtuText(model: Model, p: PathReport): string {
  const family = p.decision.family;
  if (p.decision.kind === "direct") {
    const subnet = p.decision.localSubnet;
    if (!subnet) return `${p.mtu}: ${describeMTUOrigin(model.familyUnderlay[family].origin)}`;
    return `${p.mtu}: ${subnet.name}'s underlay MTU (${describeMTUOrigin(subnet.mtuOrigin)})`;
  }
  if (model.cluster.podMTU !== undefined) return `${p.mtu}: networking.podMTU, as declared`;
  const limit = model.podMTULimit;
  // Static mode: each tunnel its own family's underlay less its own header (routing.ts
  // tunnelMTU). Calico mode: every tunnel the pod MTU, the smallest of the families' (mtu.ts).
  const tunnel = pathTunnel(p.decision.kind, family);
  const static_ = model.cluster.hostNetwork.mode === "static";
  const underlayFamily = static_ ? TUNNEL_FAMILY[tunnel] : (limit?.family ?? family);
  const u = model.familyUnderlay[underlayFamily];
  // Dual-stack: the subnets of one family; otherwise every subnet that holds nodes.
  const dualStack = model.topology.nodes.some((n) => dualStackAddress(n));
  const smallest =
    u.origin.kind !== "subnet"
      ? ""
      : dualStack
        ? `, the smallest of the subnets that hold nodes' IPv${underlayFamily} addresses`
        : ", the smallest of the subnets that hold nodes";
  const header = static_
    ? `${u.mtu - p.mtu} bytes of ${TUNNEL_NAMES[tunnel]} header`
    : headerText(limit?.encapsulation, limit?.overhead ?? 0);
  return `${p.mtu} = the underlay's ${u.mtu} (${describeMTUOrigin(u.origin)}${smallest}) less ${header}`;
}

const TUNNEL_NAMES: Readonly<Record<TunnelEncapsulation, string>> = {
  ipip: "IP-in-IP",
  vxlan: "VXLAN",
  "vxlan-v6": "IPv6 VXLAN",
  wireguard: "WireGuard",
  "wireguard-v6": "IPv6 WireGuard",
};

/** Calico mode: every tunnel takes the MTU left by the largest header in use (WireGuard's too). */
function headerText(encapsulation: TunnelEncapsulation | undefined, overhead: number): string {
  const name = encapsulation ? TUNNEL_NAMES[encapsulation] : "no";
  return `${overhead} bytes of ${name} header, the largest in use`;
}

/** What the firewalls between the two nodes must admit for this path. */
function firewallFor(model: Model, p: PathReport): FirewallNeed | undefined {
  return p.decision.kind === "direct" ? undefined : firewallNeed(model, p.decision.kind);
}

/** What they must admit for the path's WireGuard leg (its UDP port), when WireGuard carries it. */
function wireguardFirewallFor(model: Model, p: PathReport): FirewallNeed | undefined {
  if (!p.wireguard || p.missing) return undefined;
  return firewallNeed(model, p.decision.family === 6 ? "wireguard-v6" : "wireguard");
}

/** `family` names the addresses the packets travel between (an IPv6 pool's tunnel: IPv6). */
function firewallText(
  model: Model,
  need: FirewallNeed,
  a: Node,
  b: Node,
  family?: IpFamily,
): string {
  const where = PROVIDERS[model.cluster.provider].firewall;
  const at = (n: Node) =>
    (family === undefined ? n.address?.text : nodeAddress(n, family)?.address.text) ??
    n.addressText;
  return `${need.admit} (${need.name}) between ${at(a)} and ${at(b)}, both ways, in the ${where}`;
}

/** The interface prefix the decision assumes, where netcompile does not set it. */
function prefixText(p: PathReport): string | undefined {
  if (p.prefix === undefined || p.prefix === "host-files") return undefined;
  const n = p.from;
  const own = nodeAddress(n, p.decision.family);
  const subnet = own?.subnet;
  if (!own || !subnet?.cidr) return undefined;
  const setBy =
    p.prefix === "dhcp"
      ? "DHCP sets it, not netcompile"
      : "netcompile renders no host files that set it";
  return `assumes ${n.name}'s ${n.interface} carries ${own.address.text}/${subnet.cidr.prefix} (${subnet.name}'s prefix): ${setBy}, and Calico decides "same subnet" with the prefix on the interface (wider: direct across a router, which drops it; /32: always encapsulated)`;
}

function subnetText(model: Model, subnet: Subnet | undefined): string {
  if (!subnet) return "no subnet";
  const origin =
    subnet.mtuOrigin.kind === "provider" ? ` (default for ${model.cluster.provider})` : "";
  return `${subnet.name} ${subnet.cidrText}, MTU ${subnet.mtu}${origin}`;
}

function nodeLine(model: Model, n: Node): string {
  const pod = model.podCIDRs.get(n.name);
  const podV6 = model.podCIDRsV6.get(n.name);
  const second = dualStackAddress(n);
  return [
    `  ${n.name}  ${n.address?.text ?? n.addressText} on ${n.interface} (${subnetText(model, n.subnet)})`,
    second ? `, ${second.address.text} (${subnetText(model, second.subnet)})` : "",
    pod ? `, pod CIDR ${pod.cidr.canonical}` : "",
    podV6 ? `, IPv6 pod CIDR ${podV6.cidr.canonical}` : "",
  ].join("");
}

function wireguardText(p: PathReport): string | undefined {
  const w = p.wireguard;
  if (!w) return undefined;
  return `${w.device}, MTU ${w.mtu}: encrypted as UDP ${w.port} to ${w.underlay ?? "(no address)"} once ${p.to.name} has published its key (Felix's ip rule, priority ${w.rulePriority}, looks up its WireGuard table before the route below)`;
}

/** The repository's problems that bear on the answer, one line each, at the top. */
function problemLines(problems: readonly Diagnostic[], repoShown: string): string[] {
  if (problems.length === 0) return [];
  return [
    "✗ The repository does not validate (netcompile validate lists every error); this is what it does as written. Bearing on these nodes:",
    ...problems.map(
      (d) => `  ✗ ${d.severity} ${d.code} ${shownPath(repoShown, d.file)}:${d.line}: ${d.message}`,
    ),
    "",
  ];
}

function formatText(
  model: Model,
  nodes: readonly [Node, Node],
  paths: readonly PathReport[],
  problems: readonly Diagnostic[],
  repoShown: string,
): string {
  const { mode } = model.cluster.hostNetwork;
  const lines = [
    ...problemLines(problems, repoShown),
    `${nodes[0].name} <-> ${nodes[1].name}  (host network: ${mode}, backend: ${model.cluster.backend})`,
    ...nodes.map((n) => nodeLine(model, n)),
  ];
  if (bgpBetween(model)) {
    lines.push(`  bgp     ${firewallText(model, firewallNeed(model, "bgp"), nodes[0], nodes[1])}`);
  }
  for (const [from, to] of [nodes, [...nodes].reverse()] as [Node, Node][]) {
    const mine = paths.filter((p) => p.from === from);
    lines.push("");
    if (mine.length === 0) {
      lines.push(`${from.name} -> ${to.name}: no enabled pool gives ${to.name} workload addresses`);
      continue;
    }
    for (const p of mine) {
      const pool = p.decision.pool;
      const poolLine = `  pool    ${pool.name} ${pool.cidrText} (ipipMode ${pool.ipipMode}, vxlanMode ${pool.vxlanMode})`;
      // Without an address of the pool's family there is no decision to explain, only why.
      const noAddress = missingAddress(from, to, p.decision.family);
      if (noAddress) {
        lines.push(`${from.name} -> ${to.name}: no route (IPv${p.decision.family})`, poolLine);
        lines.push(`  why     ${noAddress}`);
        continue;
      }
      const none = p.missing ? ", but no route" : "";
      lines.push(`${from.name} -> ${to.name}: ${KIND_WORDS[p.decision.kind]}${none}`);
      lines.push(poolLine);
      lines.push(`  why     ${reasonText(model, p)}`);
      const prefix = prefixText(p);
      if (prefix) lines.push(`  prefix  ${prefix}`);
      const wireguard = wireguardText(p);
      if (wireguard) lines.push(`  wireguard ${wireguard}`);
      lines.push(`  device  ${p.device}, MTU ${p.mtu}`);
      lines.push(`  mtu     ${mtuText(model, p)}`);
      if (p.missing) {
        // A route that will not exist is not printed, nor what it would need: say why instead.
        lines.push(`  route   none: ${p.missing}`);
        continue;
      }
      lines.push(`  route   ${routeText(p)}  (${installedText(p)})`);
      if (p.routed) lines.push(`  routers ${routersText(p, p.routed)}`);
      if (p.vxlan) {
        lines.push(
          `  vxlan   neighbour ${gatewayText(p)} lladdr ${p.vxlan.mac}; fdb ${p.vxlan.mac} dst ${p.vxlan.underlay}`,
        );
      }
      // WireGuard's UDP port first: once the peer's key is published, Felix sends the path there.
      for (const need of [wireguardFirewallFor(model, p), firewallFor(model, p)]) {
        if (need) lines.push(`  allow   ${firewallText(model, need, from, to, p.decision.family)}`);
      }
    }
  }
  // Subnet and pool names are the repository's: every line is escaped as a whole.
  return `${lines.map(terminalText).join("\n")}\n`;
}

/** BIRD runs on both nodes and they open a BGP session (calico mode, backend bird). */
function bgpBetween(model: Model): boolean {
  return model.cluster.hostNetwork.mode === "calico" && model.cluster.backend === "bird";
}

function firewallJson(need: FirewallNeed | undefined) {
  return need
    ? { carrier: need.carrier, protocol: need.protocol, number: need.number, text: need.admit }
    : null;
}

function subnetJson(s: Subnet | undefined) {
  return s ? { name: s.name, cidr: s.cidrText, mtu: s.mtu, mtuOrigin: s.mtuOrigin } : null;
}

function formatJson(
  model: Model,
  nodes: readonly Node[],
  paths: readonly PathReport[],
  problems: readonly Diagnostic[],
  repoShown: string,
): string {
  const out = {
    version: 1,
    // false when the repository does not validate: `problems` lists what bears on the answer.
    valid: problems.length === 0,
    problems: problems.map((d) => diagnosticJson(d, { pathPrefix: repoShown })),
    hostNetwork: model.cluster.hostNetwork.mode,
    backend: model.cluster.backend,
    provider: model.cluster.provider,
    underlayMTU: {
      mtu: model.underlayMTU.mtu,
      origin: model.underlayMTU.origin,
      subnet: model.underlayMTU.subnet ?? null,
      text: describeMTUOrigin(model.underlayMTU.origin),
    },
    bgp: firewallJson(bgpBetween(model) ? firewallNeed(model, "bgp") : undefined),
    nodes: nodes.map((n) => ({
      name: n.name,
      address: n.address?.text ?? n.addressText,
      interface: n.interface,
      subnet: subnetJson(n.subnet),
      podCIDR: model.podCIDRs.get(n.name)?.cidr.canonical ?? null,
      addressV6: dualStackAddress(n)?.address.text ?? null,
      subnetV6: subnetJson(dualStackAddress(n)?.subnet),
      podCIDRV6: model.podCIDRsV6.get(n.name)?.cidr.canonical ?? null,
    })),
    paths: paths.map((p) => ({
      from: p.from.name,
      to: p.to.name,
      pool: {
        name: p.decision.pool.name,
        cidr: p.decision.pool.cidrText,
        ipipMode: p.decision.pool.ipipMode,
        vxlanMode: p.decision.pool.vxlanMode,
      },
      family: p.decision.family,
      decision: p.decision.kind,
      missing: p.missing ?? null,
      reason: {
        code: p.decision.reason,
        text: reasonText(model, p),
        localSubnet: p.decision.localSubnet
          ? { name: p.decision.localSubnet.name, cidr: p.decision.localSubnet.cidrText }
          : null,
        remoteAddress: p.decision.remoteAddress?.text ?? null,
        contains: p.decision.sameSubnet,
      },
      device: p.device,
      mtu: p.mtu,
      mtuText: mtuText(model, p),
      route: {
        // A route that will not exist has no destination or gateway: `missing` says why.
        exists: p.missing === undefined,
        missing: p.missing ?? null,
        destination: p.missing ? null : (p.route.destination?.canonical ?? null),
        destinationText:
          p.routed &&
          p.route.destination === undefined &&
          p.route.installedBy === "systemd-networkd"
            ? "default"
            : destinationText(p),
        gateway: p.missing ? null : (p.route.gateway ?? null),
        gatewayText: p.missing ? null : p.routed ? routedGatewayText(p.routed) : gatewayText(p),
        device: p.device,
        onLink: p.route.onLink,
        installedBy: p.route.installedBy,
        installedText: p.missing ? null : installedText(p),
      },
      routed:
        p.routed && !p.missing
          ? {
              nextHop: p.routed.nextHop,
              gateway: p.routed.gateway ?? null,
              gatewayFrom: p.routed.gatewayFrom,
              routersLearn: p.routed.routersLearn ?? null,
              aggregated: p.routed.aggregated,
              how: p.routed.how,
              text: routersText(p, p.routed),
            }
          : null,
      interfacePrefix: p.prefix ?? null,
      interfacePrefixText: prefixText(p) ?? null,
      firewall: firewallJson(p.missing ? undefined : firewallFor(model, p)),
      vxlan:
        p.vxlan && !p.missing
          ? { neighbour: gatewayText(p), mac: p.vxlan.mac, fdbDestination: p.vxlan.underlay }
          : null,
      wireguard: p.wireguard
        ? {
            ...p.wireguard,
            text: wireguardText(p),
            firewall: firewallJson(wireguardFirewallFor(model, p)),
          }
        : null,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
