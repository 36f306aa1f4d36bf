#!/usr/bin/env node
// The compiled CLI (lib/ is made by `npm run build`, which `npm ci` runs through `prepare`).
import "../lib/cli/index.js";
