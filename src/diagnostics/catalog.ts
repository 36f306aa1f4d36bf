/**
 * Every pipeline diagnostic code, its category and message template. One code per problem:
 * codes are unique (a test checks), keyed by code, never by English text, and a code number
 * is never reused for another meaning. Placeholders are `{name}`; each code's data is typed
 * from its template (MessageData), so a call with a missing or an extra placeholder fails tsc.
 * 1xxx load/YAML, 2xxx schema, 3xxx resolve and settings (incl. waivers and Policy documents),
 * 5xxx render/emit, 6xxx plan, 7xxx live snapshots (import, verify, plan --live), 9xxx internal.
 * docs/diagnostics.md lists them all.
 */
import type { Severity } from "./types.js";

export interface CatalogEntry {
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
}

export const catalog = {
  NC1001: { severity: "error", title: "YAML syntax error", message: "{detail}" },
  NC1002: {
    severity: "error",
    title: "duplicate key",
    message: 'duplicate key "{key}" in a mapping',
  },
  NC1003: {
    severity: "error",
    title: "document without apiVersion or kind",
    message: "document has no {field}; every document must say what it is (apiVersion and kind)",
  },
  NC1004: {
    severity: "error",
    title: "unknown kind",
    message: "{what} is not a kind netcompile reads; expected one of: {expected}{hint}",
  },
  NC1005: {
    severity: "error",
    title: "no Cluster",
    message:
      "netcompile.yaml holds no Cluster document (apiVersion: netcompile.dev/v1alpha1, kind: Cluster)",
  },
  NC1006: {
    severity: "error",
    title: "several Clusters",
    message: "a repository holds exactly one Cluster; this is another one",
  },
  NC1007: {
    severity: "error",
    title: "missing netcompile.yaml",
    message:
      "no netcompile.yaml at the repository root {dir}; it marks the repository and holds the Cluster",
  },
  NC1008: {
    severity: "error",
    title: "duplicate resource name",
    message: '{kind} "{name}" is defined more than once',
  },
  NC1009: {
    severity: "error",
    title: "too many aliases",
    message: "document expands too many YAML aliases (limit {limit}); write the values out",
  },
  /** `detail` is the system's reason (the file vanished, permission denied, an I/O error). */
  NC1010: { severity: "error", title: "unreadable file", message: "cannot read {what}: {detail}" },
  NC1011: {
    severity: "error",
    title: "Cluster outside netcompile.yaml",
    message: "the Cluster belongs in netcompile.yaml at the repository root",
  },
  NC1012: {
    severity: "error",
    title: "document is not a mapping",
    message:
      "document is {type}; a resource must be a mapping with apiVersion, kind, metadata and spec",
  },
  NC1013: {
    severity: "error",
    title: "no Topology",
    message: "the repository holds no Topology document; netcompile needs the nodes and subnets",
  },
  NC1014: {
    severity: "error",
    title: "file too large",
    message: "{what} is {size} bytes; the limit is {limit} bytes",
  },
  NC1015: {
    severity: "error",
    title: "nesting too deep",
    message: "document nests deeper than {limit} levels",
  },
  NC1016: {
    severity: "error",
    title: "too many documents in a file",
    message:
      "{file} holds more than {limit} YAML documents; the limit is {limit} (maxDocuments, see SECURITY.md)",
  },
  NC1017: {
    severity: "error",
    title: "repository over a count limit",
    message:
      "the repository holds {count} {what}; the limit is {limit} ({limitName}, see SECURITY.md)",
  },
  NC1018: {
    severity: "error",
    title: "symbolic link in the repository",
    message:
      "{path} is {what}; netcompile follows no link in a repository (it could point outside it): commit the file itself, or list the path in the Cluster's spec.ignore",
  },
  NC1019: {
    severity: "error",
    title: "not a regular file",
    message:
      "{path} is {what}, not a regular file; netcompile reads only regular files (remove it, or list the path in the Cluster's spec.ignore)",
  },
  NC1020: {
    severity: "error",
    title: "permission denied",
    message:
      "cannot read the {what} {path}: permission denied; netcompile needs to read every file it would use (or list the path in the Cluster's spec.ignore)",
  },
  NC1021: {
    severity: "error",
    title: "path too long",
    message:
      "cannot read the {what} {path}: its path is longer than the system allows; shorten the folder names or check the repository out at a shorter path",
  },
  NC1040: {
    severity: "warning",
    title: "YAML 1.1 reads the value differently",
    message:
      "{field} is written {text}: netcompile (YAML 1.2) reads {reading}, YAML 1.1 readers (kubectl and other go-yaml tools) read {reading11}; {fix}",
  },
  NC1041: {
    severity: "error",
    title: "tag netcompile does not read",
    message:
      "the tag {tag} ({what}) is not one netcompile reads: it reads the YAML 1.2 core schema (strings, numbers, booleans, null, mappings and lists, and the tags !!str, !!int, !!float, !!bool, !!null, !!map, !!seq); write the value without the tag",
  },
  NC1042: {
    severity: "error",
    title: "character YAML does not allow",
    message:
      "the text holds the character {char}, which YAML does not allow in a file (only printable characters, tab and line breaks); write it as an escape in a double-quoted string",
  },
  NC1043: {
    severity: "error",
    title: "lone surrogate",
    message:
      "{field} holds {escape}, half of a UTF-16 surrogate pair and not a character: UTF-8 and Kubernetes cannot carry it; write the whole character (\\U0001F600 or the character itself)",
  },
  NC1044: {
    severity: "error",
    title: "file is not UTF-8",
    message: "{what} is not UTF-8 text: save it as UTF-8 (YAML and Kubernetes read nothing else)",
  },
  NC1045: {
    severity: "error",
    title: "YAML in an output folder no build wrote",
    message:
      "{dir} is netcompile's output folder (spec.output.dir, rendered unless set), which it never reads as input and a build replaces, but no build wrote it (it has no {lock}) and it holds YAML ({count}: {files}): move the input out of {dir}, or choose another spec.output.dir",
  },
  NC1046: {
    severity: "info",
    title: "YAML left out by spec.ignore",
    message: "spec.ignore leaves YAML out of the input, unread and unchecked ({count}: {files})",
  },
  NC1047: {
    severity: "error",
    title: "lock file that is not a file",
    message:
      "{path} is not a regular file (a link, a folder or a special file): netcompile neither reads nor trusts it, so its folder counts as no build's output; remove it and build again",
  },
  NC2001: { severity: "error", title: "unknown field", message: 'unknown field "{field}"{hint}' },
  NC2002: {
    severity: "error",
    title: "wrong type",
    message: "{path} must be {expected}, not {actual}",
  },
  NC2003: {
    severity: "error",
    title: "missing field",
    message: 'missing required field "{field}"{where}',
  },
  NC2004: {
    severity: "error",
    title: "value not allowed",
    message: "{path} must be one of {allowed}, not {actual}{hint}",
  },
  NC2005: { severity: "error", title: "invalid value", message: "{path} {detail}" },
  NC2006: {
    severity: "info",
    title: "document left out of the rules",
    message:
      "{resource} is left out of the model and the rules until it passes its schema; the rules that need every {kind} did not run: {rules}",
  },
  NC3001: {
    severity: "error",
    title: "node group does not fit",
    message:
      'node group "{group}" needs {count} addresses from {first}, but subnet "{subnet}" ({cidr}) ends before the last one',
  },
  NC3002: {
    severity: "error",
    title: "unknown subnet",
    message: 'no subnet named "{subnet}"{hint}',
  },
  // NC3003 ("invalid setting") used to carry eight kinds of problem as free text; it now means
  // only an unknown rule id in spec.rules, and the others have codes of their own (NC1016,
  // NC1017, NC3009-NC3024; docs/diagnostics.md).
  NC3003: {
    severity: "error",
    title: "unknown rule in spec.rules",
    message: 'unknown rule "{rule}"{hint}',
  },
  NC3004: {
    severity: "error",
    title: "malformed waiver",
    message:
      'waiver "{text}" does not read "<rule-id>: <reason>": name the rule, then a colon and the reason, e.g. "pool-overlap: migration to 10.64.0.0/12, NET-142"',
  },
  NC3005: {
    severity: "warning",
    title: "waiver matches nothing",
    message: 'waiver for "{rule}" matches no finding on {resource}{hint}; remove it',
  },
  NC3006: {
    severity: "error",
    title: "invalid Policy selector",
    message:
      'Policy "{policy}": spec.match.selector does not parse at character {position}: {reason}',
  },
  NC3007: {
    severity: "error",
    title: "invalid Policy assertion",
    message: 'Policy "{policy}": spec.assert is not a usable JSON Schema: {detail}',
  },
  NC3008: {
    severity: "error",
    title: "Policy id taken",
    message:
      'Policy "{policy}" has the id of a built-in rule; a Policy\'s id is its metadata.name, so choose another name',
  },
  NC3009: {
    severity: "error",
    title: "node group starts outside its subnet",
    message:
      'node group "{group}" needs {count} addresses from {first}, but {address} is outside subnet "{subnet}" ({cidr})',
  },
  NC3010: {
    severity: "error",
    title: "too many nodes",
    message:
      'node group "{group}" needs {count} addresses from {first}, but the repository may hold at most {limit} nodes',
  },
  NC3011: {
    severity: "error",
    title: "Topologies disagree on routesWorkloadIPs",
    message: "Topology documents disagree on spec.underlay.routesWorkloadIPs; set it in one place",
  },
  NC3012: {
    severity: "error",
    title: "gateway is not an address",
    message: 'gateway "{gateway}" is not an IP address',
  },
  NC3013: {
    severity: "error",
    title: "gateway outside its subnet",
    message: 'gateway {gateway} is outside subnet "{subnet}" ({cidr})',
  },
  NC3014: {
    severity: "error",
    title: "static subnet without a gateway",
    message:
      'subnet "{subnet}" has no gateway (and no dhcp: true): static host networking configures each node\'s interface completely, and its nodes could not reach the {others} other subnet(s)',
  },
  // NC3015 (an IPv6 node in static host networking) and NC3016 (an IPv6 pod CIDR there) are
  // retired: static host networking takes IPv6 and dual-stack nodes (NC3090, NC3091).
  NC3017: {
    severity: "error",
    title: "pod CIDR is not a CIDR",
    message: '{field} "{value}" is not a CIDR',
  },
  NC3018: {
    severity: "error",
    title: "pod CIDR has host bits set",
    message: "{field} {value} has host bits set; write {cidr}",
  },
  NC3019: {
    severity: "error",
    title: "pod CIDR outside the node's pools",
    message:
      '{field} {cidr} of node "{node}" is inside no enabled IPv{family} pool that selects the node (pools that do: {pools})',
  },
  NC3020: {
    severity: "error",
    title: "node group's pod CIDRs outside its pools",
    message:
      'node group "{group}": {count} blocks of /{prefix} from {first} do not all fit in one enabled IPv{family} pool that selects its nodes (pools that do: {pools}); "{node}" would get {cidr}',
  },
  NC3021: {
    severity: "error",
    title: "node without a pod CIDR",
    message:
      'node "{node}" has no pod CIDR: no enabled {family} pool selects it; static host networking needs one (set {field}, or make a pool select the node)',
  },
  NC3022: {
    severity: "error",
    title: "pod CIDRs overlap",
    message:
      'pod CIDR {cidr} of node "{node}" overlaps node "{other}"\'s ({otherCidr}); pod CIDRs must not overlap',
  },
  NC3023: {
    severity: "error",
    title: "node group's pod CIDRs overlap",
    message:
      'node group "{group}": pod CIDR {cidr} of node "{node}" overlaps node "{other}"\'s ({otherCidr}){hint}',
  },
  NC3024: {
    severity: "error",
    title: "pod CIDR hash collision",
    message:
      'pod CIDR {cidr} of node "{node}" (the block its name hashes to in pool "{pool}") is also node "{other}"\'s ({otherCidr}); {fix}',
  },
  NC3025: {
    severity: "error",
    title: "Policies cost too much",
    message:
      'Policy "{policy}": an assertion of {size} schema values over up to {resources} resources is {work} checks, past the limit of {limit} for all Policies together (maxPolicyWork, see SECURITY.md)',
  },
  NC3026: {
    severity: "error",
    title: "empty waiver annotation",
    message: 'the waiver annotation is empty: write one waiver per line, "<rule-id>: <reason>"',
  },
  NC3027: {
    severity: "error",
    title: "waiver of a pipeline error",
    message:
      'waiver "{text}": {code} is a pipeline error, not a rule finding; errors like it cannot be waived, only fixed',
  },
  NC3028: {
    severity: "error",
    title: "waiver without a reason",
    message:
      'waiver "{text}" gives no reason: say after the colon why the {rule} finding is accepted',
  },
  NC3045: {
    severity: "error",
    title: "waiver of a Calico verdict",
    message:
      "waiver of {rule} on {resource} refused: the finding is Calico's own verdict (Calico or its operator rejects the object, or the manifest could not carry it), so no reason makes it valid; fix the resource",
  },
  NC3046: {
    severity: "error",
    title: "spec.rules lowers a Calico verdict",
    message:
      'spec.rules cannot set {rule} to "{setting}": the finding is Calico\'s own verdict (Calico or its operator rejects the object), so it stays an error',
  },
  NC3060: {
    severity: "error",
    title: "Typha setting with install: operator",
    message:
      "spec.typha {field} cannot take effect with install: operator: the operator always runs Typha and scales it by node count; remove it, or use install: manifest",
  },
  NC3061: {
    severity: "warning",
    title: "more Typha replicas than nodes",
    message:
      "spec.typha.replicas is {replicas}, but the topology has {nodes} node(s): each Typha listens on port 5473 of its node, so at most one runs per node and the others stay Pending",
  },
  NC3062: {
    severity: "warning",
    title: "Typha off on a large cluster",
    message:
      "Typha is off (spec.typha.enabled: false) with {nodes} nodes: Calico calls it essential above {essential} nodes with the Kubernetes datastore, since without it every Felix watches the API server itself",
  },
  NC3063: {
    severity: "warning",
    title: "Typha replicas while Typha is off",
    message: "spec.typha.replicas has no effect: spec.typha.enabled is false; remove one of them",
  },
  NC3070: {
    severity: "error",
    title: "static subnet without a default route",
    message:
      'subnet "{subnet}" has no gateway (and no dhcp: true): static host networking configures each node\'s interface completely, so its nodes would have no default route; add gateway or dhcp: true',
  },
  NC3090: {
    severity: "error",
    title: "pod CIDR of the other IP family",
    message:
      "{field} {cidr} is an IPv{version} network, but {field} holds the node's IPv{family} pod CIDR; write it in {right}",
  },
  NC3091: {
    severity: "error",
    title: "pod CIDR of a family the node has no address of",
    message:
      '{field} is set, but node "{node}" has no IPv{family} address (address, or addressV6 beside an IPv4 address), so no peer could reach its IPv{family} workloads; remove {field} or give the node an IPv{family} address',
  },
  NC3092: {
    severity: "error",
    title: "IPv6 subnet MTU above its IPv4 subnet's",
    message:
      'subnet "{subnetV6}" has MTU {mtuV6}, more than the {mtu} of subnet "{subnet}": dual-stack nodes such as "{node}" carry both addresses on {interface}, whose one MTU is the IPv4 subnet\'s, and IPv6 can use less but not more; give "{subnetV6}" an mtu of at most {mtu}',
  },
  NC3093: {
    severity: "error",
    title: "WireGuard in static host networking",
    message:
      "networking.wireguard turns on WireGuard for {families}, but hostNetwork.mode is static: no Felix runs on the hosts to create {device} and exchange keys, and the static host files carry pod traffic unencrypted; remove networking.wireguard or use hostNetwork.mode calico",
  },
  NC5001: {
    severity: "error",
    title: "rendered output failed its check",
    message:
      "rendered {file} does not pass its own check: {detail} (this is a netcompile bug; please report it)",
  },
  NC5002: {
    severity: "error",
    title: "cannot write output",
    message: "cannot write {what}: {detail}",
  },
  NC5003: {
    severity: "error",
    title: "output is stale",
    message: "{file} {state}; run `netcompile build` and commit the result",
  },
  NC5004: {
    severity: "error",
    title: "output directory not ours",
    message:
      "{dir} exists and has no netcompile.lock.json; refusing to replace a directory netcompile did not write (use --force)",
  },
  NC5005: {
    severity: "error",
    title: "output through a symbolic link",
    message:
      "{dir}: {link} is a symbolic link; netcompile reads and writes its output only through real folders of the repository, never through a link",
  },
  NC5006: {
    severity: "error",
    title: "output would replace input",
    message:
      "{dir} {what}; refusing to replace it, even with --force (choose another output directory)",
  },
  NC5007: {
    severity: "error",
    title: "node name too long for a file name",
    message:
      'node name "{name}" is {bytes} bytes in UTF-8; it names the folder hosts/<name>/ of the output, and a file name may be at most {limit} bytes',
  },
  NC5035: {
    severity: "warning",
    title: "no host files for a subnet without a default route",
    message:
      'subnet "{subnet}" has neither gateway nor dhcp: true, so host files would leave its {count} node(s) without a default route (they configure the interface completely); none are rendered for them. Add gateway (or dhcp: true), or set hostNetwork.formats: [] to render no host files',
  },
  NC5036: {
    severity: "warning",
    title: "undeclared NIC MTU below the provider's",
    message:
      "subnet \"{subnet}\" gives its nodes static addresses and declares no mtu, so the host files leave each NIC at the MTU the system gives it ({ethernet} unless something raises it), while the pod MTU assumes {provider}'s {mtu}; declare mtu: {mtu} on the subnet (the host files then set it), or dhcp: true (the provider's DHCP sets it)",
  },
  NC5037: {
    severity: "error",
    title: "no Kubernetes objects in static mode",
    message:
      "static host networking renders no Kubernetes objects (its hosts run no Felix, and calico-node would create vxlan.calico beside the static nc-vxlan, with the same VNI and port), so there is nothing to sync; point the Argo CD Application at calico mode's repositories only",
  },
  NC5038: {
    severity: "info",
    title: "static mode renders host files only",
    message:
      "static host networking renders host files only, no manifests/: its hosts run no Felix, and calico-node, IPPools or a FelixConfiguration would start or configure one (calico-node would create vxlan.calico beside the static nc-vxlan, with the same VNI and port)",
  },
  NC6001: {
    severity: "error",
    title: "disruptive change not acknowledged",
    message:
      "{change} is disruptive and not acknowledged: {breaks}. To accept it, add to the Cluster's spec.acknowledgements: {ack}",
  },
  NC6002: {
    severity: "warning",
    title: "acknowledgement matches no change",
    message: "acknowledgement of {change} matches no change in this plan{hint}; remove it",
  },
  NC6003: {
    severity: "warning",
    title: "change cannot be acknowledged",
    message: "acknowledgement of {change} has no effect: {why}",
  },
  NC6004: {
    severity: "warning",
    title: "base does not validate",
    message:
      "the base ({base}) has {count} error(s), the first: {first}; the plan compares with what could be read from it",
  },
  NC6005: {
    severity: "info",
    title: "analysis incomplete",
    message: "the base is a rendered tree: {what} could not be read from it, so {consequence}",
  },
  NC6006: {
    severity: "info",
    title: "no base",
    message: "{why}: everything is an add",
  },
  NC6007: {
    severity: "error",
    title: "cannot read the base",
    message: "cannot read the base {base}: {detail}",
  },
  NC6008: {
    severity: "error",
    title: "no plan",
    message: "the repository does not validate ({count} error(s)): no plan until they are fixed",
  },
  NC7001: {
    severity: "error",
    title: "cannot read the snapshot",
    message: "cannot read the snapshot {path}: {detail}",
  },
  NC7002: {
    severity: "error",
    title: "snapshot file too large",
    message:
      "{file} is {size} bytes; a snapshot file may be at most {limit} bytes (maxFileBytes, see SECURITY.md)",
  },
  NC7003: {
    severity: "error",
    title: "snapshot over a limit",
    message:
      "the snapshot holds {count} {what}; the limit is {limit} ({limitName}, see SECURITY.md); nothing past it is read",
  },
  NC7004: {
    severity: "error",
    title: "snapshot file is not JSON or YAML",
    message: "{file} is not JSON or YAML: {detail}",
  },
  NC7005: {
    severity: "info",
    title: "objects ignored",
    message: "{count} {what} ignored: a snapshot is read for {expected}",
  },
  NC7006: {
    severity: "error",
    title: "no nodes in the snapshot",
    message:
      "the snapshot {path} holds no Node (kubectl get nodes -o json, or calicoctl get nodes -o yaml); it holds {found}",
  },
  NC7007: {
    severity: "warning",
    title: "node without Calico addresses",
    message:
      'Node "{node}" has no projectcalico.org/IPv4Address or IPv6Address annotation (calico-node has not run on it, or the snapshot lost them): {consequence}',
  },
  NC7008: {
    severity: "warning",
    title: "value Calico ignores",
    message: '{what} of {object} is "{value}": {why}; Calico ignores it',
  },
  NC7009: {
    severity: "error",
    title: "object without a required field",
    message: "{object} has no {field}; it is not read",
  },
  NC7010: {
    severity: "warning",
    title: "object twice in the snapshot",
    message: "{object} appears more than once in the snapshot; the first one ({first}) is read",
  },
  NC7011: {
    severity: "warning",
    title: "snapshot objects disagree",
    message:
      'Calico Node "{node}" has {field} {calico}, but its Kubernetes Node has {annotation} {kube}: were they taken at different times? The Calico Node is read',
  },
  NC7012: {
    severity: "error",
    title: "document is not a Kubernetes object",
    message:
      "document is {what}; a snapshot holds Kubernetes objects (apiVersion, kind, metadata), as kubectl and calicoctl print them",
  },
  NC7013: {
    severity: "error",
    title: "import into a folder that is not empty",
    message:
      "{dir} is not empty; import writes a new repository (with --force it replaces {files} there and leaves everything else)",
  },
  NC7014: {
    severity: "warning",
    title: "pool field not imported",
    message: 'IPPool "{pool}": {field} is not written to the repository: {why}',
  },
  NC7015: {
    severity: "warning",
    title: "live prefixes overlap",
    message:
      "nodes detected overlapping subnets, {wide} ({wideNodes}) and {narrow} ({narrowNodes}); the Topology takes {chosen}, and {placed}: check which is the real subnet",
  },
  NC7016: {
    severity: "info",
    title: "live analysis incomplete",
    message: "the live snapshot does not say {what}, so {consequence}",
  },
  NC7017: {
    severity: "error",
    title: "import output inside the snapshot",
    message:
      "{dir} is inside the snapshot {path}: the repository's files would be read as snapshot objects; write it elsewhere",
  },
  NC7018: {
    severity: "warning",
    title: "node left out of the import",
    message:
      'Node "{node}" has no address netcompile can use ({why}); it is not written to the Topology',
  },
  NC7019: {
    severity: "error",
    title: "repository not compared",
    message:
      "the repository does not validate ({count} error(s)): it is compared with the snapshot once they are fixed",
  },
  NC9001: {
    severity: "error",
    title: "internal error",
    message:
      "internal error: {detail} — this is a bug in netcompile; please report it with the command you ran (--debug shows the stack)",
  },
} as const satisfies Record<string, CatalogEntry>;

export type DiagnosticCode = keyof typeof catalog;

/** The `{name}` placeholders of a message template, as a union of names. */
export type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The data a code's message needs: exactly its placeholders (none: no data). */
export type MessageData<C extends DiagnosticCode> = [
  Placeholders<(typeof catalog)[C]["message"]>,
] extends [never]
  ? Readonly<Record<string, never>>
  : { readonly [Name in Placeholders<(typeof catalog)[C]["message"]>]: string | number };

/** Fills `{name}` placeholders; a placeholder without data is a bug and throws. */
export function formatMessage<C extends DiagnosticCode>(code: C, data: MessageData<C>): string {
  const template: string = catalog[code].message;
  const values: Readonly<Record<string, string | number | undefined>> = data;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`diagnostic ${code} needs "${key}"`);
    return String(value);
  });
}
