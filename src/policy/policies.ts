/**
 * Organisation rules as data: each `Policy` document matches resources (by kind, a Calico
 * selector over their labels, and the Cluster's provider) and asserts a JSON Schema on each,
 * evaluated by ajv. Its id is metadata.name; it reports like a built-in rule, at the field
 * the schema rejected, and can be waived and re-severitied the same way.
 *
 * A Policy sees a resource as netcompile resolved it — Calico's defaults filled in, node
 * groups expanded into nodes — so `natOutgoing: {const: true}` also catches a pool that left
 * natOutgoing out. The views below are that contract; see policies/docs/README.md.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic, Severity, Span } from "../diagnostics/types.js";
import { parseSelector, type Selector } from "../model/selector.js";
import type {
  ClusterModel,
  Model,
  Node,
  NodeGroup,
  Pool,
  PolicyDoc,
  RuleSetting,
  Subnet,
} from "../model/types.js";
import { pathText, pointerToPath } from "../util/json-pointer.js";
import { fieldSpan } from "./spans.js";
import { must } from "../util/must.js";
import { linearRegExp, resourcesOf, schemaSize, useLinearUniqueItems } from "./assertion-bounds.js";
import { LIMITS } from "../load/limits.js";
import { withThousands } from "../util/text.js";
import { nodeResource, poolResource, subnetResource } from "../model/resources.js";

export const POLICY_KINDS = ["Cluster", "Topology", "IPPool", "Node", "Subnet"] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

type Path = (string | number)[];

/** One resource as a Policy sees it. */
export interface PolicyTarget {
  readonly kind: PolicyKind;
  readonly resource: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: unknown;
  /** The node group a node was expanded from: its findings are reported once per group. */
  readonly group?: string;
  spanAt(path: Path): Span;
}

interface CompiledPolicy {
  readonly doc: PolicyDoc;
  readonly kinds: readonly PolicyKind[];
  readonly selector: Selector | undefined;
  readonly validate: ValidateFunction;
  readonly severity: Severity;
  readonly message: string;
}

