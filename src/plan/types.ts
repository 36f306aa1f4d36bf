/**
 * The plan: what changes between a base and the repository, and what those changes break.
 * One result type; the formatters (text, markdown, json) only print it.
 */
import type { Diagnostic, RelatedLocation, Severity, Span } from "../diagnostics/types.js";
import type { PlanOverlay } from "../graph/plan.js";

export type Action = "create" | "update" | "delete";

/** One changed leaf of a Kubernetes object. `undefined` means the field is absent on that side. */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

interface ChangeBase {
  /** Stable name of what changes: `<apiVersion>/<kind>/[<namespace>/]<name>` or a file path. */
  readonly address: string;
  readonly action: Action;
  /** How many resources the entry stands for (a collapsed host-file entry: one per node). */
  readonly count: number;
  /** True when a disruption is about this change (the plan decides, from the disruptions). */
  readonly disruptive: boolean;
  /** Each such disruption's title and what it breaks. */
  readonly reasons: readonly string[];
}

/** A Kubernetes object under manifests/. */
export interface ObjectChange extends ChangeBase {
  readonly type: "object";
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly name: string;
  /** The rendered file that holds it (the base's for a delete). */
  readonly file: string;
  /** Changed leaves only (unchanged fields are hidden); every leaf for a create or delete. */
  readonly fields: readonly FieldChange[];
}

/** A host file (`hosts/<node>/<path>`), for one node or collapsed over many. */
export interface HostFileChange extends ChangeBase {
  readonly type: "host-file";
  /** The path below the node's folder, e.g. `netplan/60-netcompile.yaml`. */
  readonly path: string;
  /** The node group the nodes belong to (their name prefix), undefined for listed nodes. */
  readonly group: string | undefined;
  /** Every node the entry covers, in natural order. */
  readonly nodes: readonly string[];
  /** True when every node has exactly this change; false when the diffs differ per node. */
  readonly identical: boolean;
  /** How many different diffs the nodes have (1 when identical). */
  readonly variants: number;
  /** The node whose diff is shown. */
  readonly shownFor: string;
  /** Unified diff hunks (no file headers) of `shownFor`. */
  readonly diff: string;
  readonly linesAdded: number;
  readonly linesRemoved: number;
}

/** Any other file of the rendered tree (not a manifest, not a host file). */
export interface OtherFileChange extends ChangeBase {
  readonly type: "file";
  readonly path: string;
  readonly diff: string;
}

export type Change = ObjectChange | HostFileChange | OtherFileChange;

/** The exact change an acknowledgement names: resource + field + before -> after. */
export interface ChangeKey {
  readonly resource: string;
  readonly field: string;
  readonly from: string;
  readonly to: string;
}

export type DisruptionKind =
  | "encapsulation-switch"
  | "backend-change"
  | "pool-immutable-field"
  | "pool-removed"
  | "pool-disabled"
  | "vxlan-port-change"
  | "vxlan-vni-change"
  | "wireguard-change"
  | "mtu-decrease"
  | "underlay-mtu-decrease"
  | "node-removed";

/** Who a disruption hits. */
export interface Affected {
  readonly pools: readonly string[];
  /** Node count, and the count per node group (`""` = nodes listed one by one). */
  readonly nodes: number;
  readonly nodeGroups: readonly { readonly group: string; readonly nodes: number }[];
  /** The node names (JSON only: may be long). */
  readonly nodeNames: readonly string[];
}

export interface Acknowledged {
  readonly reason: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ReportedTexts {
  readonly messageId: string;
  readonly titleId: string;
  readonly stepsId: string | undefined;
  readonly data: Readonly<Record<string, string | number>>;
}

export interface Disruption {
  /** The id of the plan rule that found it (a DisruptionKind for the built-in ones). */
  readonly kind: string;
  /** The diagnostic code when it is not acknowledged: NC6001, or the rule id when not acknowledgeable. */
  readonly code: string;
  /** That diagnostic's severity (NC6001's, or the rule's as the Cluster's spec.rules sets it). */
  readonly severity: Severity;
  readonly change: ChangeKey;
  /** One line: what changes. */
  readonly title: string;
  /** What breaks, and for whom. */
  readonly breaks: string;
  /** What to do instead, or how to roll it out (migration steps). */
  readonly steps: readonly string[];
  readonly affected: Affected;
  /** False when no acknowledgement can make the change safe (Calico rejects it). */
  readonly acknowledgeable: boolean;
  /** Where the change is in the repository (the changed field). */
  readonly span: Span;
  readonly related: readonly RelatedLocation[];
  /** What the plan rule reported: the ids of its texts and the data that fills them. */
  readonly reported: ReportedTexts;
  /** Addresses of the plan changes this disruption is about. */
  readonly addresses: readonly string[];
  /** The Cluster's acknowledgement that accepts it, when one does. */
  readonly acknowledged: Acknowledged | undefined;
}

/** How the base was chosen and how much of it could be analysed. */
export interface BaseInfo {
  readonly kind: "git" | "dir" | "live" | "none";
  /** The ref as given (`--base`), the folder as shown (`--against`), the snapshot (`--live`), or undefined. */
  readonly ref: string | undefined;
  readonly commit: string | undefined;
  readonly description: string;
  /** What the disruption analysis ran on: the base's model, its rendered manifests, a live snapshot, or nothing. */
  readonly analysis: "model" | "manifests" | "live" | "none";
}

/**
 * Something the reader must know about the plan that is not a disruption: a limit of the
 * analysis (an NC code), or what a change does according to a plan rule (the rule id).
 */
export interface PlanNote {
  readonly code: string;
  readonly message: string;
  /** "Kind/name" of what a plan rule's note is about. */
  readonly resource?: string;
  /** What the plan rule reported (its note id and data); not printed. */
  readonly reported?: {
    readonly noteId: string;
    readonly data: Readonly<Record<string, string | number>>;
  };
}

/** A change of the intent that renders to nothing (yet), e.g. nodes before host files exist. */
export interface TopologyChange {
  readonly what: "nodes-added" | "nodes-removed";
  readonly group: string;
  readonly nodes: readonly string[];
}

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly disruptive: number;
  readonly acknowledged: number;
}

export interface Plan {
  readonly base: BaseInfo;
  readonly summary: PlanSummary;
  readonly changes: readonly Change[];
  readonly disruptions: readonly Disruption[];
  readonly topology: readonly TopologyChange[];
  readonly notes: readonly PlanNote[];
  readonly diagnostics: readonly Diagnostic[];
  /** False when the repository did not compile, so no changes could be computed. */
  readonly complete: boolean;
  /** The overlay graph before and after (markdown draws it when an edge changes). */
  readonly overlay?: PlanOverlay;
}
