#!/usr/bin/env node
// Runs the compiled CLI (lib/, made by `npm run build`, which `npm ci` runs through `prepare`).
import { run } from "../lib/cli/main.js";

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