/** Runs every Policy document; findings carry the Policy's id as their code. */
export function runPolicies(
  model: Model,
  builtinIds: ReadonlySet<string>,
  /** Only these kinds' resources are checked (all by default). */
  onlyKinds?: readonly PolicyKind[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const compiled = compilePolicies(model, builtinIds, out);
  if (compiled.length === 0) return out;
  const targets = new TargetCache(model);
  for (const policy of compiled) {
    const kinds = onlyKinds ? policy.kinds.filter((k) => onlyKinds.includes(k)) : policy.kinds;
    out.push(...evaluate({ ...policy, kinds }, targets));
  }
  return out;
}

function compilePolicies(
  model: Model,
  builtinIds: ReadonlySet<string>,
  problems: Diagnostic[],
): CompiledPolicy[] {
  const settings: Readonly<Record<string, RuleSetting>> = model.cluster.rules;
  const ajv = new Ajv({
    allErrors: false,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    // `required: [toString]` checks the resource's own fields, not Object.prototype's.
    ownProperties: true,
    // Patterns from the repository run in linear time (assertion-bounds.ts).
    code: { regExp: linearRegExp },
    logger: false,
  });
  addFormats.default(ajv);
  useLinearUniqueItems(ajv);
  let work = 0;
  const out: CompiledPolicy[] = [];
  for (const doc of model.policies) {
    const spec = doc.spec;
    const resource = `Policy/${doc.name}`;
    if (builtinIds.has(doc.name)) {
      problems.push(
        diagnostic(
          "NC3008",
          doc.source.at(["metadata", "name"]),
          { policy: doc.name },
          { resource },
        ),
      );
      continue;
    }
    let selector: Selector | undefined;
    if (spec.match?.selector !== undefined) {
      const parsed = parseSelector(spec.match.selector);
      if (!parsed.ok) {
        problems.push(
          diagnostic(
            "NC3006",
            doc.source.at(["spec", "match", "selector"]),
            {
              policy: doc.name,
              position: parsed.error.offset + 1,
              reason: parsed.error.message,
            },
            { resource },
          ),
        );
        continue;
      }
      selector = parsed.selector;
    }
    const setting = settings[doc.name];
    const providers = spec.match?.providers;
    const runs = setting !== "off" && (!providers || providers.includes(model.cluster.provider));
    const kinds = spec.match?.kinds?.length ? spec.match.kinds : POLICY_KINDS;
    // Bounded before anything compiles or runs: the schema's size times the resources it may
    // match (a Policy that does not run still compiles: its size once).
    const size = schemaSize(spec.assert ?? {});
    const resources = runs ? resourcesOf(model, kinds) : 1;
    work += size * resources;
    if (work > LIMITS.maxPolicyWork) {
      problems.push(
        diagnostic(
          "NC3025",
          doc.source.keyAt(["spec", "assert"]),
          {
            policy: doc.name,
            size: withThousands(size),
            resources: withThousands(resources),
            work: withThousands(size * resources),
            limit: withThousands(LIMITS.maxPolicyWork),
          },
          { resource },
        ),
      );
      break;
    }
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(spec.assert ?? {});
      // An $async schema answers with a promise, which is always truthy: it could never fail.
      if ((validate as { $async?: boolean }).$async)
        throw new Error("$async schemas are not supported: an assertion must answer at once");
    } catch (error) {
      problems.push(
        diagnostic(
          "NC3007",
          doc.source.keyAt(["spec", "assert"]),
          { policy: doc.name, detail: error instanceof Error ? error.message : String(error) },
          { resource },
        ),
      );
      continue;
    }
    if (!runs) continue;
    out.push({
      doc,
      kinds,
      selector,
      validate,
      severity: setting ?? spec.severity ?? "error",
      message: spec.message ?? doc.name,
    });
  }
  return out;
}

function evaluate(policy: CompiledPolicy, targets: TargetCache): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Node-group members share one place in the source: one finding per group, with a count.
  const groups = new Map<string, { first?: Diagnostic; failed: number; matched: number }>();
  const related = [{ ...policy.doc.source.at(["metadata", "name"]), message: "the Policy" }];
  const fail = (target: PolicyTarget): Diagnostic => {
    const { span, detail } = describeError(target, policy.validate.errors?.[0]);
    return {
      code: policy.doc.name,
      severity: policy.severity,
      message: `${policy.message} (${detail})`,
      ...span,
      resource: target.resource,
      related,
    };
  };
  for (const kind of policy.kinds) {
    for (const target of targets.of(kind)) {
      if (policy.selector && !policy.selector.matches(target.labels)) continue;
      if (target.group === undefined) {
        if (!policy.validate(target.value)) out.push(fail(target));
        continue;
      }
      let g = groups.get(target.group);
      if (!g) groups.set(target.group, (g = { failed: 0, matched: 0 }));
      g.matched++;
      if (policy.validate(target.value)) continue;
      g.failed++;
      g.first ??= fail(target);
    }
  }
  for (const [group, g] of groups) {
    if (!g.first) continue;
    out.push(
      g.failed === 1
        ? g.first
        : {
            ...g.first,
            message: `${g.first.message}; ${g.failed} of the ${g.matched} matched nodes of group "${group}" fail, ${g.first.resource} first`,
          },
    );
  }
  return out;
}

function describeError(
  target: PolicyTarget,
  error: ErrorObject | undefined,
): { span: Span; detail: string } {
  if (!error) return { span: target.spanAt([]), detail: "the assertion fails" };
  const path = pointerToPath(error.instancePath);
  if (error.keyword === "required") {
    const missing = String((error.params as { missingProperty: string }).missingProperty);
    const where = pathText([...path, missing]);
    return { span: target.spanAt([...path, missing]), detail: `${where} is required` };
  }
  const where = path.length ? pathText(path) : target.kind;
  return { span: target.spanAt(path), detail: `${where} ${error.message ?? error.keyword}` };
}

