// The floor for `build`: a minimal Node script that writes the same bytes to the same paths.
// Usage: node bench/floor.mjs SOURCE_TREE DEST_DIR. Every file of SOURCE_TREE (a finished
// build) is read into memory first; only then are the directories made and the files written,
// synchronously, in path order, with as few system calls as emit makes. Prints the wall and CPU
// milliseconds spent reading, which the benchmark subtracts from this process's wall and CPU
// time (so the floor = Node's start-up + the writes).
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [source, dest] = process.argv.slice(2);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = performance.now();
const cpu0 = cpuMs();
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
const readCpuMs = cpuMs() - cpu0;

// Each directory once, parents first, one mkdir each (as emit does: a recursive mkdir whose
// parent is missing costs a failed call first); then one open, write and close per file.
mkdirSync(dest);
const made = new Set([""]);
const makeDir = (dir) => {
  const slash = dir.lastIndexOf("/");
  const parent = slash < 0 ? "" : dir.slice(0, slash);
  if (!made.has(parent)) makeDir(parent);
  mkdirSync(join(dest, dir));
  made.add(dir);
};
for (const [path, content] of files) {
  const slash = path.lastIndexOf("/");
  const dir = slash < 0 ? "" : path.slice(0, slash);
  if (!made.has(dir)) makeDir(dir);
  writeFileSync(`${dest}/${path}`, content);
}
process.stdout.write(`${JSON.stringify({ readMs, readCpuMs, files: files.length })}\n`);
