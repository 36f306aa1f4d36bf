import { CRD_API_VERSION, ipipModeOfV1 } from "../../model/resolve.js";
import { defineRule } from "../rule.js";
import { ipipText } from "./pool-legacy-field.js";
import { poolResource } from "../../model/resources.js";

/**
 * projectcalico.org/v3 keeps the v1 fields only for reading old objects: its validator refuses a
 * non-empty `ipip` (mustBeNil) and `nat-outgoing: true` (mustBeFalse), so Calico's API server
 * rejects the pool. The message names the v3 field to write.
 */
export const rule = defineRule({
  id: "pool-legacy-field-rejected",
  meta: {
    description:
      "A projectcalico.org/v3 IPPool sets a v1 field (ipip, nat-outgoing: true) that Calico's v3 API refuses.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      ipip: 'IPPool "{pool}": projectcalico.org/v3 refuses the v1 field ipip {written} (it must be left out); write ipipMode: {mode}',
      natOutgoing:
        'IPPool "{pool}": projectcalico.org/v3 refuses nat-outgoing: true (the v1 field may only be false); write natOutgoing: true',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      if (pool.apiVersion === CRD_API_VERSION) continue;
      const { ipip, natOutgoingV1 } = pool.written;
      if (ipip) {
        ctx.report({
          messageId: "ipip",
          data: { pool: pool.name, written: ipipText(ipip), mode: ipipModeOfV1(ipip) },
          span: pool.source.at(["spec", "ipip"]),
          resource: poolResource(pool),
        });
      }
      if (natOutgoingV1 === true) {
        ctx.report({
          messageId: "natOutgoing",
          data: { pool: pool.name },
          span: pool.source.at(["spec", "nat-outgoing"]),
          resource: poolResource(pool),
        });
      }
    }
  },
});