/** The views of each kind, built once per run and only for the kinds some Policy matches. */
class TargetCache {
  private readonly built = new Map<PolicyKind, readonly PolicyTarget[]>();

  constructor(private readonly model: Model) {}

  of(kind: PolicyKind): readonly PolicyTarget[] {
    let targets = this.built.get(kind);
    if (!targets) {
      targets = buildTargets(this.model, kind);
      this.built.set(kind, targets);
    }
    return targets;
  }
}

function buildTargets(model: Model, kind: PolicyKind): PolicyTarget[] {
  switch (kind) {
    case "Cluster":
      return [clusterTarget(model.cluster)];
    case "Topology":
      return [topologyTarget(model)];
    case "IPPool":
      return model.pools.map(poolTarget);
    case "Node":
      return model.topology.nodes.map(nodeTarget);
    case "Subnet":
      return model.topology.subnets.map(subnetTarget);
  }
}

export function poolView(pool: Pool): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    cidr: pool.cidrText,
    blockSize: pool.blockSize,
    ipipMode: pool.ipipMode,
    vxlanMode: pool.vxlanMode,
    natOutgoing: pool.natOutgoing,
    disabled: pool.disabled,
    disableBGPExport: pool.disableBGPExport,
    nodeSelector: pool.nodeSelectorText || "all()",
    allowedUses: [...pool.allowedUses],
    assignmentMode: pool.assignmentMode,
  };
  if (pool.namespaceSelectorText !== undefined) spec.namespaceSelector = pool.namespaceSelectorText;
  return {
    apiVersion: pool.apiVersion,
    kind: "IPPool",
    metadata: metadataView(pool.metadata),
    spec,
  };
}

function poolTarget(pool: Pool): PolicyTarget {
  return {
    kind: "IPPool",
    resource: poolResource(pool),
    labels: pool.metadata.labels,
    value: poolView(pool),
    spanAt: (path) => fieldSpan(pool.source, path.length ? path : ["metadata", "name"]),
  };
}

function clusterTarget(cluster: ClusterModel): PolicyTarget {
  const networking: Record<string, unknown> = {
    backend: cluster.backend,
    serviceCIDRs: cluster.serviceCIDRs.map((c) => c?.canonical ?? null),
    underlayMTU: cluster.underlayMTU,
    vxlanPort: cluster.vxlanPort,
    vxlanVNI: cluster.vxlanVNI,
    wireguard: { ...cluster.wireguard },
  };
  if (cluster.podMTU !== undefined) networking.podMTU = cluster.podMTU;
  return {
    kind: "Cluster",
    resource: `Cluster/${cluster.metadata.name}`,
    labels: cluster.metadata.labels,
    value: {
      apiVersion: "netcompile.dev/v1alpha1",
      kind: "Cluster",
      metadata: metadataView(cluster.metadata),
      spec: {
        provider: cluster.provider,
        install: cluster.install,
        calicoVersion: cluster.calicoVersion,
        networking,
        hostNetwork: { mode: cluster.hostNetwork.mode, formats: [...cluster.hostNetwork.formats] },
        output: { dir: cluster.outputDir },
        rules: { ...cluster.rules },
        ignore: [...cluster.ignore],
      },
    },
    spanAt: (path) => fieldSpan(cluster.source, path.length ? path : ["metadata", "name"]),
  };
}

export function nodeView(node: Node): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: node.name,
    address: node.addressText,
    interface: node.interface,
    labels: { ...node.labels },
  };
  if (node.podCIDRText !== undefined) view.podCIDR = node.podCIDRText;
  if (node.subnet) view.subnet = node.subnet.name;
  if (node.subnet?.zone !== undefined) view.zone = node.subnet.zone;
  if (node.group !== undefined) view.group = node.group;
  return view;
}

