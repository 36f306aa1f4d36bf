import { definePlanRule } from "../plan-rule.js";
import { poolResource } from "../../model/resources.js";

/** The first Calico release that accepts rewriting a cidr to the same network in canonical form. */
const CANONICAL_REWRITE_SINCE = [3, 31, 3] as const;

/**
 * Calico: an IPPool's cidr and blockSize are immutable, and a LoadBalancer pool stays one
 * (libcalico-go rejects the update, clientv3/ippool.go), so the change can never be applied in
 * place, whatever acknowledges it.
 * Plan scope: it compares the repository with the base.
 */
export const rule = definePlanRule({
  id: "pool-immutable-field",
  meta: {
    description:
      "An existing IPPool's cidr or blockSize changes, or a LoadBalancer pool takes another use; Calico rejects that update. Migrate through a new pool.",
    defaultSeverity: "error",
    scope: "plan",
    acknowledgeable: false,
    titles: { change: "IPPool/{pool}: {field} {before} -> {after}" },
    messages: {
      immutable:
        'IPPool "{pool}": {field} cannot change on an existing pool ({before} -> {after}); Calico rejects the update. Migrate in steps instead: (1) keep "{pool}" as it is and add a new IPPool with cidr {cidr} and blockSize {blockSize}; (2) set disabled: true on "{pool}"; (3) recreate the workloads so they take addresses from the new pool; (4) delete "{pool}" once no workload uses it',
      loadBalancerUse:
        'IPPool "{pool}": {field} cannot change from {before} to {after}; Calico rejects the update (a LoadBalancer pool stays one). Keep it as it is and add a new IPPool for workloads or tunnels',
      canonicalRewrite:
        'IPPool "{pool}": {field} is rewritten to its canonical form ({before} -> {after}); Calico accepts that only from v3.31.3 and this cluster runs {version}. Keep {before} until Calico is upgraded',
    },
  },
  check(model, ctx) {
    const version = olderVersion(ctx.base.calicoVersion, model.cluster.calicoVersion);
    const seen = new Set<string>();
    for (const pool of model.pools) {
      if (seen.has(pool.name) || !pool.cidr) continue;
      seen.add(pool.name);
      const before = ctx.base.pools.get(pool.name);
      if (!before) continue;
      const resource = poolResource(pool);
      const who = {
        resource,
        titleId: "change" as const,
        pools: [pool.name],
        nodes: [...(before.nodes ?? []), ...(ctx.current.pools.get(pool.name)?.nodes ?? [])],
        targets: [{ kind: "IPPool", name: pool.name }],
      };
      const related = (path: readonly string[], what: string) =>
        before.source ? [{ ...before.source.at(path), message: `the base has ${what} here` }] : [];
      const steps = { pool: pool.name, cidr: pool.cidr.canonical, blockSize: pool.blockSize };
      const after = pool.cidr.canonical;
      if (before.cidr !== after) {
        const sameNetwork = before.network === after;
        if (!sameNetwork) {
          ctx.report({
            ...who,
            messageId: "immutable",
            data: { ...steps, field: "spec.cidr", before: before.cidr, after },
            change: { field: "spec.cidr", from: before.cidr, to: after },
            span: pool.source.at(["spec", "cidr"]),
            related: related(["spec", "cidr"], `cidr ${before.cidr}`),
          });
        } else if (version && !atLeast(version, CANONICAL_REWRITE_SINCE)) {
          ctx.report({
            ...who,
            messageId: "canonicalRewrite",
            data: { pool: pool.name, field: "spec.cidr", before: before.cidr, after, version },
            change: { field: "spec.cidr", from: before.cidr, to: after },
            span: pool.source.at(["spec", "cidr"]),
          });
        }
      }
      // clientv3 refuses an update that gives a LoadBalancer pool any other use (ippool.go:402-419).
      const otherUses = pool.allowedUses.filter((u) => u !== "LoadBalancer");
      if (before.allowedUses.includes("LoadBalancer") && otherUses.length > 0) {
        ctx.report({
          ...who,
          messageId: "loadBalancerUse",
          data: {
            pool: pool.name,
            field: "spec.allowedUses",
            before: before.allowedUses.join(", "),
            after: pool.allowedUses.join(", "),
          },
          change: {
            field: "spec.allowedUses",
            from: before.allowedUses.join(","),
            to: pool.allowedUses.join(","),
          },
          span: pool.source.at(["spec", "allowedUses"]),
          related: related(
            ["spec", "allowedUses"],
            `allowedUses [${before.allowedUses.join(", ")}]`,
          ),
        });
      }
      if (before.blockSize !== pool.blockSize) {
        ctx.report({
          ...who,
          messageId: "immutable",
          data: {
            ...steps,
            field: "spec.blockSize",
            before: before.blockSize,
            after: pool.blockSize,
          },
          change: {
            field: "spec.blockSize",
            from: String(before.blockSize),
            to: String(pool.blockSize),
          },
          span: pool.source.at(["spec", "blockSize"]),
          related: related(["spec", "blockSize"], `blockSize ${before.blockSize}`),
        });
      }
    }
  },
});

type Version = readonly [number, number, number];

function parseVersion(text: string | undefined): Version | undefined {
  const m = text === undefined ? null : /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function atLeast(text: string, min: Version): boolean {
  const v = parseVersion(text);
  if (!v) return false;
  for (const [i, part] of v.entries()) if (part !== min[i]) return part > (min[i] ?? 0);
  return true;
}

/** The update is applied by the Calico that runs: the older of the base's and the repository's. */
function olderVersion(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !parseVersion(a)) return b;
  const other = parseVersion(b);
  if (!b || !other) return a;
  return atLeast(a, other) ? b : a;
}
