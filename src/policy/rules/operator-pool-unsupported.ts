import { defineRule } from "../rule.js";
import { encapsulationSpan } from "../spans.js";
import { poolResource } from "../../model/resources.js";

/** The Installation CRD's limit on spec.calicoNetwork.ipPools (installation_types.go MaxItems). */
export const OPERATOR_MAX_POOLS = 25;

/**
 * With install: operator the pools travel in Installation.spec.calicoNetwork.ipPools, which
 * cannot carry every IPPool field, and the operator refuses some pools Calico accepts
 * (tigera/operator v1.40.15: api/v1/installation_types.go, pkg/controller/ippool,
 * pkg/controller/installation/validation.go). Either way the pool would not be what the
 * repository says: nothing is dropped silently.
 */
export const rule = defineRule({
  id: "operator-pool-unsupported",
  meta: {
    description:
      "With install: operator, an IPPool uses a field the operator's Installation cannot carry (namespaceSelector), or is one the operator refuses although Calico accepts it.",
    defaultSeverity: "error",
    category: "operator",
    // It counts the pools (the operator's limit of 25).
    needsEvery: ["IPPool"],
    // The operator drops the field or refuses the pool whatever a waiver says.
    waivable: false,
    messages: {
      namespaceSelector:
        'IPPool "{pool}": the operator\'s Installation cannot carry namespaceSelector (its ipPools have no such field), so the operator would create the pool for every namespace; remove namespaceSelector, or use install: manifest',
      tooManyPools:
        "install: operator carries at most {limit} IP pools (the Installation CRD's ipPools maxItems), and the repository has {count}; merge pools, or use install: manifest",
      disabledSmallerThanBlock:
        'IPPool "{pool}": cidr {cidr} is smaller than one /{blockSize} block; Calico accepts that for a disabled pool, the operator refuses it even disabled ("IP pool size is too small"); use a blockSize of at least {prefix}',
      withoutBGP:
        'IPPool "{pool}" is {what}, and the operator refuses IP-in-IP and unencapsulated pools while BGP is off (backend {backend}), disabled pools and pools not for workloads included; use backend bird, or vxlanMode',
    },
  },
  check(model, ctx) {
    const { cluster } = model;
    if (cluster.install !== "operator") return;
    const withCidr = model.pools.filter((p) => p.cidr !== undefined);
    if (withCidr.length > OPERATOR_MAX_POOLS) {
      ctx.report({
        messageId: "tooManyPools",
        data: { limit: OPERATOR_MAX_POOLS, count: withCidr.length },
        span: cluster.source.at(["spec", "install"]),
        resource: `Cluster/${cluster.metadata.name}`,
      });
    }
    for (const pool of model.pools) {
      const resource = poolResource(pool);
      if (pool.namespaceSelectorText) {
        ctx.report({
          messageId: "namespaceSelector",
          data: { pool: pool.name },
          span: pool.source.at(["spec", "namespaceSelector"]),
          resource,
        });
      }
      // Enabled pools are pool-smaller-than-block's: Calico refuses those too.
      if (pool.disabled && pool.cidr && pool.cidr.prefix > pool.blockSize) {
        ctx.report({
          messageId: "disabledSmallerThanBlock",
          data: {
            pool: pool.name,
            cidr: pool.cidrText,
            blockSize: pool.blockSize,
            prefix: pool.cidr.prefix,
          },
          span: pool.source.at(["spec", "cidr"]),
          resource,
        });
      }
      // Every listed pool, workload or not: the operator refuses the Installation, so this one
      // (which no waiver lowers) reports them, not ipip-requires-bgp or backend-none-pool.
      if (cluster.backend !== "bird" && pool.vxlanMode === "Never") {
        const mode = pool.ipipMode === "Never" ? "unencapsulated" : "IP-in-IP";
        ctx.report({
          messageId: "withoutBGP",
          data: {
            pool: pool.name,
            what: pool.disabled
              ? `a disabled ${mode} pool`
              : `an ${mode} pool for ${pool.allowedUses.join(", ")}`,
            backend: cluster.backend,
          },
          span: encapsulationSpan(pool),
          resource,
          related: [
            { ...cluster.source.at(["spec", "networking", "backend"]), message: "the backend" },
          ],
        });
      }
    }
  },
});