const GROUP_FIELDS: Readonly<Record<string, string>> = {
  name: "namePrefix",
  address: "firstAddress",
  subnet: "subnet",
  group: "namePrefix",
};

function nodeSpanAt(node: Node, whole: Path): Span {
  const path = whole.length ? whole : ["name"];
  const [head, ...rest] = path;
  if (node.group === undefined) return fieldSpan(node.source, path, ["name"]);
  const mapped = typeof head === "string" ? (GROUP_FIELDS[head] ?? head) : head;
  return fieldSpan(node.source, [must(mapped, "the path's first field"), ...rest], ["namePrefix"]);
}

function nodeTarget(node: Node): PolicyTarget {
  return {
    kind: "Node",
    resource: nodeResource(node),
    labels: node.labels,
    value: nodeView(node),
    ...(node.group === undefined ? {} : { group: node.group }),
    spanAt: (path) => nodeSpanAt(node, path),
  };
}

export function subnetView(subnet: Subnet): Record<string, unknown> {
  const view: Record<string, unknown> = {
    name: subnet.name,
    cidr: subnet.cidrText,
    mtu: subnet.mtu,
    dhcp: subnet.dhcp,
  };
  if (subnet.zone !== undefined) view.zone = subnet.zone;
  if (subnet.gateway !== undefined) view.gateway = subnet.gateway;
  return view;
}

function subnetTarget(subnet: Subnet): PolicyTarget {
  return {
    kind: "Subnet",
    resource: subnetResource(subnet),
    labels: {},
    value: subnetView(subnet),
    spanAt: (path) => fieldSpan(subnet.source, path.length ? path : ["name"], ["name"]),
  };
}

function groupView(group: NodeGroup): Record<string, unknown> {
  const view: Record<string, unknown> = {
    namePrefix: group.namePrefix,
    count: group.count,
    subnet: group.subnet,
    firstAddress: group.firstAddress,
    labels: { ...group.labels },
  };
  if (group.interface !== undefined) view.interface = group.interface;
  return view;
}

/** All Topology documents merged, as the model merges them. */
function topologyTarget(model: Model): PolicyTarget {
  const { topology } = model;
  const explicitNodes = topology.nodes.filter((n) => n.group === undefined);
  const labels: Record<string, string> = {};
  for (const m of [...topology.documentMetadata].reverse()) Object.assign(labels, m.labels);
  const name = topology.documentMetadata.find((m) => m.name)?.name;
  const first = topology.sources[0];
  return {
    kind: "Topology",
    resource: name ? `Topology/${name}` : "Topology",
    labels,
    value: {
      apiVersion: "netcompile.dev/v1alpha1",
      kind: "Topology",
      metadata: { name: name ?? "", labels },
      spec: {
        underlay: { routesWorkloadIPs: topology.routesWorkloadIPs },
        subnets: topology.subnets.map(subnetView),
        nodes: explicitNodes.map(nodeView),
        nodeGroups: topology.nodeGroups.map(groupView),
      },
    },
    spanAt(path) {
      const [spec, list, index, ...rest] = path;
      if (spec === "spec" && typeof index === "number") {
        if (list === "subnets" && topology.subnets[index]) {
          return fieldSpan(topology.subnets[index].source, rest, ["name"]);
        }
        if (list === "nodes" && explicitNodes[index]) return nodeSpanAt(explicitNodes[index], rest);
        if (list === "nodeGroups" && topology.nodeGroups[index]) {
          return fieldSpan(topology.nodeGroups[index].source, rest, ["namePrefix"]);
        }
      }
      return first ? fieldSpan(first, path) : model.cluster.source.span;
    },
  };
}

function metadataView(m: {
  name: string;
  labels: Readonly<Record<string, string>>;
  annotations: Readonly<Record<string, string>>;
}): Record<string, unknown> {
  return { name: m.name, labels: { ...m.labels }, annotations: { ...m.annotations } };
}
