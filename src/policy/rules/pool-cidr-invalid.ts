import { parseCidr } from "../../model/cidr.js";
import { ipv4OfMapped, isIpv4Mapped } from "../calico-limits.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico: spec.cidr is required and must parse as Go's net.ParseCIDR parses it
 * (clientv3 ippool.go validateAndSetDefaults; validator.go validateIPPoolSpec).
 */
export const rule = defineRule({
  id: "pool-cidr-invalid",
  meta: {
    description: "An IPPool's cidr is empty, is not a CIDR, or is an IPv4-mapped IPv6 network.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      empty: 'IPPool "{pool}": cidr is empty; Calico requires a network such as 192.168.0.0/16',
      invalid:
        'IPPool "{pool}": cidr "{cidr}" is not a CIDR (expected an address and a prefix length, e.g. 192.168.0.0/16)',
      leadingZero:
        'IPPool "{pool}": cidr "{cidr}" writes the prefix length with a leading zero; write {suggestion}',
      ipv4Mapped:
        'IPPool "{pool}": cidr {cidr} is an IPv4-mapped IPv6 network, which Calico reads as an IPv4 pool with a prefix length of {prefix}; write it as {ipv4}',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      const span = pool.source.at(["spec", "cidr"]);
      const resource = poolResource(pool);
      if (pool.cidr) {
        if (isIpv4Mapped(pool.cidr)) {
          ctx.report({
            messageId: "ipv4Mapped",
            data: {
              pool: pool.name,
              cidr: pool.cidrText,
              prefix: pool.cidr.prefix,
              ipv4: ipv4OfMapped(pool.cidr).canonical,
            },
            span,
            resource,
          });
        }
        continue;
      }
      if (pool.cidrText === "") {
        ctx.report({ messageId: "empty", data: { pool: pool.name }, span, resource });
        continue;
      }
      const padded = /^([^/]+)\/0+([0-9]+)$/.exec(pool.cidrText);
      const suggestion = padded ? `${padded[1]}/${Number(padded[2])}` : undefined;
      if (suggestion && parseCidr(suggestion)) {
        ctx.report({
          messageId: "leadingZero",
          data: { pool: pool.name, cidr: pool.cidrText, suggestion },
          span,
          resource,
        });
        continue;
      }
      ctx.report({
        messageId: "invalid",
        data: { pool: pool.name, cidr: pool.cidrText },
        span,
        resource,
      });
    }
  },
});
