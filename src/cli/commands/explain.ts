/**
 * `netcompile explain NODE_A NODE_B`: how workloads on two nodes reach each other — the pool,
 * the decision (direct / IP-in-IP / VXLAN) and why, the device, its MTU and the route each side
 * installs. The use case (src/usecases/explain.ts) finds the nodes and their paths, every fact
 * from src/model/routing.ts (what the host renderers use); this module prints them.
 */
import { firewallNeed, type FirewallNeed } from "../../model/firewall.js";
import { describeMTUOrigin, podMTUWithin } from "../../model/mtu.js";
import { PROVIDERS } from "../../model/providers.js";
import type { PathReport, RoutedUnderlay } from "../../model/routing.js";
import type { Model, Node } from "../../model/types.js";
import { EXIT, explainRepo, repoAt } from "../../usecases/index.js";
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
  const repo = repoAt(io.cwd, options.repo);
  const result = explainRepo(repo, nodeA, nodeB);
  logDiagnostics(io, result.compiled, repo.shown);
  if (result.status === "invalid") return EXIT.failed;
  if (result.status === "usage") {
    io.stderr.write(`netcompile explain: ${terminalText(result.message)}\n`);
    return EXIT.usage;
  }
  const { model, nodes, paths } = result;
  io.stdout.write(
    options.format === "json" ? formatJson(model, nodes, paths) : formatText(model, nodes, paths),
  );
  return EXIT.ok;
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
  const address = `${to.name}'s address ${to.address?.text ?? to.addressText}`;
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
  const subnet = p.from.subnet?.name ?? `${p.from.name}'s subnet`;
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
  const between = `the routers between ${p.from.subnet?.name ?? p.from.name} and ${p.to.subnet?.name ?? p.to.name}`;
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
  if (p.decision.kind === "direct") {
    const subnet = p.from.subnet;
    if (!subnet) return `${p.mtu}: ${describeMTUOrigin(model.underlayMTU.origin)}`;
    return `${p.mtu}: ${subnet.name}'s underlay MTU (${describeMTUOrigin(subnet.mtuOrigin)})`;
  }
  if (model.cluster.podMTU !== undefined) return `${p.mtu}: networking.podMTU, as declared`;
  const u = model.underlayMTU;
  const smallest =
    u.origin.kind === "subnet" ? ", the smallest of the subnets that hold nodes" : "";
  const header =
    model.cluster.hostNetwork.mode === "static"
      ? `${u.mtu - p.mtu} bytes of ${TUNNEL_NAMES[p.decision.kind]} header`
      : headerText(podMTUWithin(u.mtu, model.encapsulations));
  return `${p.mtu} = the underlay's ${u.mtu} (${describeMTUOrigin(u.origin)}${smallest}) less ${header}`;
}

const TUNNEL_NAMES = { ipip: "IP-in-IP", vxlan: "VXLAN", "vxlan-v6": "IPv6 VXLAN" } as const;

/** Calico mode: every tunnel takes the MTU left by the largest header in use. */
function headerText(budget: ReturnType<typeof podMTUWithin>): string {
  const name = budget.encapsulation ? TUNNEL_NAMES[budget.encapsulation] : "no";
  return `${budget.overhead} bytes of ${name} header, the largest in use`;
}

/** What the firewalls between the two nodes must admit for this path. */
function firewallFor(model: Model, p: PathReport): FirewallNeed | undefined {
  return p.decision.kind === "direct" ? undefined : firewallNeed(model, p.decision.kind);
}

function firewallText(model: Model, need: FirewallNeed, a: Node, b: Node): string {
  const where = PROVIDERS[model.cluster.provider].firewall;
  return `${need.admit} (${need.name}) between ${a.address?.text ?? a.addressText} and ${b.address?.text ?? b.addressText}, both ways, in the ${where}`;
}

/** The interface prefix the decision assumes, where netcompile does not set it. */
function prefixText(p: PathReport): string | undefined {
  if (p.prefix === undefined || p.prefix === "host-files") return undefined;
  const n = p.from;
  const subnet = n.subnet;
  if (!subnet?.cidr) return undefined;
  const setBy =
    p.prefix === "dhcp"
      ? "DHCP sets it, not netcompile"
      : "netcompile renders no host files that set it";
  return `assumes ${n.name}'s ${n.interface} carries ${n.address?.text ?? n.addressText}/${subnet.cidr.prefix} (${subnet.name}'s prefix): ${setBy}, and Calico decides "same subnet" with the prefix on the interface (wider: direct across a router, which drops it; /32: always encapsulated)`;
}

function nodeLine(model: Model, n: Node): string {
  const origin =
    n.subnet?.mtuOrigin.kind === "provider" ? ` (default for ${model.cluster.provider})` : "";
  const subnet = n.subnet
    ? `${n.subnet.name} ${n.subnet.cidrText}, MTU ${n.subnet.mtu}${origin}`
    : "no subnet";
  const pod = model.podCIDRs.get(n.name);
  return `  ${n.name}  ${n.address?.text ?? n.addressText} on ${n.interface} (${subnet})${pod ? `, pod CIDR ${pod.cidr.canonical}` : ""}`;
}

function formatText(
  model: Model,
  nodes: readonly [Node, Node],
  paths: readonly PathReport[],
): string {
  const { mode } = model.cluster.hostNetwork;
  const lines = [
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
      const none = p.missing ? ", but no route" : "";
      lines.push(`${from.name} -> ${to.name}: ${KIND_WORDS[p.decision.kind]}${none}`);
      lines.push(
        `  pool    ${pool.name} ${pool.cidrText} (ipipMode ${pool.ipipMode}, vxlanMode ${pool.vxlanMode})`,
      );
      lines.push(`  why     ${reasonText(model, p)}`);
      const prefix = prefixText(p);
      if (prefix) lines.push(`  prefix  ${prefix}`);
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
      const need = firewallFor(model, p);
      if (need) lines.push(`  allow   ${firewallText(model, need, from, to)}`);
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

function formatJson(model: Model, nodes: readonly Node[], paths: readonly PathReport[]): string {
  const out = {
    version: 1,
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
      subnet: n.subnet
        ? {
            name: n.subnet.name,
            cidr: n.subnet.cidrText,
            mtu: n.subnet.mtu,
            mtuOrigin: n.subnet.mtuOrigin,
          }
        : null,
      podCIDR: model.podCIDRs.get(n.name)?.cidr.canonical ?? null,
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
      decision: p.decision.kind,
      reason: {
        code: p.decision.reason,
        text: reasonText(model, p),
        localSubnet: p.decision.localSubnet
          ? { name: p.decision.localSubnet.name, cidr: p.decision.localSubnet.cidrText }
          : null,
        remoteAddress: p.to.address?.text ?? p.to.addressText,
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
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
