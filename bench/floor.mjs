// The floor for `build`: a minimal Node script that writes the same bytes to the same paths.
// Usage: node bench/floor.mjs SOURCE_TREE DEST_DIR. Every file of SOURCE_TREE (a finished
// build) is read into memory first; only then are the directories made and the files written,
// synchronously, in path order. Prints the milliseconds spent reading, which the benchmark
// subtracts from this process's wall time (so the floor = Node's start-up + the writes).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [source, dest] = process.argv.slice(2);
const t0 = performance.now();
const files = [];
const walk = (rel) => {
  for (const entry of readdirSync(join(source, rel), { withFileTypes: true })) {
    const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) walk(path);
    else files.push([path, readFileSync(join(source, path))]);
  }
};
walk("");
files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const readMs = performance.now() - t0;

const made = new Set();
for (const [path, content] of files) {
  const full = join(dest, path);
  const dir = full.slice(0, full.lastIndexOf("/"));
  if (!made.has(dir)) {
    mkdirSync(dir, { recursive: true });
    made.add(dir);
  }
  writeFileSync(full, content);
}
process.stdout.write(`${JSON.stringify({ readMs, files: files.length })}\n`);
