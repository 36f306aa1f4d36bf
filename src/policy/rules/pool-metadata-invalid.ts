import {
  ANNOTATIONS_MAX_BYTES,
  labelValueProblem,
  qualifiedNameProblem,
} from "../calico-limits.js";
import { defineRule } from "../rule.js";
import { poolResource } from "../../model/resources.js";

/**
 * Calico validates an IPPool's labels and annotations as Kubernetes does (validateObjectMeta):
 * keys must be qualified names, label values short plain words, and all annotations together at
 * most 256 KiB. It judges the object netcompile renders: netcompile's own annotations
 * (netcompile.dev/…, waivers) are not rendered and do not count.
 */
/** The label the renderer writes over whatever the repository says (render/calico.ts MANAGED_BY). */
const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

export const rule = defineRule({
  id: "pool-metadata-invalid",
  meta: {
    description:
      "An IPPool's labels or annotations break Kubernetes' rules for object metadata, which Calico enforces.",
    defaultSeverity: "error",
    category: "calico",
    needsEvery: [],
    waivable: false,
    messages: {
      labelKey: 'IPPool "{pool}": label key "{key}" is not valid: {why}; Calico rejects the pool',
      labelValue:
        'IPPool "{pool}": label "{key}" has a value that is not valid ({length} characters): it {why}; Calico rejects the pool',
      annotationKey:
        'IPPool "{pool}": annotation key "{key}" is not valid: {why}; Calico rejects the pool',
      annotationsTooLarge:
        'IPPool "{pool}": its annotations take {size} bytes, over Calico\'s limit of {limit} (256 KiB, keys and values together); Calico rejects the pool',
    },
  },
  check(model, ctx) {
    for (const pool of model.pools) {
      const resource = poolResource(pool);
      const { labels, annotations } = pool.metadata;
      for (const [key, value] of Object.entries(labels).sort(([a], [b]) => compareKeys(a, b))) {
        if (key === MANAGED_BY_LABEL) continue;
        const why = qualifiedNameProblem(key);
        if (why) {
          ctx.report({
            messageId: "labelKey",
            data: { pool: pool.name, key, why },
            span: pool.source.keyAt(["metadata", "labels", key]),
            resource,
          });
        }
        const bad = labelValueProblem(value);
        if (bad) {
          ctx.report({
            messageId: "labelValue",
            data: { pool: pool.name, key, why: bad, length: value.length },
            span: pool.source.at(["metadata", "labels", key]),
            resource,
          });
        }
      }
      let size = 0;
      for (const [key, value] of Object.entries(annotations).sort(([a], [b]) =>
        compareKeys(a, b),
      )) {
        // netcompile's own annotations (waivers) stay in the repository; they are not rendered.
        if (key.startsWith("netcompile.dev/")) continue;
        size += Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8");
        const why = qualifiedNameProblem(key.toLowerCase());
        if (why) {
          ctx.report({
            messageId: "annotationKey",
            data: { pool: pool.name, key, why },
            span: pool.source.keyAt(["metadata", "annotations", key]),
            resource,
          });
        }
      }
      if (size > ANNOTATIONS_MAX_BYTES) {
        ctx.report({
          messageId: "annotationsTooLarge",
          data: { pool: pool.name, size, limit: ANNOTATIONS_MAX_BYTES },
          span: pool.source.keyAt(["metadata", "annotations"]),
          resource,
        });
      }
    }
  },
});

/** The order Object.keys(...).sort() gives: UTF-16 code units. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
