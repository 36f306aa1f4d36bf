/**
 * `netcompile explain NODE_A NODE_B`: how workloads on two nodes reach each other — the pool,
 * the decision (direct / IP-in-IP / VXLAN) and why, the device, its MTU and the route each side
 * installs. The use case (src/usecases/explain.ts) finds the nodes and their paths, every fact
 * from src/model/routing.ts (what the host renderers use); this module prints them.
 */
import type { PathReport } from "../../model/routing.js";
import type { Model, Node } from "../../model/types.js";
import { diagnosticJson } from "../../diagnostics/format-json.js";
import { shownPath } from "../../diagnostics/paths.js";
import type { Diagnostic } from "../../diagnostics/types.js";
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
  return `${destinationText(p)} via ${gatewayText(p)} dev ${p.device}${p.route.onLink ? " onlink" : ""}`;
}

function nodeLine(model: Model, n: Node): string {
  const subnet = n.subnet
    ? `${n.subnet.name} ${n.subnet.cidrText}, MTU ${n.subnet.mtu}`
    : "no subnet";
  const pod = model.podCIDRs.get(n.name);
  return `  ${n.name}  ${n.address?.text ?? n.addressText} on ${n.interface} (${subnet})${pod ? `, pod CIDR ${pod.cidr.canonical}` : ""}`;
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
      lines.push(`  device  ${p.device}, MTU ${p.mtu}`);
      if (p.missing) {
        // A route that will not exist is not printed: say why instead.
        lines.push(`  route   none: ${p.missing}`);
        continue;
      }
      lines.push(`  route   ${routeText(p)}  (installed by ${p.route.installedBy})`);
      if (p.vxlan) {
        lines.push(
          `  vxlan   neighbour ${gatewayText(p)} lladdr ${p.vxlan.mac}; fdb ${p.vxlan.mac} dst ${p.vxlan.underlay}`,
        );
      }
    }
  }
  // Subnet and pool names are the repository's: every line is escaped as a whole.
  return `${lines.map(terminalText).join("\n")}\n`;
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
    nodes: nodes.map((n) => ({
      name: n.name,
      address: n.address?.text ?? n.addressText,
      interface: n.interface,
      subnet: n.subnet ? { name: n.subnet.name, cidr: n.subnet.cidrText, mtu: n.subnet.mtu } : null,
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
      route: {
        // A route that will not exist has no destination or gateway: `missing` says why.
        exists: p.missing === undefined,
        missing: p.missing ?? null,
        destination: p.missing ? null : (p.route.destination?.canonical ?? null),
        destinationText: destinationText(p),
        gateway: p.missing ? null : (p.route.gateway ?? null),
        gatewayText: p.missing ? null : gatewayText(p),
        device: p.device,
        onLink: p.route.onLink,
        installedBy: p.route.installedBy,
      },
      vxlan:
        p.vxlan && !p.missing
          ? { neighbour: gatewayText(p), mac: p.vxlan.mac, fdbDestination: p.vxlan.underlay }
          : null,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
