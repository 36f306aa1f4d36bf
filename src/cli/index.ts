#!/usr/bin/env node
/** The process entry: real streams in, exit code out. Everything else is in main.ts. */
import { run } from "./main.js";

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
