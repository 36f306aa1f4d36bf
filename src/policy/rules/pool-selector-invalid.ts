import { parseSelector } from "../../model/selector.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico validates nodeSelector and namespaceSelector with its selector parser, and refuses
 * any selector containing "global(" in an IPPool (validator.go; a substring test, as upstream).
 */
export const rule = defineRule({
  id: "pool-selector-invalid",
  meta: {
    description: "An IPPool's nodeSelector or namespaceSelector does not parse, or uses global().",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      syntax: 'IPPool "{pool}": {field} does not parse at character {position}: {reason}',
      global:
        'IPPool "{pool}": {field} uses global(), which Calico refuses in an IP pool; use all()',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      const selectors: [string, string | undefined][] = [
        ["nodeSelector", pool.nodeSelectorText],
        ["namespaceSelector", pool.namespaceSelectorText],
      ];
      for (const [field, text] of selectors) {
        if (text === undefined) continue;
        const span = pool.source.at(["spec", field]);
        const parsed = parseSelector(text);
        if (!parsed.ok) {
          ctx.report({
            messageId: "syntax",
            data: {
              pool: pool.name,
              field,
              position: parsed.error.offset + 1,
              reason: parsed.error.message,
            },
            span,
            resource: poolResource(pool),
          });
        } else if (text.includes("global(")) {
          ctx.report({
            messageId: "global",
            data: { pool: pool.name, field },
            span,
            resource: poolResource(pool),
          });
        }
      }
    }
  },
});
