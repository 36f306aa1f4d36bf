import { CRD_API_VERSION, ipipModeOfV1 } from "../../model/resolve.js";
import type { Pool } from "../../model/types.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * The v1 fields `ipip` and `nat-outgoing` where Calico accepts them: projectcalico.org/v3 takes
 * them only empty (`ipip: null`, `nat-outgoing: false`) and ignores them; a
 * crd.projectcalico.org/v1 object keeps them in its CRD and libcalico-go converts them on every
 * read. Each message names the v3 field to write instead. Where Calico refuses them,
 * pool-legacy-field-rejected reports.
 */
export const rule = defineRule({
  id: "pool-legacy-field",
  meta: {
    description:
      "An IPPool writes a v1 field (ipip, nat-outgoing) where Calico accepts it; the v3 field says the same plainly.",
    defaultSeverity: "info",
    category: "calico",
    needsEvery: [],
    waivable: true,
    messages: {
      natOutgoingIgnored:
        'IPPool "{pool}": nat-outgoing is the v1 spelling of natOutgoing; projectcalico.org/v3 accepts it only as false, and ignores it: remove it (natOutgoing is the field)',
      ipipIgnored:
        'IPPool "{pool}": ipip is the v1 form of ipipMode; Calico accepts it only empty (null), and ignores it: remove it (ipipMode is the field)',
      ipipConverted:
        'IPPool "{pool}": ipip {written} is the v1 form of ipipMode; Calico reads it as ipipMode {mode}, over any ipipMode beside it: write ipipMode: {mode} instead',
      natOutgoingConverted:
        'IPPool "{pool}": nat-outgoing: {value} is the v1 spelling of natOutgoing; Calico turns outgoing NAT on when either is true, so it is {effective}: write natOutgoing: {effective} instead',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      const v1 = pool.apiVersion === CRD_API_VERSION;
      const { ipip, natOutgoingV1 } = pool.written;
      const at = (field: string) => ({
        span: pool.source.at(["spec", field]),
        resource: poolResource(pool),
      });
      if (ipip === null) {
        ctx.report({ messageId: "ipipIgnored", data: { pool: pool.name }, ...at("ipip") });
      } else if (ipip && v1) {
        ctx.report({
          messageId: "ipipConverted",
          data: { pool: pool.name, written: ipipText(ipip), mode: ipipModeOfV1(ipip) },
          ...at("ipip"),
        });
      }
      if (natOutgoingV1 === undefined) continue;
      if (v1) {
        ctx.report({
          messageId: "natOutgoingConverted",
          data: {
            pool: pool.name,
            value: String(natOutgoingV1),
            effective: String(pool.natOutgoing),
          },
          ...at("nat-outgoing"),
        });
      } else if (!natOutgoingV1) {
        ctx.report({
          messageId: "natOutgoingIgnored",
          data: { pool: pool.name },
          ...at("nat-outgoing"),
        });
      }
    }
  },
});

/** `{enabled: true, mode: cross-subnet}`: the v1 field as written. */
export function ipipText(ipip: NonNullable<Pool["written"]["ipip"]>): string {
  const mode = ipip.mode === undefined ? "" : `, mode: ${ipip.mode}`;
  return `{enabled: ${ipip.enabled ?? false}${mode}}`;
}
