#!/usr/bin/env node
// The compiled CLI: lib/netcompile.js is src/cli bundled into one file by `npm run build`
// (tsc, then scripts/bundle-cli.ts), which `npm ci` runs through `prepare`.
import "../lib/netcompile.js";
