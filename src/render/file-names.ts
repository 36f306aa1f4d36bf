/**
 * What the output's file names need from the model, checked by `validate` too: a node name is
 * a folder name (hosts/<node>/), so it may be at most LIMITS.maxFileNameBytes bytes in UTF-8 —
 * a 253-character name of multi-byte characters passes the schema's length and would make
 * `build` fail with ENAMETOOLONG.
 */
import { diagnostic } from "../diagnostics/make.js";
import type { Diagnostic } from "../diagnostics/types.js";
import { LIMITS } from "../load/limits.js";
import type { Model } from "../model/types.js";

export function checkFileNames(model: Model): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reportedGroups = new Set<string>();
  for (const node of model.topology.nodes) {
    const bytes = Buffer.byteLength(node.name, "utf8");
    if (bytes <= LIMITS.maxFileNameBytes) continue;
    // A group's members share its prefix: one finding per group, at its namePrefix.
    if (node.group !== undefined) {
      if (reportedGroups.has(node.group)) continue;
      reportedGroups.add(node.group);
    }
    const at = node.source.at([node.group === undefined ? "name" : "namePrefix"]);
    out.push(diagnostic("NC5007", at, { name: node.name, bytes, limit: LIMITS.maxFileNameBytes }));
  }
  return out;
}
