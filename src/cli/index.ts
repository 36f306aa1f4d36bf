#!/usr/bin/env node
/**
 * The process entry from source (`tsx src/cli/index.ts`, as tests spawn it): real streams in,
 * exit code out. The built CLI enters through start.ts instead, which runs the bundle of main.ts.
 */
import { run } from "./main.js";

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
