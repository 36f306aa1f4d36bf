/**
 * Writes the worked example's snapshot (fixtures/examples/live/snapshot/) from
 * bench/snapshot.ts: `npm run live-example`. The files are committed as data; a test fails
 * while they differ from what this writes. The repository beside it
 * (fixtures/examples/live/repo/) is `netcompile import`'s output for this snapshot, and a test
 * checks that too.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXAMPLE_LAYOUT, exampleCluster, snapshotFiles } from "../bench/snapshot.js";

export const EXAMPLE_SNAPSHOT_DIR = join(
  import.meta.dirname,
  "..",
  "fixtures",
  "examples",
  "live",
  "snapshot",
);

export function exampleSnapshotFiles(): Map<string, string> {
  return snapshotFiles(exampleCluster(), EXAMPLE_LAYOUT);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  rmSync(EXAMPLE_SNAPSHOT_DIR, { recursive: true, force: true });
  for (const [path, content] of exampleSnapshotFiles()) {
    const full = join(EXAMPLE_SNAPSHOT_DIR, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  process.stderr.write(`wrote ${EXAMPLE_SNAPSHOT_DIR}\n`);
}
