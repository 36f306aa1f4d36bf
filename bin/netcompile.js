#!/usr/bin/env node
// The compiled CLI: lib/netcompile.cjs is src/cli bundled into one file by `npm run build`
// (tsc, then scripts/bundle-cli.ts), which `npm ci` runs through `prepare`; lib/cli/start.js
// runs it from V8's code cache when the build made one.
import { startCli } from "../lib/cli/start.js";

await startCli();
